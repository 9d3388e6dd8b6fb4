// Live-round bench: N players (default 1,000) on one machine. First a bare SignalR echo hub hosted by this tool
// (the floor: what one invoke costs on this machine with this client), then a real live round on a running app:
// answer-ack latency (invoke → AnswerAck, i.e. validated + group-committed) and question close → leaderboard at the
// last player. Usage: dotnet run -c Release --project load-tests/LiveBench -- <app url> <organizer password> [players] [questions]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using NQ66Quiz.Web.Features.LiveRounds;

var appUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5066/");
var password = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("NQ66_ORGANIZER_PASSWORD") ?? (File.Exists(".data/first-admin-password") ? File.ReadAllText(".data/first-admin-password").Trim() : "");
var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var questions = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;

HubConnection Connect(Uri url, string? cookie = null) => new HubConnectionBuilder()
    .WithUrl(url, o =>
    {
        o.SkipNegotiation = true;
        o.Transports = HttpTransportType.WebSockets;
        if (cookie is not null)
        {
            o.Headers["Cookie"] = cookie;
        }
    })
    .Build();

static string Pct(List<double> values)
{
    if (values.Count == 0)
    {
        return "no samples";
    }
    values.Sort();
    double At(double p) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):F1} ms, p99 {At(0.99):F1} ms, max {values[^1]:F1} ms (n={values.Count})");
}

async Task ForAll(int n, int parallel, Func<int, Task> body)
{
    using var gate = new SemaphoreSlim(parallel);
    await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            await body(i);
        }
        finally
        {
            gate.Release();
        }
    }));
}

// ---- 1. Echo hub baseline -------------------------------------------------------------------------------------
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSignalR();
builder.WebHost.UseUrls("http://127.0.0.1:0");
var echo = builder.Build();
echo.MapHub<EchoHub>("/echo");
await echo.StartAsync();
var echoUrl = new Uri(new Uri(echo.Urls.First()), "/echo");
var echoClients = new HubConnection[count];
await ForAll(count, 50, async i => { echoClients[i] = Connect(echoUrl); await echoClients[i].StartAsync(); });
var echoLatency = new ConcurrentBag<double>();
for (var round = 0; round < questions; round++)
{
    // Same shape as a question: everyone answers within ~2 s.
    await Task.WhenAll(echoClients.Select(async c =>
    {
        await Task.Delay(Random.Shared.Next(0, 2000));
        var sw = Stopwatch.StartNew();
        await c.InvokeAsync<AnswerRequest>("Echo", new AnswerRequest(1, 2));
        echoLatency.Add(sw.Elapsed.TotalMilliseconds);
    }));
}
await Task.WhenAll(echoClients.Select(c => c.DisposeAsync().AsTask()));
await echo.StopAsync();
Console.WriteLine($"echo hub ({count} clients, {questions} bursts): {Pct([.. echoLatency])}");

// ---- 2. A live round ------------------------------------------------------------------------------------------
var jar = new CookieContainer();
using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = jar }) { BaseAddress = appUrl };
(await http.PostAsJsonAsync("/api/organizer/sign-in", new { email = Environment.GetEnvironmentVariable("NQ66_ADMIN_EMAIL") ?? "admin@nq66.local", password })).EnsureSuccessStatusCode();
var created = await http.PostAsJsonAsync(LiveRoutes.OrganizerApi, new CreateLiveRoundRequest(
    $"Bench {DateTime.UtcNow:HHmmss}", null, [new LiveBlueprintLine(questions)], TimeLimitSeconds: 30));
created.EnsureSuccessStatusCode();
var roundId = (await created.Content.ReadFromJsonAsync<LiveRoundCreated>())!.RoundId;
var opened = await (await http.PostAsync($"{LiveRoutes.OrganizerApi}/{roundId}/open", null)).Content.ReadFromJsonAsync<LiveRoundOpened>();

var host = Connect(new Uri(appUrl, LiveRoutes.HostHub), jar.GetCookieHeader(appUrl));
var closedAt = new ConcurrentDictionary<int, long>();
host.On<HostQuestionResult>(nameof(ILiveHostClient.QuestionClosed), r => closedAt[r.Question] = Stopwatch.GetTimestamp());
await host.StartAsync();
await host.InvokeAsync<HostState>(LiveHostMethods.Watch, roundId);

var ackLatency = new ConcurrentBag<double>();
var lastAck = new ConcurrentDictionary<int, long>();
var boardAt = new ConcurrentDictionary<(int Player, int Question), long>();
var players = new HubConnection[count];
var joinWatch = Stopwatch.StartNew();
await ForAll(count, 50, async i =>
{
    var c = Connect(new Uri(appUrl, LiveRoutes.PlayerHub));
    players[i] = c;
    c.On<LiveQuestion>(nameof(ILivePlayerClient.QuestionOpened), q => _ = Task.Run(async () =>
    {
        await Task.Delay(Random.Shared.Next(0, 2000));
        var sw = Stopwatch.StartNew();
        var ack = await c.InvokeAsync<AnswerAck>(LivePlayerMethods.Answer, new AnswerRequest(q.Number, q.Options[Random.Shared.Next(q.Options.Count)].Id));
        ackLatency.Add(sw.Elapsed.TotalMilliseconds);
        lastAck.AddOrUpdate(q.Number, Stopwatch.GetTimestamp(), (_, v) => Math.Max(v, Stopwatch.GetTimestamp()));
        if (!ack.Accepted)
        {
            Console.Error.WriteLine($"refused: {ack.Error} {ack.Message}");
        }
    }));
    c.On<LeaderboardView>(nameof(ILivePlayerClient.Leaderboard), b => boardAt[(i, b.AfterQuestion)] = Stopwatch.GetTimestamp());
    await c.StartAsync();
    var joined = await c.InvokeAsync<JoinResult>(LivePlayerMethods.Join, new JoinRequest(opened!.Pin, $"Người chơi {i + 1}"));
    if (!joined.Ok)
    {
        throw new InvalidOperationException(joined.Message);
    }
});
Console.WriteLine($"{count} players joined in {joinWatch.Elapsed.TotalSeconds:F1} s");

var closeToBoard = new List<double>();
var ackToBoard = new List<double>();
for (var q = 1; q <= questions; q++)
{
    var command = await host.InvokeAsync<HostCommandResult>(q == 1 ? LiveHostMethods.Start : LiveHostMethods.Next, roundId);
    if (!command.Ok)
    {
        throw new InvalidOperationException(command.Message);
    }
    var until = DateTime.UtcNow.AddSeconds(60);
    while (Enumerable.Range(0, count).Count(i => boardAt.ContainsKey((i, q))) < count && DateTime.UtcNow < until)
    {
        await Task.Delay(50);
    }
    var last = Enumerable.Range(0, count).Select(i => boardAt.TryGetValue((i, q), out var t) ? t : long.MaxValue).Max();
    if (last == long.MaxValue || !closedAt.TryGetValue(q, out var closed))
    {
        Console.WriteLine($"question {q}: not every player got the leaderboard within 60 s");
        continue;
    }
    closeToBoard.Add(Stopwatch.GetElapsedTime(closed, last).TotalMilliseconds);
    ackToBoard.Add(Stopwatch.GetElapsedTime(lastAck[q], last).TotalMilliseconds);
}
await host.InvokeAsync<HostCommandResult>(LiveHostMethods.End, roundId);
Console.WriteLine($"live answer ack ({count} players, {questions} questions): {Pct([.. ackLatency])}");
Console.WriteLine($"question close (host sees it) → leaderboard at the last player: {string.Join(", ", closeToBoard.Select(v => v.ToString("F0", CultureInfo.InvariantCulture) + " ms"))}");
Console.WriteLine($"last answer acknowledged → leaderboard at the last player (includes the close itself): {string.Join(", ", ackToBoard.Select(v => v.ToString("F0", CultureInfo.InvariantCulture) + " ms"))}");
await Task.WhenAll(players.Select(c => c.DisposeAsync().AsTask()));
await host.DisposeAsync();

/// <summary>The floor: a hub that only returns what it got.</summary>
internal sealed class EchoHub : Hub
{
    // A hub method must be an instance method for SignalR to find it.
#pragma warning disable CA1822
    public AnswerRequest Echo(AnswerRequest request) => request;
#pragma warning restore CA1822
}
