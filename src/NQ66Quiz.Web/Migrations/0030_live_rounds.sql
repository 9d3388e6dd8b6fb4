-- Vòng thi trực tiếp (live rounds): a host runs a quiz at a meeting, players answer from their phones. PostgreSQL is
-- the record (rounds, frozen questions, players with their unit, every answer with its server time, totals, ranks);
-- the running state every node reads (phase, deadlines, who answered) lives in Redis (see LiveState).
CREATE TABLE live_rounds (
    id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title                     text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
    created_by                text NOT NULL,              -- the organizer who created it (who may host it)
    time_limit_seconds        integer NOT NULL CHECK (time_limit_seconds BETWEEN 5 AND 240),
    points                    integer NOT NULL CHECK (points IN (0, 1000, 2000)),
    streak_bonus              boolean NOT NULL,
    leaderboard_each_question boolean NOT NULL,
    unit_mode                 boolean NOT NULL,
    require_identity          boolean NOT NULL,
    phase                     text NOT NULL DEFAULT 'draft' CHECK (phase IN ('draft', 'lobby', 'question', 'closed', 'ended')),
    pin                       text CHECK (pin ~ '^[0-9]{6}$'),
    -- Seeds each player's option order, so any node computes the same shuffle without storing one per player.
    shuffle_seed              bigint NOT NULL,
    created_at                timestamptz NOT NULL,
    opened_at                 timestamptz,
    started_at                timestamptz,
    ended_at                  timestamptz,
    CHECK ((phase = 'draft') = (pin IS NULL AND opened_at IS NULL))
);
-- A PIN names one round at a time: it is free again once that round has ended.
CREATE UNIQUE INDEX live_rounds_open_pin ON live_rounds (pin) WHERE phase <> 'ended';

-- The questions of a round, frozen at creation: the version shown and the option order of this round (ids of
-- question_versions.options). Option ids on the wire are positions in option_order, so the authoring order (where
-- writers tend to put the key first) never shows. correct_option is the key: it leaves the server only at close.
CREATE TABLE live_round_questions (
    round_id            bigint NOT NULL REFERENCES live_rounds (id),
    number              smallint NOT NULL CHECK (number BETWEEN 1 AND 100),
    question_version_id bigint NOT NULL REFERENCES question_versions (id),
    option_order        smallint[] NOT NULL,
    correct_option      smallint NOT NULL,
    opened_at           timestamptz,
    closed_at           timestamptz,
    voided              boolean NOT NULL DEFAULT false,
    PRIMARY KEY (round_id, number),
    CHECK (correct_option >= 0 AND correct_option < cardinality(option_order))
);

-- Người chơi. Each plays for their unit in unit mode; a signed-in participant plays as themselves (once per round).
CREATE TABLE live_players (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id       bigint NOT NULL REFERENCES live_rounds (id),
    nickname       text NOT NULL CHECK (length(nickname) BETWEEN 1 AND 30),
    nickname_key   text NOT NULL,                       -- lower-case NFC: "An" and "an" are one nickname
    unit_id        integer REFERENCES units (id),
    participant_id bigint REFERENCES participants (id),
    joined_at      timestamptz NOT NULL,
    removed_at     timestamptz,
    points         bigint NOT NULL DEFAULT 0 CHECK (points >= 0),
    streak         integer NOT NULL DEFAULT 0 CHECK (streak >= 0),
    correct_count  integer NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    scored_count   integer NOT NULL DEFAULT 0 CHECK (scored_count >= 0),
    final_rank     integer CHECK (final_rank >= 1),
    UNIQUE (round_id, nickname_key)
);
CREATE UNIQUE INDEX live_players_participant ON live_players (round_id, participant_id) WHERE participant_id IS NOT NULL;
-- What the unit rankings read: who of a unit took part in live rounds.
CREATE INDEX live_players_unit ON live_players (unit_id) WHERE unit_id IS NOT NULL;

-- One answer per player and question (the primary key makes a replayed batch harmless). received_at and elapsed_ms
-- are the server's; correct and points are computed on arrival (the key is on the server), the streak bonus at close.
CREATE TABLE live_answers (
    round_id    bigint NOT NULL,
    number      smallint NOT NULL,
    player_id   bigint NOT NULL REFERENCES live_players (id),
    option      smallint NOT NULL,
    received_at timestamptz NOT NULL,
    elapsed_ms  integer NOT NULL CHECK (elapsed_ms >= 0),
    correct     boolean NOT NULL,
    points      integer NOT NULL CHECK (points >= 0),
    streak_bonus integer NOT NULL DEFAULT 0 CHECK (streak_bonus >= 0),
    PRIMARY KEY (round_id, number, player_id),
    FOREIGN KEY (round_id, number) REFERENCES live_round_questions (round_id, number)
);

-- Unit results of a unit-mode round, written at the end (unit score = average of its players' points).
CREATE TABLE live_unit_results (
    round_id     bigint NOT NULL REFERENCES live_rounds (id),
    unit_id      integer NOT NULL REFERENCES units (id),
    player_count integer NOT NULL CHECK (player_count >= 1),
    points       bigint NOT NULL CHECK (points >= 0),
    final_rank   integer NOT NULL CHECK (final_rank >= 1),
    PRIMARY KEY (round_id, unit_id)
);
