-- Forgotten passwords of participants (issue 9, item 5).
--
-- email: optional, added by the participant on their account page, used only to send a password reset link.
-- session_stamp: changes whenever the password does; a participant cookie carries the stamp it was issued with and is
-- refused once it differs, so changing or resetting a password signs out the person's other browsers.
ALTER TABLE participants
    ADD COLUMN email text CHECK (email IS NULL OR (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254)),
    ADD COLUMN session_stamp integer NOT NULL DEFAULT 0;
CREATE INDEX participants_email ON participants (email) WHERE email IS NOT NULL;

-- One-time ways back in: a code an organizer issues after checking the person ('organizer', stored as a PBKDF2 hash:
-- the code is short enough to read out, so a plain digest of it could be reversed from a dump), or a link mailed to the
-- participant ('email', a 128-bit token stored as its SHA-256). Single use (used_at), short-lived (expires_at); issuing
-- a new one or using any revokes the participant's other open ones.
CREATE TABLE participant_password_resets (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id bigint NOT NULL REFERENCES participants (id),
    kind           text NOT NULL CHECK (kind IN ('organizer', 'email')),
    secret_hash    text NOT NULL,
    issued_by      bigint REFERENCES organizer_accounts (id),
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at        timestamptz,
    revoked_at     timestamptz,
    CHECK ((kind = 'organizer') = (issued_by IS NOT NULL))
);
CREATE INDEX participant_password_resets_open ON participant_password_resets (participant_id) WHERE used_at IS NULL AND revoked_at IS NULL;
CREATE UNIQUE INDEX participant_password_resets_token ON participant_password_resets (secret_hash) WHERE kind = 'email';
