-- Practice mode (luyện tập): a signed-in participant's answers, kept for "Điểm yếu của tôi". Nothing here counts for
-- ranking, and visitors' answers are never stored (their browser keeps them).
--
-- participant_id has no foreign key on purpose: the participants table arrives from another branch (participant
-- registration); a later migration adds REFERENCES participants (id) once both are merged.
CREATE TABLE practice_answers (
    set_id         uuid NOT NULL,                  -- one practice set (up to 10 questions), drawn by the server
    question_id    text NOT NULL,
    version        integer NOT NULL,               -- the version shown: its key and tags are what the answer is scored on
    participant_id bigint NOT NULL,
    scope          text NOT NULL CHECK (scope ~ '^(quan-diem-[1-5]|nhiem-vu-[1-7]|muc-tieu|ke-hoach-ha-noi|chung)$'),
    chosen         integer[] NOT NULL,             -- option ids as in question_versions.options
    correct        boolean NOT NULL,
    answered_at    timestamptz NOT NULL,
    -- The first answer to a question of a set is the one that counts; participant first, as every read filters on it.
    PRIMARY KEY (participant_id, set_id, question_id),
    FOREIGN KEY (question_id, version) REFERENCES question_versions (question_id, version)
);
