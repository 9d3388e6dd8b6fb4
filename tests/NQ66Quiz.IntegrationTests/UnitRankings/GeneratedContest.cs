using System.Diagnostics;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.UnitRankings;

/// <summary>A generated contest: its id, slug, units (top ones first), rounds, and the planted miskeyed question.</summary>
public sealed record Generated(long ContestId, string Slug, int[] TopUnitIds, int[] SubUnitIds, long[] RoundIds, string MiskeyedQuestionId,
    int Participants, TimeSpan Took);

/// <summary>
/// A whole contest made with set-based SQL (generate_series), not through thousands of HTTP calls: top units each with
/// sub-units, declared headcounts, participants spread over every unit, three past rounds with one or two attempts per
/// person, ten answers per attempt over the shipped bank (imported by the real loader) plus one planted miskeyed
/// question. Everything is a deterministic function of the row numbers (hashtext), so the data are the same every run.
/// The rounds are then closed and two of the three published through the real organizer API (ranking, prizes, Redis
/// boards), so winners exist and one round's winners must not count yet.
/// </summary>
public static class GeneratedContest
{
    public const string MiskeyedId = "cai-cam-sai-dap-an";

    public static async Task<Generated> CreateAsync(AppFixture app, int participants, int topUnits, int subUnitsEach, string slug = "thi-tong-hop", TextWriter? log = null)
    {
        var watch = Stopwatch.StartNew();
        void Step(string what) => log?.WriteLine($"{watch.Elapsed.TotalSeconds,6:0.0} s  {what}");
        var questions = app.Factory.Services.GetServices<IContentLoader>().Single(l => l.Name == "questions");
        using (var bankLog = new StringWriter())
        {
            Assert.True(await questions.LoadAsync(TestData.ContentRoot, bankLog, CancellationToken.None), bankLog.ToString());
        }
        // Planted: the declared key is option 0, but the strongest participants choose option 1 (see the answers below).
        await app.ImportQuestionsAsync(new TestQuestion(MiskeyedId) { Viewpoints = [1] });
        Step("bank imported");

        int[] tops, subs;
        await using (var connection = app.OpenConnection())
        {
            tops = [.. await connection.QueryAsync<int>("""
                INSERT INTO units (code, kind, name, type, search_key, source, headcount)
                SELECT 'sinh-' || lpad(g::text, 3, '0'), 'commune', 'Phường Sinh Thử ' || lpad(g::text, 3, '0'), 'phường',
                       'phuong sinh thu ' || lpad(g::text, 3, '0'), 'test', NULL
                FROM generate_series(1, @topUnits) g ORDER BY g
                RETURNING id
                """, new { topUnits })];
            subs = [.. await connection.QueryAsync<int>("""
                INSERT INTO units (code, kind, name, type, search_key, source, parent_id)
                SELECT u.code || '-truong-' || s, 'agency', 'Trường Thử ' || s || ' — ' || u.name, 'trường', u.search_key || ' truong ' || s, 'test', u.id
                FROM units u, generate_series(1, @subUnitsEach) s
                WHERE u.code LIKE 'sinh-%' AND u.parent_id IS NULL
                ORDER BY u.id, s
                RETURNING id
                """, new { subUnitsEach })];
        }

        var organizer = await app.CreateOrganizerClientAsync();
        // A city-wide contest, as the city's are: organized by the city root, which the admin's creation put in place.
        int city;
        await using (var connection = app.OpenConnection())
        {
            city = await connection.ExecuteScalarAsync<int>("SELECT id FROM units WHERE kind = 'city'");
        }
        var contest = await organizer.CreateContestAsync(TestData.Contest(city, name: "Cuộc thi tổng hợp Nghị quyết 66") with { Slug = slug });
        var now = app.Clock.GetUtcNow();
        long[] rounds;
        await using (var connection = app.OpenConnection())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var sql = """
                -- Headcounts: every unit declares one, a top unit's covering its sub-units. ~97 % of a top unit's people take part,
                -- so headcounts of 1.2–5.2 times its people spread the rates from ~19 % to ~80 %: some units fall under a
                -- minimum rate, none is above 100 %. (Top units are told by id: by now they hang below the city root.)
                INSERT INTO unit_headcounts (contest_id, unit_id, headcount, updated_at)
                SELECT @contestId, u.id, CASE WHEN u.id = ANY(@tops) THEN @perTop * (1.2 + abs(hashtext('h' || u.id)) % 400 / 100.0) ELSE @perSub * 2 END::integer, @now
                FROM units u WHERE u.code LIKE 'sinh-%';

                INSERT INTO contest_rounds (contest_id, number, opens_at, closes_at, question_count, blueprint, time_limit_seconds,
                                            attempts_allowed, prize_structure, created_at, updated_at)
                SELECT @contestId, n, @now - make_interval(days => 29 - 7 * (n - 1)), @now - make_interval(days => 22 - 7 * (n - 1)), 10,
                       '[{"count": 10}]', 600, 2,
                       '[{"code": "nhat", "name": "Giải Nhất", "count": 1}, {"code": "nhi", "name": "Giải Nhì", "count": 2}, {"code": "ba", "name": "Giải Ba", "count": 3}, {"code": "khuyen-khich", "name": "Giải Khuyến khích", "count": 10}]',
                       @now, @now
                FROM generate_series(1, 3) n;

                -- Participants over every generated unit, a top unit's own people included, ability 0–1 from the row number.
                CREATE TEMP TABLE gen_people ON COMMIT DROP AS
                SELECT g AS n, u.ids[1 + abs(hashtext('u' || g)) % cardinality(u.ids)] AS unit_id, (abs(hashtext('a' || g)) % 1000) / 1000.0 AS ability
                FROM generate_series(1, @participants) g,
                     (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE code LIKE 'sinh-%') u;

                INSERT INTO participants (phone, full_name, date_of_birth, unit_id, participant_type, password_hash, created_at, updated_at)
                SELECT '09' || lpad(n::text, 8, '0'), 'Nguyễn Thị Thử ' || n, date '1990-01-01' + n % 9000, unit_id, 'citizen', 'generated', @now, @now
                FROM gen_people ORDER BY n;
                ALTER TABLE gen_people ADD COLUMN participant_id bigint;
                UPDATE gen_people p SET participant_id = x.id FROM participants x WHERE x.phone = '09' || lpad(p.n::text, 8, '0');
                CREATE INDEX ON gen_people (participant_id);
                -- Fresh tables have no statistics inside this transaction, without them the planner nests loops over 10⁵ rows.
                ANALYZE gen_people;
                ANALYZE participants;

                -- About 70 % of people enter each round, with one or two attempts.
                INSERT INTO round_entries (round_id, participant_id, unit_id, attempts_used)
                SELECT r.id, p.participant_id, p.unit_id, 1 + abs(hashtext('t' || p.n || '-' || r.number)) % 2
                FROM gen_people p JOIN contest_rounds r ON r.contest_id = @contestId
                WHERE abs(hashtext('e' || p.n || '-' || r.number)) % 100 < 70;

                INSERT INTO attempts (round_id, participant_id, number, status, started_at, deadline_at, submitted_at, duration_ms, score, question_count)
                SELECT e.round_id, e.participant_id, k, 'submitted', st, st + interval '10 minutes', st + make_interval(secs => secs), secs * 1000, 0, 10
                FROM round_entries e JOIN contest_rounds r ON r.id = e.round_id
                CROSS JOIN LATERAL generate_series(1, e.attempts_used) k
                CROSS JOIN LATERAL (SELECT r.opens_at + make_interval(mins => abs(hashtext('s' || e.participant_id || '-' || k)) % 9000) AS st,
                                           60 + abs(hashtext('d' || e.participant_id || '-' || k)) % 500 AS secs) s
                WHERE r.contest_id = @contestId;
                ANALYZE round_entries;
                ANALYZE attempts;

                -- Honest questions numbered 0..h-1, the planted one is -1.
                CREATE TEMP TABLE gen_questions ON COMMIT DROP AS
                SELECT CASE WHEN q.id = @miskeyed THEN -1 ELSE row_number() OVER (PARTITION BY q.id = @miskeyed ORDER BY qv.id) - 1 END AS i,
                       qv.id, qv.kind, q.id = @miskeyed AS planted,
                       array_agg((o->>'id')::smallint ORDER BY (o->>'id')::smallint) FILTER (WHERE (o->>'correct')::boolean) AS key,
                       array_agg((o->>'id')::smallint ORDER BY (o->>'id')::smallint) FILTER (WHERE NOT (o->>'correct')::boolean) AS wrong,
                       array_agg((o->>'id')::smallint ORDER BY (o->>'id')::smallint) AS all_options
                FROM questions q JOIN question_versions qv ON qv.question_id = q.id AND qv.version = q.current_version,
                     jsonb_array_elements(qv.options) o
                GROUP BY qv.id, qv.kind, q.id;
                CREATE INDEX ON gen_questions (i);
                ANALYZE gen_questions;

                -- Ten distinct questions per attempt ((id·31 + pos·17) mod h: 17 is prime and 9 × 17 < h), every third
                -- attempt gets the planted question at position 10, so it has answers enough in each group.
                INSERT INTO attempt_questions (attempt_id, position, question_version_id, option_order, chosen, answered_at, is_correct)
                SELECT x.attempt_id, x.position, q.id, q.all_options, c.chosen, x.started_at, c.chosen = q.key
                FROM (
                    SELECT a.id AS attempt_id, a.started_at, p.ability, pos AS position,
                           CASE WHEN pos = 10 AND a.id % 3 = 0 THEN -1 ELSE (a.id * 31 + pos * 17) % h.n END AS qi
                    FROM attempts a JOIN contest_rounds r ON r.id = a.round_id AND r.contest_id = @contestId
                    JOIN gen_people p ON p.participant_id = a.participant_id
                    CROSS JOIN generate_series(1, 10) pos
                    CROSS JOIN (SELECT count(*) AS n FROM gen_questions WHERE NOT planted) h
                ) x
                JOIN gen_questions q ON q.i = x.qi
                CROSS JOIN LATERAL (SELECT abs(hashtext('c' || x.attempt_id || '-' || x.position)) % 1000 AS roll) r
                CROSS JOIN LATERAL (
                    SELECT CASE
                        -- The planted question: strong people pick option 1 (the real answer), weak ones mostly the declared key.
                        WHEN q.planted AND x.ability > 0.5 THEN CASE WHEN r.roll < 850 THEN ARRAY[1]::smallint[] ELSE ARRAY[0]::smallint[] END
                        WHEN q.planted THEN CASE WHEN r.roll < 500 THEN ARRAY[0]::smallint[] ELSE ARRAY[(2 + r.roll % 2)]::smallint[] END
                        -- Honest questions: the abler, the likelier right, a wrong answer picks one wrong option.
                        WHEN r.roll < 250 + 700 * x.ability THEN q.key
                        ELSE ARRAY[q.wrong[1 + r.roll % cardinality(q.wrong)]]::smallint[]
                    END AS chosen
                ) c;

                ANALYZE attempt_questions;
                UPDATE attempts a SET score = s.correct
                FROM (SELECT attempt_id, count(*) FILTER (WHERE is_correct) AS correct FROM attempt_questions GROUP BY attempt_id) s
                WHERE a.id = s.attempt_id;

                -- Live rounds at meetings: one in round 2 in unit mode (some people play for another unit than their own, and
                -- still count for their own), one in round 3 with signed-in players only, one outside the contest (counts
                -- nowhere). Guests without an account, removed players and players who never answered do not count either.
                INSERT INTO live_rounds (title, created_by, time_limit_seconds, points, streak_bonus, leaderboard_each_question, unit_mode,
                                         require_identity, phase, shuffle_seed, created_at, opened_at, started_at, ended_at, contest_round_id)
                SELECT 'Vòng trực tiếp thử ' || k, 'generated', 20, 1000, true, true, k <> 2, k = 2, 'ended', k, @now, t, t, t + interval '30 minutes', r.id
                FROM generate_series(1, 3) k
                LEFT JOIN contest_rounds r ON r.contest_id = @contestId AND r.number = CASE k WHEN 1 THEN 2 WHEN 2 THEN 3 END
                CROSS JOIN LATERAL (SELECT coalesce(r.opens_at, @now - interval '40 days') + interval '1 day' AS t) s
                ORDER BY k;
                CREATE TEMP TABLE gen_live ON COMMIT DROP AS
                SELECT id, row_number() OVER (ORDER BY id) AS k, started_at FROM live_rounds WHERE title LIKE 'Vòng trực tiếp thử %';
                INSERT INTO live_round_questions (round_id, number, question_version_id, option_order, correct_option, opened_at, closed_at)
                SELECT l.id, q.i + 1, q.id, q.all_options, array_position(q.all_options, q.key[1]) - 1, l.started_at, l.started_at + interval '1 minute'
                FROM gen_live l, gen_questions q WHERE q.i BETWEEN 0 AND 4;
                INSERT INTO live_players (round_id, nickname, nickname_key, unit_id, participant_id, joined_at, removed_at)
                -- Round 2's meeting: signed-in people, every other one playing for the unit of someone else.
                SELECT l.id, 'Người ' || p.n, 'người ' || p.n, CASE WHEN p.n % 80 = 0 THEN o.unit_id ELSE p.unit_id END, p.participant_id, l.started_at, NULL::timestamptz
                FROM gen_live l JOIN gen_people p ON p.n % 40 = 0 JOIN gen_people o ON o.n = p.n + 7 WHERE l.k = 1
                UNION ALL
                -- Guests without an account, in units; some removed by the host, some who never answered ('Vắng').
                SELECT l.id, CASE WHEN g > 180 THEN 'Vắng ' ELSE 'Khách ' END || g, CASE WHEN g > 180 THEN 'vắng ' ELSE 'khách ' END || g,
                       u.ids[1 + abs(hashtext('lu' || g || '-' || l.k)) % cardinality(u.ids)], NULL, l.started_at,
                       CASE WHEN g BETWEEN 151 AND 180 THEN l.started_at + interval '5 minutes' END
                FROM gen_live l CROSS JOIN generate_series(1, 200) g
                CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE code LIKE 'sinh-%') u
                WHERE l.k IN (1, 3)
                UNION ALL
                -- Round 3's meeting: signed-in people only, no unit chosen (they count for their own).
                SELECT l.id, 'Người ' || p.n, 'người ' || p.n, NULL, p.participant_id, l.started_at, NULL
                FROM gen_live l JOIN gen_people p ON p.n % 30 = 1 WHERE l.k = 2;
                INSERT INTO live_answers (round_id, number, player_id, option, received_at, elapsed_ms, correct, points)
                SELECT q.round_id, q.number, lp.id, x.option, q.opened_at + make_interval(secs => x.ms / 1000.0), x.ms,
                       x.option = q.correct_option, CASE WHEN x.option = q.correct_option THEN 500 ELSE 0 END
                FROM live_players lp
                JOIN gen_live l ON l.id = lp.round_id
                JOIN live_round_questions q ON q.round_id = lp.round_id AND q.number <= 1 + lp.id % 5
                CROSS JOIN LATERAL (SELECT ((lp.id + q.number) % cardinality(q.option_order))::smallint AS option,
                                           (1000 + lp.id * 37 % 15000)::integer AS ms) x
                WHERE lp.nickname NOT LIKE 'Vắng %';

                UPDATE round_entries e SET best_attempt_id = b.id
                FROM (SELECT DISTINCT ON (a.round_id, a.participant_id) a.round_id, a.participant_id, a.id
                      FROM attempts a JOIN contest_rounds r ON r.id = a.round_id AND r.contest_id = @contestId
                      ORDER BY a.round_id, a.participant_id, a.score DESC, a.duration_ms, a.id) b
                WHERE e.round_id = b.round_id AND e.participant_id = b.participant_id;
                """;
            await connection.ExecuteAsync(sql, new
            {
                contestId = contest.Id,
                now,
                participants,
                tops,
                perTop = (double)participants / topUnits,
                perSub = (double)participants / topUnits / (subUnitsEach + 1),
                miskeyed = MiskeyedId,
            }, tx, commandTimeout: 300);
            rounds = [.. await connection.QueryAsync<long>("SELECT id FROM contest_rounds WHERE contest_id = @Id ORDER BY number", new { contest.Id }, tx)];
            await tx.CommitAsync();
        }
        Step("participants, entries, attempts, answers generated");
        foreach (var (round, i) in rounds.Select((r, i) => (r, i)))
        {
            using (var close = await organizer.PostAsync($"/api/organizer/rounds/{round}/close", null))
            {
                Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync());
            }
            if (i < 2)
            {
                using var publish = await organizer.PostAsync($"/api/organizer/rounds/{round}/publish", null);
                Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync());
            }
        }
        Step("rounds closed and published");
        return new Generated(contest.Id, slug, tops, subs, rounds, MiskeyedId, participants, watch.Elapsed);
    }

    public static async Task<T> GetOkAsync<T>(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static PrizeTier[] RoundPrizes => [.. Prizes.Default];
}
