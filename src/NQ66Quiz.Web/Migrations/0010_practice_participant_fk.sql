-- The participants table (0004) and practice answers (0005) came from parallel work; now both exist, a practice answer
-- must belong to a real participant.
ALTER TABLE practice_answers
    ADD CONSTRAINT practice_answers_participant_fk FOREIGN KEY (participant_id) REFERENCES participants (id);
