-- When a participant sees the key and the explanations of their closed attempts (AnswerReveal): after the round closes
-- (the default: the next attempt, and a friend's, must not be a copy), after their last allowed attempt, or after each
-- attempt (practice-like contests). Until then a result shows score, time, rank so far and which questions were wrong.
ALTER TABLE contests ADD COLUMN answers_shown text NOT NULL DEFAULT 'after_round_close'
    CHECK (answers_shown IN ('after_round_close', 'after_last_attempt', 'after_each_attempt'));
