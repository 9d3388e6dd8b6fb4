using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using MiniExcelLibs;
using Npgsql;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.Web.Features.UnitRankings;
using Xunit.Abstractions;

namespace NQ66Quiz.IntegrationTests.UnitRankings;

/// <summary>
/// One generated contest of 10,000 people in 100 units with 2 sub-units each, shared by the tests of this class (made
/// once; a test here changes only the collective ranking rule, which each ranking test sets itself). Every figure the
/// app serves is checked against a recomputation written independently: raw rows read with plain SELECTs and rolled up
/// the tree in C#.
/// </summary>
public sealed class GeneratedContestTests(AppFixture app, ITestOutputHelper output) : IntegrationTest(app)
{
    private static Generated? _data;
    private static string? _database;

    private static Generated Data => _data!;

    public override async Task InitializeAsync()
    {
        if (_data is not null && _database == App.DatabaseName && await StillThereAsync(_data))
        {
            return;
        }
        await App.ResetAsync();
        using var log = new StringWriter();
        try
        {
            _data = await GeneratedContest.CreateAsync(App, participants: 10_000, topUnits: 100, subUnitsEach: 2, log: log);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
        _database = App.DatabaseName;
        output.WriteLine($"Generated 10,000 participants, 300 units, 3 rounds in {_data.Took.TotalSeconds:0.0} s");
    }

    private async Task<bool> StillThereAsync(Generated data)
    {
        await using var connection = App.OpenConnection();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM participants") == data.Participants
            && await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM contests WHERE id = @ContestId)", data);
    }

    // ---- the independent recomputation -------------------------------------------------------------------------------

    private sealed record RawUnit(int Id, int? ParentId);

    private sealed record RawEntry(int RoundNumber, long ParticipantId, int UnitId, int AttemptsUsed, int? BestScore, int? QuestionCount, bool Winner, string? PrizeCode);

    private sealed record Expected(long Participants, long Entries, double? Average, long Perfect, long Winners);

    private async Task<(Dictionary<int, HashSet<int>> Subtree, List<RawEntry> Entries)> RawAsync()
    {
        await using var connection = App.OpenConnection();
        var units = (await connection.QueryAsync<RawUnit>("SELECT id, parent_id FROM units")).ToList();
        var entries = (await connection.QueryAsync<RawEntry>("""
            SELECT r.number AS round_number, e.participant_id, e.unit_id, e.attempts_used, a.score AS best_score, a.question_count,
                   (rr.prize_code IS NOT NULL AND r.results_published_at IS NOT NULL) AS winner,
                   CASE WHEN r.results_published_at IS NOT NULL THEN rr.prize_code END AS prize_code
            FROM round_entries e
            JOIN contest_rounds r ON r.id = e.round_id
            LEFT JOIN attempts a ON a.id = e.best_attempt_id
            LEFT JOIN round_results rr ON rr.round_id = e.round_id AND rr.participant_id = e.participant_id
            WHERE r.contest_id = @ContestId
            """, Data)).ToList();
        entries.AddRange(await LiveEntriesAsync(connection));
        var children = units.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value, u => u.Id);
        var subtree = new Dictionary<int, HashSet<int>>();
        HashSet<int> Walk(int id)
        {
            if (!subtree.TryGetValue(id, out var set))
            {
                set = [id, .. children[id].SelectMany(Walk)];
                subtree[id] = set;
            }
            return set;
        }
        foreach (var u in units)
        {
            Walk(u.Id);
        }
        return (subtree, entries);
    }

    private sealed record RawLivePlayer(long Id, long RoundId, long? ParticipantId, int? UnitId, bool Removed);

    /// <summary>
    /// The players of live rounds held in this contest's rounds, from plain SELECTs of each table: a player signed in with
    /// a participant account who answered at least once is one entry of that round, for their account's unit; guests and
    /// removed players count nowhere; no score, no prize.
    /// </summary>
    private static async Task<List<RawEntry>> LiveEntriesAsync(NpgsqlConnection connection)
    {
        var rounds = (await connection.QueryAsync<(long Id, int Number)>("SELECT id, number FROM contest_rounds WHERE contest_id = @ContestId", Data))
            .ToDictionary(r => r.Id, r => r.Number);
        var liveRounds = (await connection.QueryAsync<(long Id, long? ContestRoundId)>("SELECT id, contest_round_id FROM live_rounds"))
            .Where(l => l.ContestRoundId is { } c && rounds.ContainsKey(c)).ToDictionary(l => l.Id, l => rounds[l.ContestRoundId!.Value]);
        var answered = (await connection.QueryAsync<long>("SELECT player_id FROM live_answers")).ToHashSet();
        var units = (await connection.QueryAsync<(long Id, int UnitId)>("SELECT id, unit_id FROM participants")).ToDictionary(p => p.Id, p => p.UnitId);
        var players = await connection.QueryAsync<RawLivePlayer>("SELECT id, round_id, participant_id, unit_id, removed_at IS NOT NULL AS removed FROM live_players");
        return [.. players.Where(p => liveRounds.ContainsKey(p.RoundId) && !p.Removed && answered.Contains(p.Id) && p.ParticipantId is not null)
            .Select(p => new RawEntry(liveRounds[p.RoundId], p.ParticipantId!.Value, units[p.ParticipantId.Value], 1, null, null, false, null))];
    }

    private static Expected Compute(IEnumerable<RawEntry> rows)
    {
        var list = rows.Where(r => r.AttemptsUsed > 0).ToList();
        var scored = list.Where(r => r.BestScore is not null).ToList();
        return new Expected(list.Select(r => r.ParticipantId).Distinct().LongCount(), list.Sum(r => (long)r.AttemptsUsed),
            scored.Count > 0 ? scored.Average(r => (double)r.BestScore!.Value) : null,
            scored.LongCount(r => r.BestScore == r.QuestionCount), list.LongCount(r => r.Winner));
    }

    [Fact]
    public async Task Every_figure_of_every_unit_and_round_equals_an_independent_recomputation()
    {
        var organizer = await App.CreateOrganizerClientAsync();
        var watch = Stopwatch.StartNew();
        var view = await organizer.GetOkAsync<UnitFiguresView>($"/api/organizer/unit-rankings/contests/{Data.ContestId}/figures");
        output.WriteLine($"GET figures (300 units × 3 rounds + cumulative, 10,000 people): {watch.ElapsedMilliseconds} ms");

        var (subtree, entries) = await RawAsync();
        Assert.True(entries.Select(e => e.ParticipantId).Distinct().Count() >= 9_500, "the generated contest has its ~10,000 participants");
        await using var connection = App.OpenConnection();
        var headcounts = (await connection.QueryAsync<(int UnitId, int Headcount)>(
            "SELECT unit_id, headcount FROM unit_headcounts WHERE contest_id = @ContestId", Data)).ToDictionary(h => h.UnitId, h => h.Headcount);

        var generatedUnits = Data.TopUnitIds.Concat(Data.SubUnitIds).ToList();
        Assert.Equal(300, generatedUnits.Count);
        var checkedRows = 0;
        foreach (var unitId in generatedUnits)
        {
            foreach (var round in new int?[] { null, 1, 2, 3 })
            {
                var expected = Compute(entries.Where(e => subtree[unitId].Contains(e.UnitId) && (round is null || e.RoundNumber == round)));
                var actual = view.Figures.SingleOrDefault(f => f.UnitId == unitId && f.RoundNumber == round);
                if (expected.Participants == 0 && round is not null)
                {
                    Assert.Null(actual);
                    continue;
                }
                Assert.NotNull(actual);
                Assert.Equal(expected.Participants, actual.Participants);
                Assert.Equal(expected.Entries, actual.Entries);
                Assert.Equal(expected.Perfect, actual.PerfectScores);
                Assert.Equal(expected.Winners, actual.Winners);
                Assert.Equal(expected.Average!.Value, actual.AverageBestScore!.Value, 9);
                Assert.Equal(headcounts[unitId], actual.Headcount);
                Assert.Equal((double)expected.Participants / headcounts[unitId], actual.Rate!.Value, 12);
                checkedRows++;
            }
        }
        Assert.True(checkedRows >= 1_100, $"checked {checkedRows} unit × round rows");
        // A top unit's figures include its sub-units': the roll-up is not the unit's own people only.
        var top = Data.TopUnitIds[0];
        Assert.True(view.Figures.Single(f => f.UnitId == top && f.RoundNumber is null).Participants
            > entries.Where(e => e.UnitId == top).Select(e => e.ParticipantId).Distinct().Count());
        // Rounds 1 and 2 are published (16 prizes each), round 3 is closed but not: its winners do not count yet.
        Assert.Equal(32, view.Figures.Where(f => f.RoundNumber is null && Data.TopUnitIds.Contains(f.UnitId)).Sum(f => f.Winners));
        Assert.Equal(0, view.Figures.Where(f => f.RoundNumber == 3).Sum(f => f.Winners));

        // Live rounds count: the city's round 2 has more people and entries than its online entries alone (people who
        // only came to the meeting), and every live player counted is in the recomputation above; the planted guests
        // (answering, in units) are not.
        var liveOnly = (await LiveEntriesAsync(connection)).ToList();
        Assert.True(liveOnly.Count >= 300, $"{liveOnly.Count} live entries counted");
        Assert.Contains(liveOnly, e => e.RoundNumber == 3);
        Assert.True(await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM live_players p WHERE p.participant_id IS NULL AND p.unit_id IS NOT NULL AND p.removed_at IS NULL
              AND EXISTS (SELECT 1 FROM live_answers a WHERE a.player_id = p.id)
            """) >= 100, "guests who answered were planted");
        var allTop = Data.TopUnitIds.SelectMany(t => subtree[t]).ToHashSet();
        var round2 = view.Figures.Where(f => f.RoundNumber == 2 && Data.TopUnitIds.Contains(f.UnitId)).ToList();
        var round2Online = entries.Where(e => e.RoundNumber == 2 && allTop.Contains(e.UnitId)).Except(liveOnly).ToList();
        Assert.Equal(round2Online.Sum(e => (long)e.AttemptsUsed) + liveOnly.Count(e => e.RoundNumber == 2 && allTop.Contains(e.UnitId)), round2.Sum(f => f.Entries));
        Assert.True(round2.Sum(f => f.Participants) > round2Online.Select(e => e.ParticipantId).Distinct().Count());

        // Participation over time: new people per day sum to the contest's distinct participants.
        Assert.Equal(entries.Select(e => e.ParticipantId).Distinct().LongCount(), view.OverTime[^1].TotalParticipants);
        Assert.Equal(view.OverTime.Sum(d => d.NewParticipants), view.OverTime[^1].TotalParticipants);
    }

    [Fact]
    public async Task Knowledge_map_cells_equal_a_recomputation_and_weak_cells_are_below_the_city_with_enough_answers()
    {
        var organizer = await App.CreateOrganizerClientAsync();
        var watch = Stopwatch.StartNew();
        var map = await organizer.GetOkAsync<KnowledgeMapView>($"/api/organizer/unit-rankings/contests/{Data.ContestId}/knowledge-map");
        output.WriteLine($"GET knowledge-map (~300,000 answers): {watch.ElapsedMilliseconds} ms");

        var (subtree, _) = await RawAsync();
        await using var connection = App.OpenConnection();
        // Raw: answers per direct unit and question version, right or wrong; the tags come from the question versions.
        var raw = (await connection.QueryAsync<(int UnitId, long VersionId, bool Correct, long N)>("""
            SELECT e.unit_id, aq.question_version_id, aq.is_correct, count(*)
            FROM attempt_questions aq
            JOIN attempts a ON a.id = aq.attempt_id
            JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
            JOIN contest_rounds r ON r.id = a.round_id
            WHERE r.contest_id = @ContestId AND a.status <> 'in_progress' AND aq.is_correct IS NOT NULL
            GROUP BY 1, 2, 3
            """, Data)).ToList();
        var tags = (await connection.QueryAsync<(long Id, short[] Viewpoints, short[] Tasks)>("SELECT id, viewpoints, tasks FROM question_versions"))
            .ToDictionary(t => t.Id);
        (long Answers, long Correct) Cell(IEnumerable<(int UnitId, long VersionId, bool Correct, long N)> rows, string dimension, int tag)
        {
            var matching = rows.Where(r => (dimension == KnowledgeDimensions.Viewpoint ? tags[r.VersionId].Viewpoints : tags[r.VersionId].Tasks).Contains((short)tag)).ToList();
            return (matching.Sum(r => r.N), matching.Where(r => r.Correct).Sum(r => r.N));
        }

        foreach (var (dimension, tag) in KnowledgeDimensions.Columns)
        {
            var city = Cell(raw, dimension, tag);
            var served = map.City.Single(c => c.Dimension == dimension && c.Tag == tag);
            Assert.Equal(city.Answers, served.Answers);
            Assert.Equal(city.Correct, served.Correct);
        }
        var weak = 0;
        var rawByUnit = raw.ToLookup(r => r.UnitId);
        foreach (var unitId in Data.TopUnitIds.Take(30).Concat(Data.SubUnitIds.Take(30)))
        {
            var rows = subtree[unitId].SelectMany(u => rawByUnit[u]).ToList();
            foreach (var (dimension, tag) in KnowledgeDimensions.Columns)
            {
                var expected = Cell(rows, dimension, tag);
                var cell = map.Cells.SingleOrDefault(c => c.UnitId == unitId && c.Dimension == dimension && c.Tag == tag);
                if (expected.Answers == 0)
                {
                    Assert.Null(cell);
                    continue;
                }
                Assert.NotNull(cell);
                Assert.Equal(expected.Answers, cell.Answers);
                Assert.Equal(expected.Correct, cell.Correct);
                var cityShare = map.City.Single(c => c.Dimension == dimension && c.Tag == tag).Share!.Value;
                Assert.Equal(expected.Answers >= KnowledgeMap.DefaultMinAnswers && (double)expected.Correct / expected.Answers < cityShare, cell.Weak);
                weak += cell.Weak ? 1 : 0;
            }
        }
        Assert.InRange(weak, 1, 60 * 12 - 1);
    }

    [Fact]
    public async Task Item_analysis_flags_the_planted_miskeyed_question_and_none_of_the_shipped_bank()
    {
        var organizer = await App.CreateOrganizerClientAsync();
        var watch = Stopwatch.StartNew();
        var items = await organizer.GetOkAsync<List<ItemStatistics>>($"/api/organizer/unit-rankings/contests/{Data.ContestId}/item-analysis");
        output.WriteLine($"GET item-analysis ({items.Count} questions): {watch.ElapsedMilliseconds} ms");

        var planted = items.Single(i => i.QuestionId == Data.MiskeyedQuestionId);
        Assert.True(planted.SuspectedMiskey);
        Assert.Equal(1, planted.TopWrongOptionId);
        Assert.True(planted.TopWrongChosenByUpper > planted.KeyChosenByUpper);
        Assert.True(planted.PointBiserial < 0, $"the planted question discriminates backwards ({planted.PointBiserial})");
        Assert.True(planted.Discrimination < 0);

        var honest = items.Where(i => i.QuestionId != Data.MiskeyedQuestionId).ToList();
        Assert.True(honest.Count >= 300, $"{honest.Count} shipped questions analysed");
        Assert.All(honest, i => Assert.False(i.SuspectedMiskey, $"{i.QuestionId} flagged"));
        Assert.True(honest.Average(i => i.PointBiserial ?? 0) > 0.1, "honest questions discriminate forwards");

        // Facility of the planted question, recomputed.
        await using var connection = App.OpenConnection();
        var (answers, correct) = await connection.QuerySingleAsync<(long, long)>("""
            SELECT count(*), count(*) FILTER (WHERE aq.is_correct)
            FROM attempt_questions aq JOIN question_versions qv ON qv.id = aq.question_version_id
            WHERE qv.question_id = @MiskeyedQuestionId
            """, Data);
        Assert.Equal(answers, planted.Answers);
        Assert.Equal((double)correct / answers, planted.Facility, 9);
    }

    [Theory]
    [InlineData(UnitRankingMethods.Rate)]
    [InlineData(UnitRankingMethods.Participants)]
    [InlineData(UnitRankingMethods.Points)]
    public async Task Collective_ranking_per_rule_with_a_minimum_rate_matches_the_rule_on_recomputed_figures(string method)
    {
        var organizer = await App.CreateOrganizerClientAsync();
        var rule = UnitRankingRule.Default with { Method = method, MinRates = [new(0, 0.25), new(300, 0.35)] };
        using (var put = await organizer.PutAsJsonAsync($"/api/organizer/unit-rankings/contests/{Data.ContestId}/ranking/settings",
            new UnitRankingSettingsRequest(method, [.. rule.MinRates], null, null, null)))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        using var compute = await organizer.PostAsync(new Uri($"/api/organizer/unit-rankings/contests/{Data.ContestId}/ranking/compute", UriKind.Relative), null);
        Assert.True(compute.IsSuccessStatusCode, await compute.Content.ReadAsStringAsync());
        var view = (await compute.Content.ReadFromJsonAsync<UnitRankingView>())!;

        // The same rule over standings recomputed from raw rows.
        var (subtree, entries) = await RawAsync();
        await using var connection = App.OpenConnection();
        var headcounts = (await connection.QueryAsync<(int UnitId, int Headcount)>(
            "SELECT unit_id, headcount FROM unit_headcounts WHERE contest_id = @ContestId", Data)).ToDictionary(h => h.UnitId, h => h.Headcount);
        var names = (await connection.QueryAsync<(int Id, string Name)>("SELECT id, name FROM units")).ToDictionary(u => u.Id, u => u.Name);
        var standings = (await connection.QueryAsync<int>("""
            -- The units ranked side by side: the children of the city root when the tree has one root, else the top level.
            SELECT id FROM units
            WHERE parent_id IS NOT DISTINCT FROM (SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM units WHERE parent_id IS NULL)
            """)).Select(id =>
        {
            var rows = entries.Where(e => subtree[id].Contains(e.UnitId)).ToList();
            var e = Compute(rows);
            return new UnitStanding(id, names[id], headcounts.TryGetValue(id, out var h) ? h : null, (int)e.Participants, e.Average,
                rows.Where(r => r.Winner).GroupBy(r => r.PrizeCode!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        });
        var expected = UnitRanking.Rank(rule, standings);

        Assert.Equal(100, view.Rows.Count);
        Assert.Equal(expected.Select(r => (r.Unit.UnitId, r.Rank, r.Eligible, r.Prize?.Code)), view.Rows.Select(r => (r.UnitId, r.Rank, r.Eligible, r.PrizeCode)));
        // Realistic headcounts: every rate below 100 %, some units under their minimum rate (not eligible, no prize).
        Assert.All(view.Rows, r => Assert.InRange(r.Rate!.Value, 0.05, 0.999));
        Assert.Contains(view.Rows, r => !r.Eligible);
        Assert.Contains(view.Rows, r => r.Eligible);
        Assert.All(view.Rows.Where(r => r.Eligible), r => Assert.True(r.Rate >= (r.Headcount >= 300 ? 0.35 : 0.25)));
        Assert.All(view.Rows.Where(r => !r.Eligible), r => Assert.True(r.Rate < (r.Headcount >= 300 ? 0.35 : 0.25)));
        Assert.All(view.Rows.Where(r => !r.Eligible), r => Assert.Null(r.PrizeCode));
        Assert.Equal(["nhat", "nhi", "ba", "ba"], view.Rows.Where(r => r.PrizeCode is not null).Select(r => r.PrizeCode));
        if (method == UnitRankingMethods.Rate)
        {
            var eligible = view.Rows.Where(r => r.Eligible).ToList();
            Assert.True(eligible.Zip(eligible.Skip(1)).All(p => p.First.Rate >= p.Second.Rate));
        }
        Assert.Null(view.PublishedAt);
    }

    [Fact]
    public async Task Unit_report_xlsx_reads_back_with_the_figures_its_sub_units_winners_and_knowledge_map()
    {
        var organizer = await App.CreateOrganizerClientAsync();
        var unitId = Data.TopUnitIds[3];
        var view = await organizer.GetOkAsync<UnitFiguresView>($"/api/organizer/unit-rankings/contests/{Data.ContestId}/figures?unitId={unitId}");
        using var response = await organizer.GetAsync(new Uri($"/api/organizer/unit-rankings/contests/{Data.ContestId}/report.xlsx?unitId={unitId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(UnitReport.Sheets, stream.GetSheetNames());
        var rounds = stream.Query(useHeaderRow: true, sheetName: UnitReport.Sheets[0]).Cast<IDictionary<string, object?>>().ToList();
        var own = view.Figures.Where(f => f.UnitId == unitId).ToList();
        Assert.Equal(own.Count, rounds.Count);
        Assert.Equal("Cả cuộc thi", rounds[^1]["Tuần thi"]);
        Assert.Equal(own.Single(f => f.RoundNumber is null).Participants, Convert.ToInt64(rounds[^1]["Người tham gia"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(own.Single(f => f.RoundNumber == 1).Entries, Convert.ToInt64(rounds[0]["Lượt thi"], System.Globalization.CultureInfo.InvariantCulture));

        var subs = stream.Query(useHeaderRow: true, sheetName: UnitReport.Sheets[1]).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, subs.Count);
        Assert.All(subs, s => Assert.StartsWith("Trường Thử", (string)s["Đơn vị"]!, StringComparison.Ordinal));

        var winners = stream.Query(useHeaderRow: true, sheetName: UnitReport.Sheets[2]).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(own.Single(f => f.RoundNumber is null).Winners, winners.Count);

        var map = stream.Query(useHeaderRow: true, sheetName: UnitReport.Sheets[3]).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(3, map.Count);
        Assert.Contains("Quan điểm 1 — % đúng", map[0].Keys);
        Assert.Contains("Nhiệm vụ 7 — số câu trả lời", map[0].Keys);

        // City-wide: one row per top unit.
        using var city = await organizer.GetAsync(new Uri($"/api/organizer/unit-rankings/contests/{Data.ContestId}/report.xlsx", UriKind.Relative));
        using var cityStream = new MemoryStream(await city.Content.ReadAsByteArrayAsync());
        Assert.Equal(100, cityStream.Query(useHeaderRow: true, sheetName: UnitReport.Sheets[1]).Count());
    }

    [Fact]
    public async Task A_unit_organizer_gets_404_or_403_for_another_units_data_on_every_endpoint()
    {
        // A real unit-organizer account (invited by the city admin, signed in over HTTP) of the first generated ward, in
        // the city's contest: its own subtree answers, every other unit's data is not found, the city's duties forbidden.
        var mine = Data.TopUnitIds[0];
        var mySub = Data.SubUnitIds[0];
        var other = Data.TopUnitIds[1];
        var otherSub = Data.SubUnitIds.First(s => s != Data.SubUnitIds[0] && s != Data.SubUnitIds[1]);
        using var organizer = await App.CreateOrganizerClientAsync(NQ66Quiz.Web.Features.Organizers.OrganizerRoles.UnitOrganizer, mine);
        using var admin = await App.CreateOrganizerClientAsync();
        var c = Data.ContestId;
        var api = $"/api/organizer/unit-rankings/contests/{c}";

        async Task<HttpStatusCode> StatusAsync(HttpClient client, string url, HttpMethod? method = null, HttpContent? body = null)
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(url, UriKind.Relative)) { Content = body };
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        await using var connection = App.OpenConnection();
        // A winner of another unit (rounds 1 and 2 are published), for the certificate endpoint.
        var otherWinner = await connection.QueryFirstAsync<(long RoundId, long ParticipantId)>("""
            SELECT rr.round_id, rr.participant_id FROM round_results rr
            WHERE rr.round_id = @round AND rr.prize_code IS NOT NULL AND rr.unit_id NOT IN (SELECT id FROM units WHERE id = @mine OR parent_id = @mine)
            """, new { round = Data.RoundIds[0], mine });

        var refused = new List<string>();
        foreach (var unit in new[] { other, otherSub })
        {
            foreach (var url in new[]
            {
                $"{api}/figures?unitId={unit}", $"{api}/knowledge-map?unitId={unit}", $"{api}/item-analysis?unitId={unit}",
                $"{api}/report.xlsx?unitId={unit}", $"{api}/units/{unit}/certificate.pdf", $"/to-chuc/xep-hang-don-vi/{c}/{unit}",
            })
            {
                var status = await StatusAsync(organizer, url);
                Assert.True(status == HttpStatusCode.NotFound, $"GET {url} as the organizer of another unit: {(int)status}");
                refused.Add(url);
            }
        }
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(organizer,
            $"/api/organizer/unit-rankings/rounds/{otherWinner.RoundId}/participants/{otherWinner.ParticipantId}/certificate.pdf"));
        // The same certificate exists: the city admin gets it, so the 404 above is the scope.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin,
            $"/api/organizer/unit-rankings/rounds/{otherWinner.RoundId}/participants/{otherWinner.ParticipantId}/certificate.pdf"));

        // The city's duties: forbidden to a unit organizer (and nothing changed).
        var settings = await connection.QuerySingleOrDefaultAsync<(string, DateTime?)?>("SELECT method, computed_at FROM unit_ranking_settings WHERE contest_id = @c", new { c });
        // (404 here: the ranking is the city contest's own, which a ward's organizer does not reach; 403 on their own contest.)
        HttpStatusCode[] refusedStatuses = [HttpStatusCode.NotFound, HttpStatusCode.Forbidden];
        Assert.Contains(await StatusAsync(organizer, $"{api}/ranking/settings", HttpMethod.Put,
            JsonContent.Create(new UnitRankingSettingsRequest("participants", null, null, null, null))), refusedStatuses);
        Assert.Contains(await StatusAsync(organizer, $"{api}/ranking/compute", HttpMethod.Post), refusedStatuses);
        Assert.Contains(await StatusAsync(organizer, $"{api}/ranking/publish", HttpMethod.Post), refusedStatuses);
        Assert.Contains(await StatusAsync(organizer, $"{api}/ranking"), refusedStatuses);
        Assert.Equal(settings, await connection.QuerySingleOrDefaultAsync<(string, DateTime?)?>("SELECT method, computed_at FROM unit_ranking_settings WHERE contest_id = @c", new { c }));
        Assert.False(await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM unit_ranking_settings WHERE contest_id = @c AND published_at IS NOT NULL)", new { c }));

        // Another unit's own contest: every unit-rankings endpoint is 404 for this organizer, the ranking review included.
        var theirs = await admin.CreateContestAsync(TestData.Contest(other, name: "Cuộc thi riêng của phường khác"));
        foreach (var url in new[] { "figures", "knowledge-map", "item-analysis", "report.xlsx", "ranking", $"units/{other}/certificate.pdf" })
        {
            var status = await StatusAsync(organizer, $"/api/organizer/unit-rankings/contests/{theirs.Id}/{url}");
            Assert.True(status == HttpStatusCode.NotFound, $"GET {url} of another unit's contest: {(int)status}");
        }
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(organizer, $"/to-chuc/xep-hang-don-vi/{theirs.Id}/{mine}"));

        // Their own data answers: without a unit, only their subtree (the ward and its two schools).
        var own = await organizer.GetOkAsync<UnitFiguresView>($"{api}/figures");
        Assert.Equal(new[] { mine, mySub, Data.SubUnitIds[1] }.Order(), own.Figures.Select(f => f.UnitId).Distinct().Order());
        Assert.Equal(mine, own.UnitId);
        var map = await organizer.GetOkAsync<KnowledgeMapView>($"{api}/knowledge-map");
        Assert.DoesNotContain(map.Cells, cell => cell.UnitId == other);
        foreach (var url in new[] { $"{api}/figures?unitId={mySub}", $"{api}/knowledge-map?unitId={mine}", $"{api}/item-analysis",
                     $"{api}/report.xlsx?unitId={mine}", $"/to-chuc/xep-hang-don-vi/{c}/{mine}", $"/to-chuc/xep-hang-don-vi/{c}/{mySub}" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(organizer, url));
        }

        // Over HTTP: without signing in, every organizer endpoint answers 401, never a redirect.
        var anonymous = App.CreateClient();
        foreach (var url in new[]
        {
            $"figures?unitId={other}", $"knowledge-map?unitId={other}", "item-analysis", $"report.xlsx?unitId={other}", "ranking",
            $"units/{other}/certificate.pdf",
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, $"{api}/{url}"));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, $"{api}/ranking/compute", HttpMethod.Post));
        Assert.Equal(12, refused.Count);
    }

    [Fact]
    public async Task Public_units_api_ranks_the_top_units_without_prizes_before_publication()
    {
        var view = await App.CreateClient().GetOkAsync<PublicUnitsView>($"/api/contests/{Data.Slug}/units");
        Assert.False(view.Published);
        Assert.Equal(100, view.Ranking.Count);
        Assert.All(view.Ranking, r => Assert.Null(r.PrizeName));
        Assert.Equal(10, view.TopByRate.Count);
        Assert.True(view.TopByRate.Zip(view.TopByRate.Skip(1)).All(p => p.First.Rate >= p.Second.Rate));
        Assert.NotEmpty(view.OverTime);
    }
}
