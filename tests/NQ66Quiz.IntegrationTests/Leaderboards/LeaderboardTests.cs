using System.Net.Http.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using StackExchange.Redis;

namespace NQ66Quiz.IntegrationTests.Leaderboards;

public sealed class LeaderboardTests(AppFixture app) : ContestTest(app)
{
    private LeaderboardKeys Keys => App.Service<LeaderboardKeys>();

    private IDatabase Redis => App.Redis.GetDatabase();

    /// <summary>Participants in two units with scores, times and submission seconds that collide in every possible way.</summary>
    private async Task<(HttpClient Organizer, RoundView Round, List<HttpClient> People)> CrowdAsync(int people = 14)
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4, length: TimeSpan.FromHours(2)));
        int[] units = [await App.UnitIdAsync("Phường Hoàn Kiếm"), await App.UnitIdAsync("Xã Đông Anh")];
        var clients = new List<HttpClient>();
        for (var i = 0; i < people; i++)
        {
            var (client, _) = await App.RegisterAsync(TestData.Registration($"09110000{i:00}", units[i % 2], name: $"Nguyễn Văn {(char)('A' + i)}n", publish: i != 3));
            clients.Add(client);
        }
        // Pairs start and submit together (same duration, same second); pairs k and k + 6 repeat score and duration in
        // other seconds; even pairs share a score too — every tie-break of the live board is exercised.
        for (var k = 0; k < people / 2; k++)
        {
            HttpClient a = clients[2 * k], b = clients[2 * k + 1];
            var pa = await a.StartAsync(round.Id);
            var pb = await b.StartAsync(round.Id);
            await App.AnswerAsync(a, pa, right: k % 3);
            await App.AnswerAsync(b, pb, right: k % 2 == 0 ? k % 3 : (k + 1) % 3);
            App.Clock.Advance(TimeSpan.FromSeconds(10 + k % 2));
            (await a.SubmitAsync(pa.Id, prediction: k)).Dispose();
            (await b.SubmitAsync(pb.Id, prediction: k)).Dispose();
        }
        return (organizer, round, clients);
    }

    private async Task<List<long>> RedisOrderAsync(RedisKey key) =>
        [.. (await Redis.SortedSetRangeByRankAsync(key)).Select(m => LeaderboardScore.ParticipantOf(m!))];

    [Fact]
    public async Task The_live_board_is_written_after_each_submission_and_equals_the_SQL_ranking()
    {
        var (organizer, round, people) = await CrowdAsync();
        var source = App.Service<LeaderboardSource>();

        Assert.Equal(await source.LiveOrderAsync(round.Id, null), await RedisOrderAsync(Keys.Live(round.Id)));
        foreach (var unit in new[] { "Phường Hoàn Kiếm", "Xã Đông Anh" })
        {
            var id = await App.UnitIdAsync(unit);
            Assert.Equal(await source.LiveOrderAsync(round.Id, id), await RedisOrderAsync(Keys.LiveUnit(round.Id, id)));
        }
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task After_a_rebuild_Redis_equals_SQL_even_when_the_boards_were_wrong_or_missing()
    {
        var (organizer, round, people) = await CrowdAsync();
        var source = App.Service<LeaderboardSource>();
        var hoanKiem = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var dongAnh = await App.UnitIdAsync("Xã Đông Anh");
        // Damage: a stray member, a wrong score, a lost unit board, and a board for a unit nobody entered from.
        await Redis.SortedSetAddAsync(Keys.Live(round.Id), LeaderboardScore.Member(999_999), 0);
        await Redis.SortedSetAddAsync(Keys.Live(round.Id), LeaderboardScore.Member(1), 1e15);
        await Redis.KeyDeleteAsync(Keys.LiveUnit(round.Id, dongAnh));
        await Redis.SortedSetAddAsync(Keys.LiveUnit(round.Id, 77), "000000000001", 5);
        await Redis.SetAddAsync(Keys.Units(round.Id), 77);

        using var response = await organizer.PostAsync("/api/organizer/leaderboards/rebuild", null);
        var report = await response.Content.ReadFromJsonAsync<RebuildReport>();

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal((1, people.Count), (report!.Rounds, report.LiveEntries));
        Assert.Equal(await source.LiveOrderAsync(round.Id, null), await RedisOrderAsync(Keys.Live(round.Id)));
        Assert.Equal(await source.LiveOrderAsync(round.Id, hoanKiem), await RedisOrderAsync(Keys.LiveUnit(round.Id, hoanKiem)));
        Assert.Equal(await source.LiveOrderAsync(round.Id, dongAnh), await RedisOrderAsync(Keys.LiveUnit(round.Id, dongAnh)));
        Assert.False(await Redis.KeyExistsAsync(Keys.LiveUnit(round.Id, 77)));
        Assert.Equal(new[] { dongAnh, hoanKiem }.Order(), (await Redis.SetMembersAsync(Keys.Units(round.Id))).Select(v => (int)v).Order());
        var staging = App.Redis.GetServer(App.Redis.GetEndPoints()[0]).Keys(pattern: Keys.Pattern(round.Id).Replace("*", "build:*", StringComparison.Ordinal)).ToList();
        Assert.Empty(staging);
        Assert.Null(await Redis.KeyTimeToLiveAsync(Keys.Live(round.Id)));
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task The_command_line_verb_rebuilds_the_boards_from_PostgreSQL()
    {
        var (organizer, round, people) = await CrowdAsync(people: 6);
        await Redis.KeyDeleteAsync(Keys.Live(round.Id));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await NQ66Quiz.Web.Infrastructure.CommandLine.RunAsync(App.Factory.Services, ["leaderboards", "rebuild"], output, error);

        Assert.Equal(0, code);
        Assert.StartsWith("Rebuilt the leaderboards of 1 round(s): 6 live entries, 0 final entries", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(await App.Service<LeaderboardSource>().LiveOrderAsync(round.Id, null), await RedisOrderAsync(Keys.Live(round.Id)));
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task The_periodic_sync_restores_a_best_attempt_that_Redis_missed()
    {
        var (organizer, round, people) = await CrowdAsync(people: 4);
        await Redis.KeyDeleteAsync([Keys.Live(round.Id), Keys.LiveUnit(round.Id, await App.UnitIdAsync("Phường Hoàn Kiếm"))]);

        await App.Service<LeaderboardSync>().SyncAsync();

        Assert.Equal(await App.Service<LeaderboardSource>().LiveOrderAsync(round.Id, null), await RedisOrderAsync(Keys.Live(round.Id)));
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task Someone_below_the_shared_top_gets_their_rank_with_their_own_masked_name_and_unit()
    {
        var (organizer, round, people) = await CrowdAsync(people: 2);
        var me = people[0];
        var myId = (await me.GetFromJsonAsync<NQ66Quiz.Web.Features.Participants.ParticipantProfile>("/api/me"))!.Id;
        var sqlOrder = await App.Service<LeaderboardSource>().LiveOrderAsync(round.Id, null);
        // 120 entries ahead of everyone (ids of nobody: shown unnamed), so "me" is outside the shared top 100 and its
        // name comes from PostgreSQL, asked beside the rank.
        var ahead = LeaderboardReader.MaxTop + 20;
        await Redis.SortedSetAddAsync(Keys.Live(round.Id), [.. Enumerable.Range(1, ahead)
            .Select(i => new SortedSetEntry(LeaderboardScore.Member(9_000_000_000 + i), LeaderboardScore.Live(60, 1000, 1)))]);

        var board = await me.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard?top=3");

        Assert.Equal(ahead + 2L, board!.Total);
        Assert.All(board.Top, r => Assert.Equal(LeaderboardReader.Hidden, r.Name));
        Assert.Equal((ahead + sqlOrder.ToList().IndexOf(myId) + 1, "Nguyễn V. A.", "Phường Hoàn Kiếm", true),
            (board.Me!.Rank, board.Me.Name, board.Me.UnitName, board.Me.IsMe));
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task The_API_gives_the_top_and_my_rank_with_masked_names_overall_and_per_unit()
    {
        var (organizer, round, people) = await CrowdAsync(people: 10);
        var sqlOrder = await App.Service<LeaderboardSource>().LiveOrderAsync(round.Id, null);
        var me = people[7];
        var myId = (await me.GetFromJsonAsync<NQ66Quiz.Web.Features.Participants.ParticipantProfile>("/api/me"))!.Id;
        var dongAnh = await App.UnitIdAsync("Xã Đông Anh");

        var board = await me.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard?top=3");
        var unitBoard = await me.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard?top=50&unitId={dongAnh}");
        using var anonymous = App.CreateClient();
        var full = await anonymous.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard?top=50");

        Assert.Equal(("live", 10L, 3), (board!.Board, board.Total, board.Top.Count));
        Assert.Equal(sqlOrder.ToList().IndexOf(myId) + 1, board.Me!.Rank);
        Assert.True(board.Me.IsMe);
        Assert.Equal(5L, unitBoard!.Total);
        Assert.All(unitBoard.Top.Where(r => r.Name != LeaderboardReader.Hidden), r => Assert.Equal("Xã Đông Anh", r.UnitName));
        Assert.Null(full!.Me);
        Assert.Equal(full.Top.Select(r => r.Score), full.Top.Select(r => r.Score).OrderDescending());
        Assert.Contains(full.Top, r => r.Name == "Nguyễn V. A." && r.Score == 0);
        // Person 3 did not consent to publication: neither name nor unit is shown.
        Assert.Single(full.Top, r => r.Name == LeaderboardReader.Hidden && r.UnitName is null);
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task The_close_writes_the_final_boards_of_the_round_and_of_each_unit_and_leaves_the_live_boards_as_they_are()
    {
        var (organizer, round, people) = await CrowdAsync(people: 8);
        var dongAnh = await App.UnitIdAsync("Xã Đông Anh");
        var hoanKiem = await App.UnitIdAsync("Phường Hoàn Kiếm");
        // A member only Redis has: a close that rewrote the live boards from PostgreSQL would drop it.
        await Redis.SortedSetAddAsync(Keys.Live(round.Id), LeaderboardScore.Member(999_999), 1e14);
        var liveBefore = await RedisOrderAsync(Keys.Live(round.Id));
        App.Clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(1, await App.Service<RoundClose>().CloseDueAsync());

        await using var connection = App.OpenConnection();
        async Task<List<long>> SqlAsync(int? unit) => [.. await connection.QueryAsync<long>(
            "SELECT participant_id FROM round_results WHERE round_id = @Id AND (@unit::integer IS NULL OR unit_id = @unit) ORDER BY rank",
            new { round.Id, unit })];
        Assert.Equal(await SqlAsync(null), await RedisOrderAsync(Keys.Final(round.Id)));
        Assert.Equal(await SqlAsync(dongAnh), await RedisOrderAsync(Keys.FinalUnit(round.Id, dongAnh)));
        Assert.Equal(await SqlAsync(hoanKiem), await RedisOrderAsync(Keys.FinalUnit(round.Id, hoanKiem)));
        Assert.Equal(liveBefore, await RedisOrderAsync(Keys.Live(round.Id)));
        Assert.Equal(new[] { dongAnh, hoanKiem }.Order(), (await Redis.SetMembersAsync(Keys.Units(round.Id))).Select(v => (int)v).Order());
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task After_publication_the_board_is_the_final_ranking_and_Redis_equals_round_results()
    {
        var (organizer, round, people) = await CrowdAsync();
        App.Clock.Advance(TimeSpan.FromHours(3));
        await App.Service<RoundClose>().CloseDueAsync();
        (await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/publish", null)).Dispose();

        await using var connection = App.OpenConnection();
        var sql = (await connection.QueryAsync<long>("SELECT participant_id FROM round_results WHERE round_id = @Id ORDER BY rank", round)).ToList();
        var board = await people[0].GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard?top=100");

        Assert.Equal(sql, await RedisOrderAsync(Keys.Final(round.Id)));
        Assert.Equal("final", board!.Board);
        Assert.Equal(Enumerable.Range(1, people.Count), board.Top.Select(r => r.Rank));
        Assert.Equal("Giải Nhất", board.Top[0].Prize);
        organizer.Dispose();
        people.ForEach(p => p.Dispose());
    }
}
