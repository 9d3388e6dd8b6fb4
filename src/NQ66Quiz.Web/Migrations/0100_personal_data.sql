-- Personal data under Law 91/2025/QH15 (Features/Privacy): the national ID encrypted with the Data Protection API
-- (national_id_protected) with a keyed hash for uniqueness and look-up (national_id_lookup) and its last four digits for
-- the masked display; the representative of a participant under 16; an optional 'contact' consent; erasure at the
-- participant's request or when the retention of every contest they entered has ended (rows kept, anonymised, so
-- rankings and unit figures stay what they were); retention per contest.
ALTER TABLE participants
    ADD COLUMN national_id_protected text,
    ADD COLUMN national_id_lookup    text UNIQUE,
    ADD COLUMN national_id_last4     text CHECK (national_id_last4 ~ '^[0-9]{4}$'),
    ADD COLUMN guardian_relationship text CHECK (guardian_relationship IN ('cha', 'me', 'giam_ho')),
    ADD COLUMN erased_at             timestamptz,
    ALTER COLUMN phone DROP NOT NULL,
    ALTER COLUMN date_of_birth DROP NOT NULL,
    ADD CONSTRAINT participants_erased_or_whole CHECK (
        erased_at IS NOT NULL AND phone IS NULL AND date_of_birth IS NULL AND national_id IS NULL AND national_id_protected IS NULL
            AND guardian_name IS NULL
        OR erased_at IS NULL AND phone IS NOT NULL AND date_of_birth IS NOT NULL),
    ADD CONSTRAINT participants_national_id_parts CHECK (
        (national_id_protected IS NULL) = (national_id_lookup IS NULL) AND (national_id_protected IS NULL) = (national_id_last4 IS NULL));

ALTER TABLE participant_consents DROP CONSTRAINT participant_consents_purpose_check;
ALTER TABLE participant_consents ADD CONSTRAINT participant_consents_purpose_check
    CHECK (purpose IN ('participation', 'publish_if_winner', 'guardian', 'contact'));

-- Days after a contest's last round closes that its participants' personal data is kept (`privacy purge` erases it).
ALTER TABLE contests ADD COLUMN retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 30 AND 3650);

-- Secrets the app derives from the Data Protection key ring: stored protected, so a database dump alone does not
-- reveal them. 'national_id_lookup' keys the HMAC of national IDs.
CREATE TABLE protected_secrets (
    name       text PRIMARY KEY,
    protected  text NOT NULL,
    created_at timestamptz NOT NULL
);
