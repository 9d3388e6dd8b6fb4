-- A random key per attempt, fixed at its start. App nodes keep an attempt's paper (participant, deadline, option
-- order) in memory to save answers in one statement; the key makes a cached paper provably the attempt's own, even
-- where ids are reused (a test database reseeded between tests, a restored backup).
ALTER TABLE attempts ADD COLUMN paper_key uuid NOT NULL DEFAULT gen_random_uuid();
