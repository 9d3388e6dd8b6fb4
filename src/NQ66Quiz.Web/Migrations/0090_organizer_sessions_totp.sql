-- Organizer sessions on the server (issue 14, item 1): the cookie names a session; signing out, changing the password
-- or disabling the account ends sessions here, so a copied cookie stops working. The session id is random (128 bits);
-- only its SHA-256 is stored, so a database dump cannot be replayed as a cookie.
CREATE TABLE organizer_sessions (
    id_sha256    text PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES organizer_accounts (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ended_at     timestamptz,
    end_reason   text CHECK (end_reason IN ('sign-out', 'password-changed', 'second-factor-changed', 'disabled'))
);
CREATE INDEX organizer_sessions_account ON organizer_sessions (account_id) WHERE ended_at IS NULL;

-- TOTP second factor (RFC 6238, 30 s, 6 digits). The secret is encrypted with the Data Protection API; it is set at
-- enrolment and takes effect when the first code is confirmed (totp_enabled_at). The last accepted time step is kept so
-- a code cannot be replayed within its window.
ALTER TABLE organizer_accounts
    ADD COLUMN totp_secret_protected text,
    ADD COLUMN totp_enabled_at       timestamptz,
    ADD COLUMN totp_last_step        bigint;

-- Recovery codes: ten per enrolment, each usable once; only their SHA-256 is stored.
CREATE TABLE organizer_recovery_codes (
    account_id  bigint NOT NULL REFERENCES organizer_accounts (id),
    code_sha256 text NOT NULL,
    used_at     timestamptz,
    PRIMARY KEY (account_id, code_sha256)
);
