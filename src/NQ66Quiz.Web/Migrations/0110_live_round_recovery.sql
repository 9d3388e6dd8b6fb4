-- A live round runs on Redis for speed, but PostgreSQL is the record: it keeps enough of the running state to accept
-- answers while Redis is away and to rebuild Redis after it comes back empty (the answer clock, the deadline, a pause,
-- the room lock). Written by host commands only, never on the answer path.
ALTER TABLE live_round_questions
    ADD COLUMN clock_opened_at     timestamptz,   -- opened_at moved forward by pauses: response times count from here
    ADD COLUMN closes_at           timestamptz,   -- the deadline without grace; a resume moves it
    ADD COLUMN paused_at           timestamptz,   -- set while the question is paused
    ADD COLUMN paused_remaining_ms integer CHECK (paused_remaining_ms >= 0);

ALTER TABLE live_rounds ADD COLUMN locked boolean NOT NULL DEFAULT false;
