using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using MiniExcelLibs;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.IntegrationTests.Contests;

public sealed class RoundResultsTests(AppFixture app) : ContestTest(app)
{
    private static readonly List<PrizeTier> TwoPrizes = [new("nhat", "Giải Nhất", 1), new("nhi", "Giải Nhì", 1)];

    private async Task<List<(HttpClient Client, long Id)>> PeopleAsync(int count)
    {
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var people = new List<(HttpClient, long)>();
        for (var i = 0; i < count; i++)
        {
            var (client, profile) = await App.RegisterAsync(TestData.Registration($"09120000{i:00}", unit, name: $"Trần Thị {(char)('A' + i)}nh", publish: i != 1));
            people.Add((client, profile.Id));
        }
        return people;
    }

    private async Task<List<(int Rank, long ParticipantId, string? Prize)>> ResultsAsync(long roundId)
    {
        await using var connection = App.OpenConnection();
        return [.. await connection.QueryAsync<(int, long, string?)>(
            "SELECT rank, participant_id, prize_code FROM round_results WHERE round_id = @roundId ORDER BY rank", new { roundId })];
    }

    [Fact]
    public async Task With_one_prize_per_person_an_earlier_winner_is_passed_over_in_a_later_round()
    {
        await App.LoadUnitsAsync();
        await App.ImportQuestionsAsync(Enumerable.Range(1, 4).Select(i => TestData.Question($"q{i}", Viewpoints: [1])));
        using var organizer = await App.CreateOrganizerClientAsync();
        var contest = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), onePrizePerPerson: true));
        var round1 = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var round2 = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(2), prizes: TwoPrizes));
        var people = await PeopleAsync(4);
        int[] round1Scores = [4, 3, 1, 0];
        int[] round2Scores = [4, 1, 3, 2];
        for (var i = 0; i < 4; i++)
        {
            await App.TakeAsync(people[i].Client, round1.Id, round1Scores[i], TimeSpan.FromSeconds(30), prediction: 1);
            await App.TakeAsync(people[i].Client, round2.Id, round2Scores[i], TimeSpan.FromSeconds(30), prediction: 1);
        }

        App.Clock.Advance(TimeSpan.FromHours(1));
        await App.Service<RoundClose>().CloseDueAsync();
        App.Clock.Advance(TimeSpan.FromHours(1));
        await App.Service<RoundClose>().CloseDueAsync();

        var (a, b, c, d) = (people[0].Id, people[1].Id, people[2].Id, people[3].Id);
        Assert.Equal([(1, a, "nhat"), (2, b, "nhi"), (3, c, null), (4, d, null)], await ResultsAsync(round1.Id));
        // Round 2 ranks A, C, D, B; A and B already won in round 1, so C takes the first prize and D the second.
        Assert.Equal([(1, a, null), (2, c, "nhat"), (3, d, "nhi"), (4, b, null)], await ResultsAsync(round2.Id));
        people.ForEach(p => p.Client.Dispose());
    }

    [Fact]
    public async Task Without_the_rule_the_same_person_may_win_every_round()
    {
        await App.LoadUnitsAsync();
        await App.ImportQuestionsAsync(Enumerable.Range(1, 4).Select(i => TestData.Question($"q{i}", Viewpoints: [1])));
        using var organizer = await App.CreateOrganizerClientAsync();
        var contest = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), onePrizePerPerson: false));
        var round1 = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var round2 = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var people = await PeopleAsync(2);
        foreach (var round in new[] { round1, round2 })
        {
            await App.TakeAsync(people[0].Client, round.Id, 4, TimeSpan.FromSeconds(30), prediction: 1);
            await App.TakeAsync(people[1].Client, round.Id, 2, TimeSpan.FromSeconds(30), prediction: 1);
        }

        App.Clock.Advance(TimeSpan.FromHours(2));
        await App.Service<RoundClose>().CloseDueAsync();

        Assert.Equal("nhat", (await ResultsAsync(round1.Id))[0].Prize);
        Assert.Equal("nhat", (await ResultsAsync(round2.Id))[0].Prize);
        people.ForEach(p => p.Client.Dispose());
    }

    [Fact]
    public async Task The_database_refuses_a_result_for_someone_who_did_not_enter_the_round()
    {
        await App.LoadUnitsAsync();
        await App.ImportQuestionsAsync(Enumerable.Range(1, 4).Select(i => TestData.Question($"q{i}", Viewpoints: [1])));
        using var organizer = await App.CreateOrganizerClientAsync();
        var contest = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp")));
        var round1 = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(1)));
        var round2 = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(1)));
        var people = await PeopleAsync(2);
        await App.TakeAsync(people[0].Client, round1.Id, 3, TimeSpan.FromSeconds(20), prediction: 1);
        // The second person entered round 2 only: participant, unit, round 1 and an attempt all exist, the entry does not.
        await App.TakeAsync(people[1].Client, round2.Id, 4, TimeSpan.FromSeconds(20), prediction: 1);
        App.Clock.Advance(TimeSpan.FromHours(1));
        await App.Service<RoundClose>().CloseDueAsync();
        await using var connection = App.OpenConnection();
        var outsider = await connection.QuerySingleAsync<(long AttemptId, int UnitId)>(
            "SELECT best_attempt_id, unit_id FROM round_entries WHERE round_id = @roundId AND participant_id = @participantId",
            new { roundId = round2.Id, participantId = people[1].Id });

        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("""
            INSERT INTO round_results (round_id, rank, participant_id, unit_id, attempt_id, score, duration_ms, submitted_at)
            VALUES (@roundId, 2, @participantId, @unitId, @attemptId, 4, 20000, now())
            """, new { roundId = round1.Id, participantId = people[1].Id, unitId = outsider.UnitId, attemptId = outsider.AttemptId }));

        Assert.Equal(Npgsql.PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        Assert.Equal("round_results_entry_fkey", e.ConstraintName);
        Assert.Equal([(1, people[0].Id)], (await ResultsAsync(round1.Id)).Select(r => (r.Rank, r.ParticipantId)));
        Assert.Equal([(1, people[1].Id)], (await ResultsAsync(round2.Id)).Select(r => (r.Rank, r.ParticipantId)));
        people.ForEach(p => p.Client.Dispose());
    }

    [Fact]
    public async Task The_close_job_counts_entries_for_an_entries_prediction_and_closes_attempts_left_open()
    {
        await App.LoadUnitsAsync();
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(length: TimeSpan.FromMinutes(30)),
            contest: TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), predictionKind: PredictionKinds.Entries));
        var people = await PeopleAsync(3);
        await App.TakeAsync(people[0].Client, round.Id, 4, TimeSpan.FromSeconds(20), prediction: 4);
        await App.TakeAsync(people[0].Client, round.Id, 2, TimeSpan.FromSeconds(20), prediction: 4);
        await App.TakeAsync(people[1].Client, round.Id, 3, TimeSpan.FromSeconds(20), prediction: 4);
        var open = await people[2].Client.StartAsync(round.Id);
        await App.AnswerAsync(people[2].Client, open, right: 1);

        App.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await App.Service<RoundClose>().CloseDueAsync());

        await using var connection = App.OpenConnection();
        Assert.Equal(4, await connection.QuerySingleAsync<int>("SELECT prediction_actual FROM contest_rounds"));
        Assert.Equal("expired", await connection.QuerySingleAsync<string>("SELECT status FROM attempts WHERE id = @Id", open));
        Assert.Equal(3, (await ResultsAsync(round.Id)).Count);
        organizer.Dispose();
        people.ForEach(p => p.Client.Dispose());
    }

    [Fact]
    public async Task Results_are_reviewed_then_published_with_masked_winners_and_statistics()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var people = await PeopleAsync(3);
        await App.TakeAsync(people[0].Client, round.Id, 4, TimeSpan.FromSeconds(20), prediction: 1);
        await App.TakeAsync(people[1].Client, round.Id, 4, TimeSpan.FromSeconds(25), prediction: 1);
        await App.TakeAsync(people[2].Client, round.Id, 2, TimeSpan.FromSeconds(25), prediction: 1);
        await App.TakeAsync(people[2].Client, round.Id, 3, TimeSpan.FromSeconds(25), prediction: 1);
        using var anonymous = App.CreateClient();

        using var tooEarly = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null);
        App.Clock.Advance(TimeSpan.FromHours(1));
        using var closed = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null);
        using var notYetPublic = await anonymous.GetAsync($"/api/rounds/{round.Id}/results");
        var review = await organizer.GetFromJsonAsync<RoundResultsView>($"/api/organizer/rounds/{round.Id}/results");
        using var published = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/publish", null);
        var results = await anonymous.GetFromJsonAsync<PublicResults>($"/api/rounds/{round.Id}/results");
        using var recompute = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null);

        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notYetPublic.StatusCode);
        Assert.Equal(3, review!.TotalRows);
        Assert.Equal("Trần Thị Anh", review.Rows[0].FullName);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal([("Giải Nhất", "Trần T. A."), ("Giải Nhì", "Người dự thi (không công bố tên)")], results!.Winners.Select(w => (w.PrizeName, w.Name)));
        Assert.Equal("Phường Hoàn Kiếm", results.Winners[0].UnitName);
        Assert.Null(results.Winners[1].UnitName);
        Assert.Equal((3L, 4L, 2L, 2), (results.Statistics.Participants, results.Statistics.Entries, results.Statistics.PerfectParticipants, results.Statistics.PredictionActual!.Value));
        Assert.Equal([new ScoreCount(4, 2), new ScoreCount(3, 1), new ScoreCount(2, 1)], results.Statistics.ScoreDistribution);
        Assert.Equal(new UnitCount("Phường Hoàn Kiếm", 3, 4), Assert.Single(results.Statistics.TopUnits));
        Assert.DoesNotContain("0912", await (await anonymous.GetAsync($"/api/rounds/{round.Id}/results")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, recompute.StatusCode);
        organizer.Dispose();
        people.ForEach(p => p.Client.Dispose());
    }

    [Fact]
    public async Task Winners_and_full_results_export_to_XLSX_and_CSV_for_organizers_only()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(round: App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var people = await PeopleAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await App.TakeAsync(people[i].Client, round.Id, 3 - i, TimeSpan.FromSeconds(20.5), prediction: 7);
        }
        App.Clock.Advance(TimeSpan.FromHours(1));
        await App.Service<RoundClose>().CloseDueAsync();

        using var xlsx = await organizer.GetAsync($"/api/organizer/rounds/{round.Id}/export?format=xlsx&scope=winners");
        using var csv = await organizer.GetAsync($"/api/organizer/rounds/{round.Id}/export?format=csv&scope=all");
        using var participantTry = await people[0].Client.GetAsync($"/api/organizer/rounds/{round.Id}/export?format=csv&scope=all");

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{contest.Slug}-tuan-1-nguoi-doat-giai.xlsx", xlsx.Content.Headers.ContentDisposition!.FileNameStar ?? xlsx.Content.Headers.ContentDisposition.FileName);
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("Giải Nhất", rows[0]["Giải"]);
        Assert.Equal("Trần Thị Anh", rows[0]["Họ và tên"]);
        Assert.Equal("0912000000", rows[0]["Số điện thoại"]);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ResultsExport.Columns), lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("1,Giải Nhất,Trần Thị Anh,15/04/1990,0912000000,,Phường Hoàn Kiếm,Nhân dân,3,4,7,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",20.5,", lines[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, participantTry.StatusCode);
        organizer.Dispose();
        people.ForEach(p => p.Client.Dispose());
    }
}
