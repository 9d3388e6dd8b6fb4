using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.LiveRounds;

namespace NQ66Quiz.IntegrationTests.LiveRounds;

/// <summary>
/// Two real app processes behind a real nginx (Debian's package, the config in deploy/), sharing the test run's
/// database and a Redis key prefix of their own. Real time here: questions close on the surviving node's own timer.
/// </summary>
public sealed class LiveClusterTests(AppFixture app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_round_spans_two_nodes_behind_nginx_and_goes_on_when_the_hosts_node_stops()
    {
        await App.SeedLiveQuestionsAsync(2);
        await App.EnsureAdminAsync();
        await using var cluster = await Cluster.StartAsync(App);
        var jar = new CookieContainer();
        using var organizer = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = jar }) { BaseAddress = cluster.Address };
        (await organizer.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword })).EnsureSuccessStatusCode();
        var roundId = await organizer.CreateLiveRoundAsync(new CreateLiveRoundRequest("Hội nghị hai máy chủ", ["live-01", "live-02"], null, TimeLimitSeconds: 5));
        var opened = await organizer.OpenLiveRoundAsync(roundId);
        Assert.StartsWith(cluster.Address.ToString().TrimEnd('/'), opened.JoinUrl, StringComparison.Ordinal);

        // nginx balances round robin in each of its workers: the host and the players land on either node.
        var cookie = jar.GetCookieHeader(cluster.Address);
        await using var host = new LiveHost(cluster.Address, cookie, skipNegotiation: true);
        Assert.Equal(LivePhases.Lobby, (await host.WatchAsync(roundId)).Phase);
        var players = new List<LivePlayer>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var p = new LivePlayer(cluster.Address, reconnect: true, skipNegotiation: true);
                players.Add(p);
                Assert.True((await p.JoinAsync(opened.Pin, $"Đại biểu {i + 1}")).Ok);
            }
            Assert.True((await host.CommandAsync(LiveHostMethods.Start, roundId)).Ok);
            var key1 = await App.CorrectOptionAsync(roundId, 1);
            foreach (var p in players)
            {
                Assert.Equal(1, (await p.Questions.NextAsync()).Number);
                Assert.True((await p.AnswerAsync(1, key1)).Accepted);
            }
            // Everyone answered on two nodes: one close, every player's own outcome from whichever node holds them.
            var before = new Dictionary<LivePlayer, long>();
            foreach (var p in players)
            {
                var o = await p.Outcomes.NextAsync();
                Assert.True(o.Correct);
                before[p] = o.Points;
            }

            // A node with players goes away; its connections come back through nginx on the other node. Which node holds
            // whom is nginx's choice (each of its workers balances on its own), so the node with the most players goes.
            var victim = await cluster.BusiestNodeAsync(players.Count);
            var dropped = players.Select(p => p.Connection).Append(host.Connection).Select(ReconnectingAsync).ToList();
            cluster.StopNode(victim);
            // The drop takes a moment to be seen (nginx closes the client side when the node's socket dies).
            await Task.WhenAny(dropped).WaitAsync(TimeSpan.FromSeconds(20));
            await WaitUntilAsync(() => host.Connection.State == HubConnectionState.Connected
                && players.All(p => p.Connection.State == HubConnectionState.Connected), TimeSpan.FromSeconds(40));
            var next = await host.CommandAsync(LiveHostMethods.Next, roundId);
            Assert.True(next.Ok, next.Message);

            // Three answer, one does not: the surviving node's timer closes the question after 5 s + grace.
            var key2 = await App.CorrectOptionAsync(roundId, 2);
            for (var i = 0; i < 3; i++)
            {
                var state = await players[i].Connection.InvokeAsync<PlayerState>(LivePlayerMethods.Resync);
                Assert.Equal((LivePhases.Question, 2), (state.Phase, state.Question!.Number));
                Assert.Equal(before[players[i]], state.Points);
                var ack = await players[i].AnswerAsync(2, key2);
                Assert.True(ack.Accepted, ack.Message);
            }
            foreach (var (p, i) in players.Select((p, i) => (p, i)))
            {
                var o = await ReadOutcomeAsync(p, 2);
                Assert.Equal(i < 3, o.Correct);
                Assert.Equal(i < 3 ? 2 : 0, o.Streak);
                Assert.True(o.Points >= before[p]);
            }
            // nginx logs a WebSocket when it ends: close them all, then both nodes must have served players.
            foreach (var p in players)
            {
                await p.Connection.StopAsync();
            }
            await Task.Delay(300);
            Assert.Equal(2, cluster.UpstreamsSeen("/hubs/live"));
        }
        finally
        {
            foreach (var p in players)
            {
                await p.DisposeAsync();
            }
        }
    }

    private static async Task<PlayerOutcome> ReadOutcomeAsync(LivePlayer player, int question)
    {
        while (true)
        {
            var o = await player.Outcomes.NextAsync();
            if (o.Question == question)
            {
                return o;
            }
        }
    }

    private static Task ReconnectingAsync(HubConnection connection)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Reconnecting += _ =>
        {
            seen.TrySetResult();
            return Task.CompletedTask;
        };
        return seen.Task;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "connections did not come back through the balancer in time");
            await Task.Delay(100);
        }
        // Rejoin runs in the Reconnected handler right after the state turns Connected.
        await Task.Delay(500);
    }
}

/// <summary>App nodes (the built NQ66Quiz.Web.dll) and nginx on free loopback ports; everything stopped at the end.</summary>
public sealed class Cluster : IAsyncDisposable
{
    private static readonly string[] NginxPaths = ["/usr/sbin/nginx", "/usr/bin/nginx"];
    private static readonly string[] NginxTempFolders = ["body", "proxy", "fastcgi", "uwsgi", "scgi"];
    private readonly List<AppProcess> _nodes = [];
    private Process? _nginx;
    private readonly string _dir = Directory.CreateTempSubdirectory("nq66-cluster-").FullName;

    public Uri Address { get; private set; } = null!;

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NQ66Quiz.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("NQ66Quiz.sln not found above the test folder.");
        }
    }

    public static Task<Cluster> StartAsync(AppFixture app, int nodes = 2) =>
        StartAsync(app.ConnectionString, AppFixture.RedisConnectionString, app.RedisPrefix + "cluster:", "Testing", nodes);

    /// <param name="environment">Testing (the in-process fixture's settings) or Production (the fault tests' own servers).</param>
    public static async Task<Cluster> StartAsync(string postgres, string redis, string redisPrefix, string environment, int nodes = 2)
    {
        var nginx = NginxPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("The two-node test needs nginx: `apt-get install -y nginx-light` (the test command does this).");
        var cluster = new Cluster();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var node = new AppProcess(postgres, redis, new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["ASPNETCORE_ENVIRONMENT"] = environment,
                    ["Redis__KeyPrefix"] = redisPrefix,
                    ["Contests__JobIntervalSeconds"] = "3600",
                });
                cluster._nodes.Add(node);
                await node.StartAsync(readyPath: "/health/ready");
            }
            var ports = cluster._nodes.Select(n => n.Port).ToList();
            var balancer = FreePorts.Next();
            foreach (var sub in NginxTempFolders)
            {
                Directory.CreateDirectory(Path.Combine(cluster._dir, sub));
            }
            var conf = (await File.ReadAllTextAsync(Path.Combine(RepoRoot, "deploy", "nginx-live-cluster.conf")))
                .Replace("@DIR@", cluster._dir, StringComparison.Ordinal)
                .Replace("@PORT@", balancer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@UPSTREAMS@", string.Concat(ports.Select(p => $"server 127.0.0.1:{p} max_fails=1 fail_timeout=30s; ")), StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(cluster._dir, "nginx.conf"), conf);
            cluster._nginx = Process.Start(new ProcessStartInfo(nginx, ["-c", Path.Combine(cluster._dir, "nginx.conf"), "-p", cluster._dir])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            cluster.Address = new Uri($"http://127.0.0.1:{balancer}/");
            await WaitReadyAsync(balancer, Path.Combine(cluster._dir, "error.log"));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitReadyAsync(int port, string log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"Nothing ready on port {port} after 60 s; see {log}: {(File.Exists(log) ? File.ReadAllText(log) : "")}");
    }

    /// <summary>Kills a node as a crash would (no graceful shutdown).</summary>
    public void StopNode(int index) => _nodes[index].Kill();

    /// <summary>The node serving the most live players, from each node's own /metrics (nq66_live_connected_players).</summary>
    public async Task<int> BusiestNodeAsync(int players)
    {
        // The exporter caches a scrape for a few hundred milliseconds: let it see the last join.
        await Task.Delay(1000);
        var counts = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            using var client = new HttpClient { BaseAddress = Node(i).BaseAddress };
            var text = await client.GetStringAsync("/metrics");
            counts.Add(text.Split('\n').Where(l => l.StartsWith("nq66_live_connected_players", StringComparison.Ordinal))
                .Sum(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        }
        Assert.True(counts.Sum() >= players, $"the nodes count {string.Join(" + ", counts)} players, not {players}");
        return counts[0] >= counts[1] ? 0 : 1;
    }

    public AppProcess Node(int index) => _nodes[index];

    /// <summary>How many different nodes served requests under <paramref name="path"/> (nginx's access log).</summary>
    public int UpstreamsSeen(string path) => File.ReadLines(Path.Combine(_dir, "access.log"))
        .Select(l => l.Split(' ')).Where(p => p.Length >= 4 && p[1].StartsWith(path, StringComparison.Ordinal))
        .SelectMany(p => p[3].Split(',', StringSplitOptions.TrimEntries)).Where(a => a.Contains(':', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Count();

    public async ValueTask DisposeAsync()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }
        _nginx?.Dispose();
        for (var i = 0; i < _nodes.Count; i++)
        {
            StopNode(i);
        }
    }
}
