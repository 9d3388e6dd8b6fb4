-- A live round held as part of a contest's weekly round (the quiz at a ward's meeting during tuần thi 2) counts in that
-- contest's participation by unit: its players are participants and entries of that round (UnitFigures.EntriesCte).
-- Optional: a live round at an event of its own belongs to no contest.
ALTER TABLE live_rounds ADD COLUMN contest_round_id bigint REFERENCES contest_rounds (id);
CREATE INDEX live_rounds_contest_round ON live_rounds (contest_round_id) WHERE contest_round_id IS NOT NULL;
