using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Faults;

/// <summary>
/// The app as its own process on a PostgreSQL and a Redis of the fixture's own, so the tests can kill -9 the app, kill
/// Redis and restart PostgreSQL. Content (units, question bank) is imported once, by the app's first start.
/// </summary>
public sealed class FaultFixture : IAsyncLifetime
{
    public OwnPostgres Postgres { get; } = new();
    public OwnRedis Redis { get; } = new();
    public AppProcess App { get; private set; } = null!;
    public string ConnectionString => Postgres.ConnectionString("nq66");

    /// <summary>The tests' own reads: unpooled, so a connection the PostgreSQL restart cut is never reused.</summary>
    public string CheckConnectionString => ConnectionString + ";Pooling=false";
    private int _phones;

    public async Task InitializeAsync()
    {
        await Postgres.InitAsync();
        await using (var admin = new NpgsqlConnection(Postgres.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync("CREATE DATABASE nq66");
        }
        await Redis.StartAsync();
        App = new AppProcess(ConnectionString, Redis.ConnectionString);
        await App.CreateAdminAsync();
        await App.StartAsync(importContent: true);
    }

    /// <summary>A contest of its own with one round open now: 6 questions, 1 minute each attempt, 2 attempts.</summary>
    public async Task<long> OpenRoundAsync(string name)
    {
        using var organizer = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = App.BaseAddress };
        using (var signedIn = await organizer.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppProcess.AdminEmail, password = AppProcess.AdminPassword }))
        {
            Assert.True(signedIn.IsSuccessStatusCode, await signedIn.Content.ReadAsStringAsync());
        }
        var contest = await organizer.CreateContestAsync(TestData.Contest(await UnitIdAsync("Sở Tư pháp"), name));
        var now = DateTimeOffset.UtcNow;
        var round = await organizer.CreateRoundAsync(contest.Id, new RoundRequest(VietnamTime.ToInput(now - TimeSpan.FromMinutes(1)),
            VietnamTime.ToInput(now + TimeSpan.FromDays(1)), 1, 2, [new BlueprintLine(6)]));
        return round.Id;
    }

    public async Task<int> UnitIdAsync(string name)
    {
        await using var connection = new NpgsqlConnection(CheckConnectionString);
        return await connection.QuerySingleAsync<int>("SELECT id FROM units WHERE name = @name", new { name });
    }

    /// <summary>Players registered over the API (before any fault: registration is not what these tests break).</summary>
    public async Task<List<Player>> PlayersAsync(History history, int count)
    {
        var unit = await UnitIdAsync("Phường Hoàn Kiếm");
        var players = new List<Player>();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _phones);
            var player = new Player("Người chơi " + Letters(n), App.BaseAddress, history, n);
            await player.RegisterAsync($"09{n:00000000}", unit);
            players.Add(player);
        }
        return players;
    }

    // Names are letters only (the registration rule): the number written with one letter per digit.
    private static string Letters(int n) => string.Concat(n.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => "AĂÂBCDĐEÊG"[d - '0']));

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FaultsCollectionDefinition : ICollectionFixture<FaultFixture>
{
    public const string Name = "Faults";
}

/// <summary>Real faults on real processes: kill -9 of the app, Redis lost and back empty, PostgreSQL restarted.</summary>
[Collection(FaultsCollectionDefinition.Name)]
public sealed class FaultTests(FaultFixture servers)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Kill_9_of_the_app_during_attempts_loses_no_acknowledged_answer_or_submission()
    {
        var roundId = await servers.OpenRoundAsync("Thử tắt đột ngột ứng dụng");
        var history = new History();
        var players = await servers.PlayersAsync(history, 16);
        var giveUp = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(110);
        // One player sits on the paper past the 1-minute limit + grace: its submission must be refused, also across the restart.
        var late = players[^1];
        var play = players.Select(p => p.PlayAsync(roundId, giveUp, p == late ? TimeSpan.FromSeconds(66) : null)).ToList();

        await WaitAsync(() => history.Acked("answer") >= 30, "30 acknowledged answers before the kill");
        servers.App.Kill();
        await Task.Delay(1500);
        await servers.App.StartAsync();
        await Task.WhenAll(play);

        Assert.True(history.Ops.Any(o => o.Outcome == Outcome.Unknown), "the kill cut no request: " + history.Summary());
        Assert.All(players.SkipLast(1), p => Assert.True(p.Submitted, $"{p.Name} never got a submission through: {history.Summary()}"));
        var lateSubmit = history.Ops.Last(o => o.Player == late.Name && o.Kind == "submit");
        Assert.Equal(Outcome.Refused, lateSubmit.Outcome);
        await history.CheckAsync(servers.CheckConnectionString, roundId, Grace);
        await BoardMatchesSqlAsync(roundId, players);
        Dispose(players);
    }

    [Fact]
    public async Task Redis_lost_and_back_empty_answers_still_stored_boards_503_then_rebuilt_to_equal_SQL()
    {
        var roundId = await servers.OpenRoundAsync("Thử mất Redis");
        var history = new History();
        var players = await servers.PlayersAsync(history, 12);
        var giveUp = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        // Half finish before Redis goes: their board entries exist only in the Redis that is about to vanish.
        await Task.WhenAll(players.Take(6).Select(p => p.PlayAsync(roundId, giveUp)));
        await BoardMatchesSqlAsync(roundId, players.Take(6).ToList());
        // Those entries date from earlier in the round (as in a real week): the sync's recent-changes window no longer
        // covers them, so only a rebuild of the emptied Redis can bring them back.
        await using (var connection = new NpgsqlConnection(servers.CheckConnectionString))
        {
            await connection.ExecuteAsync("UPDATE round_entries SET updated_at = updated_at - interval '1 hour' WHERE round_id = @roundId", new { roundId });
        }

        servers.Redis.Kill();
        var outageStarted = DateTimeOffset.UtcNow;
        await Task.WhenAll(players.Skip(6).Select(p => p.PlayAsync(roundId, giveUp)));
        using (var board = await players[0].Http.GetAsync($"/api/rounds/{roundId}/leaderboard"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, board.StatusCode);
            Assert.Equal(LeaderboardReader.Unavailable, (await board.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
        var duringOutage = history.Ops.Where(o => o.Sent >= outageStarted).ToList();
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, o => Assert.Equal(Outcome.Ack, o.Outcome));

        await servers.Redis.StartAsync();
        await history.CheckAsync(servers.CheckConnectionString, roundId, Grace);
        await BoardMatchesSqlAsync(roundId, players);
        Dispose(players);
    }

    [Fact]
    public async Task PostgreSQL_restart_answers_a_Vietnamese_503_writes_nothing_half_and_recovers()
    {
        var roundId = await servers.OpenRoundAsync("Thử khởi động lại PostgreSQL");
        var history = new History();
        var players = await servers.PlayersAsync(history, 12);
        var giveUp = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        var play = players.Select(p => p.PlayAsync(roundId, giveUp)).ToList();

        await WaitAsync(() => history.Acked("answer") >= 20, "20 acknowledged answers before the restart");
        await servers.Postgres.StopAsync();
        await Task.Delay(3000);
        await servers.Postgres.StartAsync();
        await Task.WhenAll(play);

        var failed = history.Ops.Where(o => o.Outcome == Outcome.Unknown).ToList();
        Assert.Contains(failed, o => o.Status == 503);
        // While the database is away the app says so, in Vietnamese, and never answers 500 (or hangs past the client's timeout).
        Assert.All(failed, o =>
        {
            Assert.Equal(503, o.Status);
            Assert.Equal(DatabaseUnavailableHandler.Title, o.Title);
        });
        Assert.All(players, p => Assert.True(p.Submitted, $"{p.Name} never got a submission through: {history.Summary()}"));
        await history.CheckAsync(servers.CheckConnectionString, roundId, Grace);
        await BoardMatchesSqlAsync(roundId, players);
        Dispose(players);
    }

    /// <summary>The board is eventually what SQL says: the 1-second sync (and its rebuild of an empty Redis) gets it there.</summary>
    private async Task BoardMatchesSqlAsync(long roundId, IReadOnlyList<Player> players)
    {
        string? difference = "not read";
        for (var i = 0; i < 60 && difference is not null; i++)
        {
            difference = await History.BoardDifferenceAsync(servers.CheckConnectionString, roundId, players);
            if (difference is not null)
            {
                await Task.Delay(250);
            }
        }
        Assert.True(difference is null, "leaderboard differs from SQL after 15 s: " + difference);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), "timed out waiting for " + what);
    }

    private static void Dispose(List<Player> players) => players.ForEach(p => p.Dispose());
}
