-- Closing a round inserts one round_results row per entry (1,000,000 in a large week), and every foreign key of the
-- table is a per-row trigger that looks up its parent row and share-locks it: four lookups per row (round,
-- participant, unit, attempt) were more than half of the close (load-tests/results/SUMMARY.md, issue 13).
--
-- A result is the ranking of an entry, so one key says it all: (round_id, participant_id) must be a round_entries
-- row. An entry itself belongs to an existing round, participant and unit (round_entries' own foreign keys), so the
-- three separate keys added nothing but lookups. One lookup per row, through round_entries' primary key.
--
-- The attempt key is dropped, not replaced. The ranking (RoundClose.RankingSql) is the only writer of round_results,
-- and it takes attempt_id from round_entries.best_attempt_id and unit_id from round_entries.unit_id of the same entry;
-- best_attempt_id is itself a foreign key to attempts, and attempts are never deleted (erasure of personal data
-- anonymises participants and keeps their attempts). Keeping the check would cost a lookup and a share lock on a
-- second million-row table; checking that the attempt is the entry's best would need another unique index on
-- round_entries, updated on every submission. The composite key below keeps a result from pointing at someone who
-- did not enter the round, which the separate keys allowed (a real participant, round and unit, but no entry).
--
-- Every existing result was written by that ranking from an entry, so validation finds nothing to refuse.
ALTER TABLE round_results
    DROP CONSTRAINT IF EXISTS round_results_round_id_fkey,
    DROP CONSTRAINT IF EXISTS round_results_participant_id_fkey,
    DROP CONSTRAINT IF EXISTS round_results_unit_id_fkey,
    DROP CONSTRAINT IF EXISTS round_results_attempt_id_fkey,
    ADD CONSTRAINT round_results_entry_fkey FOREIGN KEY (round_id, participant_id) REFERENCES round_entries (round_id, participant_id);
