-- A live question's close rewrites the totals of every player of the round (live_players: points, streak and the two
-- counts) and the streak bonus of the question's answers (live_answers). None of those columns is indexed, so a new
-- row version can stay on its page (a HOT update, which adds no index entries) when the page has room. The rows are
-- inserted as players join and answer, which fills every page: each close wrote its 10,000 new player rows elsewhere,
-- plus an entry in each of live_players' four indexes. With half of each live_players page kept free (and 30 % of each
-- live_answers page), the save of a close of 10,000 players took ~60 ms instead of ~140 ms (load-tests/results/
-- SUMMARY.md, issue 13). Both tables hold small rows; a round of 10,000 players takes a few MB more.
--
-- The setting applies to pages written from now on; pages already written keep their rows as they are.
ALTER TABLE live_players SET (fillfactor = 50);
ALTER TABLE live_answers SET (fillfactor = 70);
