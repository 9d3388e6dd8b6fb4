-- Online contests (cuộc thi): participants (người dự thi), contests, weekly rounds (tuần thi), attempts (lượt thi),
-- per-answer records, and the final round results with prizes. PostgreSQL is the record; Redis leaderboards are
-- rebuilt from these tables (`leaderboards rebuild`).

-- Người dự thi. Phone is stored normalised as 10 national digits ('0912345678'); national_id is the 12-digit CCCD.
CREATE TABLE participants (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone            text NOT NULL UNIQUE CHECK (phone ~ '^0[35789][0-9]{8}$'),
    national_id      text UNIQUE CHECK (national_id ~ '^[0-9]{12}$'),
    full_name        text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 100 AND full_name = btrim(full_name)),
    date_of_birth    date NOT NULL,
    unit_id          integer NOT NULL REFERENCES units (id),
    participant_type text NOT NULL CHECK (participant_type IN ('student', 'employee', 'citizen')),
    guardian_name    text CHECK (guardian_name IS NULL OR length(guardian_name) BETWEEN 2 AND 100),
    password_hash    text NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX participants_unit ON participants (unit_id);

-- One row per stated purpose the person agreed to, with the wording version they saw and when (Decree 13/2023 asks
-- that consent be specific and provable). 'guardian' is the consent of a guardian for a participant under 16.
CREATE TABLE participant_consents (
    participant_id  bigint NOT NULL REFERENCES participants (id),
    purpose         text NOT NULL CHECK (purpose IN ('participation', 'publish_if_winner', 'guardian')),
    wording_version text NOT NULL,
    consented_at    timestamptz NOT NULL,
    PRIMARY KEY (participant_id, purpose)
);

CREATE TABLE contests (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                 text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name                 text NOT NULL CHECK (length(name) BETWEEN 3 AND 200),
    description_md       text NOT NULL,
    description_html     text NOT NULL,                   -- rendered at save time, raw HTML disabled
    organizing_unit_id   integer NOT NULL REFERENCES units (id),
    eligible_types       text[] NOT NULL DEFAULT '{}',    -- participant types allowed; empty = everyone
    eligible_unit_ids    integer[] NOT NULL DEFAULT '{}', -- units allowed; empty = every unit
    national_id_required boolean NOT NULL DEFAULT false,
    prediction_kind      text NOT NULL CHECK (prediction_kind IN ('perfect_scores', 'entries')),
    one_prize_per_person boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

-- Tuần thi. blueprint: [{"count": 2, "viewpoint": 1, "task": null, "topic": null, "difficulty": "easy"}, ...];
-- prize_structure: [{"code": "nhat", "name": "Giải Nhất", "count": 1}, ...] in prize order.
CREATE TABLE contest_rounds (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id           bigint NOT NULL REFERENCES contests (id),
    number               integer NOT NULL CHECK (number BETWEEN 1 AND 200),
    opens_at             timestamptz NOT NULL,
    closes_at            timestamptz NOT NULL,
    question_count       integer NOT NULL CHECK (question_count BETWEEN 1 AND 60),
    blueprint            jsonb NOT NULL,
    time_limit_seconds   integer NOT NULL CHECK (time_limit_seconds BETWEEN 60 AND 3600),
    attempts_allowed     integer NOT NULL CHECK (attempts_allowed BETWEEN 1 AND 50),
    prize_structure      jsonb NOT NULL,
    closed_at            timestamptz,      -- when the close job computed the prediction's actual value and the ranking
    prediction_actual    integer,
    results_published_at timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (contest_id, number),
    CHECK (closes_at > opens_at),
    -- The live leaderboard packs "seconds since opening" into 25 bits (see LeaderboardScore): 90 days fit easily.
    CHECK (closes_at - opens_at <= interval '90 days'),
    CHECK (results_published_at IS NULL OR closed_at IS NOT NULL)
);
CREATE INDEX contest_rounds_to_close ON contest_rounds (closes_at) WHERE closed_at IS NULL;

-- One row per participant who started at least one attempt in a round: the lock that serialises their starts (so the
-- attempt limit holds under concurrent starts), their attempt count and their best attempt (the one that counts).
CREATE TABLE round_entries (
    round_id        bigint NOT NULL REFERENCES contest_rounds (id),
    participant_id  bigint NOT NULL REFERENCES participants (id),
    unit_id         integer NOT NULL REFERENCES units (id),  -- the unit when entering; it cannot change afterwards
    attempts_used   integer NOT NULL DEFAULT 0 CHECK (attempts_used >= 0),
    best_attempt_id bigint,
    -- Database time on purpose (not the app clock): a leaderboard rebuild re-applies entries changed while it ran.
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (round_id, participant_id)
);
CREATE INDEX round_entries_updated ON round_entries (round_id, updated_at);

-- Lượt thi. An attempt closes exactly once: 'submitted' by the participant, or 'expired' at its deadline with what was
-- saved (submitted_at is then the deadline). duration_ms is capped at the time limit, so the grace gives no edge.
CREATE TABLE attempts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id       bigint NOT NULL,
    participant_id bigint NOT NULL,
    number         integer NOT NULL CHECK (number >= 1),
    status         text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted', 'expired')),
    started_at     timestamptz NOT NULL,
    deadline_at    timestamptz NOT NULL CHECK (deadline_at > started_at),
    submitted_at   timestamptz,
    duration_ms    integer CHECK (duration_ms >= 0),
    score          integer CHECK (score >= 0),
    question_count integer NOT NULL CHECK (question_count >= 1),
    prediction     integer CHECK (prediction BETWEEN 0 AND 10000000),
    FOREIGN KEY (round_id, participant_id) REFERENCES round_entries (round_id, participant_id),
    UNIQUE (round_id, participant_id, number),
    CHECK ((status = 'in_progress') = (submitted_at IS NULL)),
    CHECK ((status = 'in_progress') = (score IS NULL)),
    CHECK ((status = 'in_progress') = (duration_ms IS NULL))
);
-- One attempt in progress per person and round: a reload resumes it instead of opening another.
CREATE UNIQUE INDEX attempts_one_in_progress ON attempts (round_id, participant_id) WHERE status = 'in_progress';
CREATE INDEX attempts_due ON attempts (deadline_at) WHERE status = 'in_progress';
CREATE INDEX attempts_participant ON attempts (participant_id, started_at DESC);
CREATE INDEX attempts_round_closed ON attempts (round_id) WHERE status <> 'in_progress';

ALTER TABLE round_entries ADD FOREIGN KEY (best_attempt_id) REFERENCES attempts (id);

-- The attempt limit lives in the database: numbers are unique per person and round, start at 1, and may not exceed the
-- round's limit, so no code path (or a concurrent one) can insert one attempt too many.
CREATE FUNCTION attempts_within_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    allowed integer;
BEGIN
    SELECT attempts_allowed INTO allowed FROM contest_rounds WHERE id = NEW.round_id;
    IF NEW.number > allowed THEN
        RAISE EXCEPTION 'attempt number % exceeds the % attempts allowed in round %', NEW.number, allowed, NEW.round_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'attempts_within_limit';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER attempts_within_limit BEFORE INSERT OR UPDATE OF number, round_id ON attempts
    FOR EACH ROW EXECUTE FUNCTION attempts_within_limit();

-- The questions of an attempt, in the order shown. chosen holds option ids (not display positions); is_correct is set
-- when the attempt closes and, with question_version_id (whose tags are in question_versions), feeds per-unit
-- knowledge maps: which viewpoints and tasks a unit's people get wrong.
CREATE TABLE attempt_questions (
    attempt_id          bigint NOT NULL REFERENCES attempts (id),
    position            smallint NOT NULL CHECK (position >= 1),
    question_version_id bigint NOT NULL REFERENCES question_versions (id),
    option_order        smallint[] NOT NULL,
    chosen              smallint[],
    answered_at         timestamptz,
    is_correct          boolean,
    PRIMARY KEY (attempt_id, position),
    UNIQUE (attempt_id, question_version_id)
);
CREATE INDEX attempt_questions_version ON attempt_questions (question_version_id);

-- The final ranking of a closed round (one row per participant, their best attempt), with the prize each row won.
CREATE TABLE round_results (
    round_id            bigint NOT NULL REFERENCES contest_rounds (id),
    rank                integer NOT NULL CHECK (rank >= 1),
    participant_id      bigint NOT NULL REFERENCES participants (id),
    unit_id             integer NOT NULL REFERENCES units (id),
    attempt_id          bigint NOT NULL REFERENCES attempts (id),
    score               integer NOT NULL,
    prediction          integer,
    prediction_distance bigint,
    duration_ms         integer NOT NULL,
    submitted_at        timestamptz NOT NULL,
    prize_code          text,
    prize_name          text,
    PRIMARY KEY (round_id, rank),
    UNIQUE (round_id, participant_id)
);
CREATE INDEX round_results_prizes ON round_results (participant_id) WHERE prize_code IS NOT NULL;
