-- What an attempt start asks before drawing a paper: has the bank changed since this node last read it? Each start
-- used to answer it with a sum over every drawable question and its current version (the xmin of each row), ~0.6 ms
-- of PostgreSQL time a start and about a tenth of all its time on the online path (load-tests/results/SUMMARY.md,
-- issue 13). Now every statement that writes questions or question_versions gives the bank a new random token, in the
-- same transaction, and a start reads one row. A random token, not a counter: a database rebuilt from scratch (a test
-- database reseeded, a restore) never shows a node a token it saw before with other questions behind it. With the row
-- gone (a table emptied by hand) a start finds no token and reads the bank afresh; the next write puts the row back.
CREATE TABLE bank_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    token uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO bank_state DEFAULT VALUES;

CREATE FUNCTION bank_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bank_state (token) VALUES (gen_random_uuid())
    ON CONFLICT (singleton) DO UPDATE SET token = excluded.token;
    RETURN NULL;
END
$$;

CREATE TRIGGER questions_bank_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON questions
    FOR EACH STATEMENT EXECUTE FUNCTION bank_changed();
CREATE TRIGGER question_versions_bank_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON question_versions
    FOR EACH STATEMENT EXECUTE FUNCTION bank_changed();
