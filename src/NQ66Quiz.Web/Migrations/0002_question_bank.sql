-- The question bank. A question (câu hỏi) has a stable id from content/ and one row per version; an attempt points at
-- the version it showed, so editing a question never changes a past attempt. Retired questions are kept, never deleted.
CREATE TABLE questions (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(id) <= 40),
    current_version integer NOT NULL,
    retired_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE question_versions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id      text NOT NULL REFERENCES questions (id),
    version          integer NOT NULL CHECK (version >= 1),
    content_hash     text NOT NULL,                     -- sha256 of the canonical Markdown: same hash, no new version
    kind             text NOT NULL CHECK (kind IN ('single', 'multiple')),
    difficulty       text NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    viewpoints       smallint[] NOT NULL DEFAULT '{}',  -- quan điểm 1..5
    tasks            smallint[] NOT NULL DEFAULT '{}',  -- nhiệm vụ 1..7
    topics           text[] NOT NULL DEFAULT '{}',      -- muc-tieu, ke-hoach-ha-noi, chung
    stem_md          text NOT NULL,
    stem_html        text NOT NULL,
    -- [{"id": 0, "md": "...", "html": "...", "correct": true}, ...] in authoring order; "id" is stable per version.
    -- "correct" is the answer key: never serialise this column to a client before the question closes.
    options          jsonb NOT NULL,
    explanation_md   text NOT NULL,
    explanation_html text NOT NULL,
    source           text NOT NULL,
    markdown         text NOT NULL,                     -- the whole question as canonical Markdown (round trips)
    source_file      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text,
    UNIQUE (question_id, version),
    CHECK (cardinality(viewpoints) + cardinality(tasks) + cardinality(topics) > 0)
);
CREATE INDEX question_versions_viewpoints ON question_versions USING gin (viewpoints);
CREATE INDEX question_versions_tasks ON question_versions USING gin (tasks);
CREATE INDEX question_versions_topics ON question_versions USING gin (topics);

ALTER TABLE questions ADD FOREIGN KEY (id, current_version) REFERENCES question_versions (question_id, version)
    DEFERRABLE INITIALLY DEFERRED;

-- One row per import run, so organizers can see what changed and when.
CREATE TABLE content_imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    source      text NOT NULL,
    added       integer NOT NULL,
    updated     integer NOT NULL,
    retired     integer NOT NULL,
    unchanged   integer NOT NULL
);
