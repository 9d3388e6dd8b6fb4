-- An organizer can end a running round before its planned closing (a wrong question, an incident): the round's
-- closing becomes that moment, and who did it and when are kept beside the closing time they replaced.
ALTER TABLE contest_rounds
    ADD COLUMN ended_early_at        timestamptz,
    ADD COLUMN ended_early_by        text CHECK (ended_early_by IS NULL OR length(ended_early_by) BETWEEN 1 AND 200),
    ADD COLUMN planned_closes_at     timestamptz,
    ADD CHECK ((ended_early_at IS NULL) = (ended_early_by IS NULL) AND (ended_early_at IS NULL) = (planned_closes_at IS NULL));
