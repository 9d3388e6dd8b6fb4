-- Collective ranking (xếp hạng tập thể) of units per contest, collective prizes, and certificates.

-- Headcount (eligible people) per contest and unit. The unit-directory migrations (0020-0024) own this table; it is
-- created here only if they have not, with the same columns, so this file also applies on a schema without them.
-- A unit's declared headcount covers its whole subtree (its own people and its sub-units').
CREATE TABLE IF NOT EXISTS unit_headcounts (
    contest_id bigint  NOT NULL REFERENCES contests (id),
    unit_id    integer NOT NULL REFERENCES units (id),
    headcount  integer NOT NULL CHECK (headcount >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contest_id, unit_id)
);

-- The collective ranking rule of a contest (absent row = the defaults of Rules/UnitRanking.cs), and its prize state.
-- min_rates: [{"min_headcount": 0, "min_rate": 0.3}, ...]; prize_points: {"nhat": 10, ...}; prize_structure as rounds.
CREATE TABLE unit_ranking_settings (
    contest_id        bigint PRIMARY KEY REFERENCES contests (id),
    method            text NOT NULL CHECK (method IN ('rate', 'participants', 'points')),
    min_rates         jsonb NOT NULL DEFAULT '[]',
    rate_points       numeric NOT NULL DEFAULT 100 CHECK (rate_points >= 0),
    prize_points      jsonb NOT NULL DEFAULT '{}',
    prize_structure   jsonb NOT NULL,
    computed_at       timestamptz,
    published_at      timestamptz,
    updated_at        timestamptz NOT NULL,
    CHECK (published_at IS NULL OR computed_at IS NOT NULL)
);

-- The computed collective ranking of a contest (replaced on every recompute until published), with the prize won.
CREATE TABLE unit_prizes (
    contest_id   bigint  NOT NULL REFERENCES contests (id),
    rank         integer NOT NULL CHECK (rank >= 1),
    position     integer NOT NULL CHECK (position >= 1),  -- order shown; equal ranks share "rank"
    unit_id      integer NOT NULL REFERENCES units (id),
    headcount    integer,
    participants integer NOT NULL,
    rate         double precision,
    avg_score    double precision,
    points       double precision,
    eligible     boolean NOT NULL,
    prize_code   text,
    prize_name   text,
    ineligible_reason text,
    PRIMARY KEY (contest_id, position),
    UNIQUE (contest_id, unit_id)
);

-- Chứng nhận. The code is what a holder shows; the verification page reads this row. Names are copied at issue time
-- so a certificate keeps saying what it said even if a unit is renamed.
CREATE TABLE certificates (
    code           text PRIMARY KEY CHECK (code ~ '^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$'),
    kind           text NOT NULL CHECK (kind IN ('individual', 'collective')),
    contest_id     bigint NOT NULL REFERENCES contests (id),
    round_id       bigint REFERENCES contest_rounds (id),
    participant_id bigint REFERENCES participants (id),
    unit_id        integer NOT NULL REFERENCES units (id),
    recipient_name text NOT NULL,
    unit_name      text NOT NULL,
    prize_name     text NOT NULL,
    contest_name   text NOT NULL,
    round_number   integer,
    issued_at      timestamptz NOT NULL,
    CHECK ((kind = 'individual') = (participant_id IS NOT NULL AND round_id IS NOT NULL))
);
CREATE UNIQUE INDEX certificates_individual ON certificates (round_id, participant_id) WHERE kind = 'individual';
CREATE UNIQUE INDEX certificates_collective ON certificates (contest_id, unit_id) WHERE kind = 'collective';

