-- Named organizer accounts (issue 12, item 2), replacing the one shared password. Every account belongs to a unit:
-- a city admin to the city root, a unit organizer to the unit whose subtree they run.
CREATE TABLE organizer_accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    name          text NOT NULL CHECK (length(name) BETWEEN 2 AND 100 AND name = btrim(name)),
    role          text NOT NULL CHECK (role IN ('city-admin', 'unit-organizer', 'question-author', 'live-host')),
    unit_id       integer NOT NULL REFERENCES units (id),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    disabled_at   timestamptz
);
CREATE INDEX organizer_accounts_unit ON organizer_accounts (unit_id);

-- An admin's invitation: the invitee opens the link (or types the code) before expires_at and sets their password.
-- Only the code's SHA-256 is stored, so a database dump cannot be used to accept an invitation.
CREATE TABLE organizer_invitations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_sha256 text NOT NULL UNIQUE,
    email       text NOT NULL CHECK (email = lower(email)),
    name        text NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
    role        text NOT NULL CHECK (role IN ('city-admin', 'unit-organizer', 'question-author', 'live-host')),
    unit_id     integer NOT NULL REFERENCES units (id),
    invited_by  bigint REFERENCES organizer_accounts (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
    accepted_at timestamptz,
    account_id  bigint REFERENCES organizer_accounts (id),
    revoked_at  timestamptz,
    CHECK ((accepted_at IS NULL) = (account_id IS NULL))
);
CREATE INDEX organizer_invitations_open ON organizer_invitations (email) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Nhật ký thao tác: every organizer action that changes data or reads personal data (who, what, when, from where).
-- Written in one place (OrganizerAudit, a filter on the organizer route group); rows are never updated or deleted.
CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    account_id bigint REFERENCES organizer_accounts (id),
    action     text NOT NULL,     -- 'POST /api/organizer/contests', 'sign-in', 'organizers create-admin', ...
    target     text,              -- what it acted on: '/api/organizer/contests/12', 'organizer:5', ...
    detail     jsonb NOT NULL DEFAULT '{}',
    ip         inet
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_account ON audit_log (account_id, at DESC);
