-- Who retired a question: 'content' when it left the content/ files (it comes back if it returns), or 'organizer'
-- when someone decided to stop using it (an import must not undo that decision).
ALTER TABLE questions ADD COLUMN retired_by text CHECK (retired_by IN ('content', 'organizer', 'xlsx'));
-- Contests draw from current versions of questions in use; this keeps that filter cheap as the bank grows.
CREATE INDEX questions_in_use ON questions (id) WHERE retired_at IS NULL;
