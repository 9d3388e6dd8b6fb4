using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.LiveRounds;

namespace NQ66Quiz.IntegrationTests.LiveRounds;

/// <summary>
/// Reconnects after 0–1 s, then backs off to ~10 s, each delay with random jitter so a hall of phones that lost the same
/// Wi-Fi does not come back in lock-step. Used by the tests and the load tool.
/// </summary>
public sealed class JitteredRetryPolicy(int maxAttempts = 30) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        if (retryContext.PreviousRetryCount >= maxAttempts)
        {
            return null;
        }
        var ceiling = Math.Min(10_000, 1000 * (1 << (int)Math.Min(retryContext.PreviousRetryCount, 4)));
        return TimeSpan.FromMilliseconds(Random.Shared.Next(ceiling / 2, ceiling + 1));
    }
}

/// <summary>A .NET SignalR player: every message it receives goes to one channel per message kind.</summary>
public sealed class LivePlayer : IAsyncDisposable
{
    public HubConnection Connection { get; }
    public Channel<LiveQuestion> Questions { get; } = Channel.CreateUnbounded<LiveQuestion>();
    public Channel<PlayerOutcome> Outcomes { get; } = Channel.CreateUnbounded<PlayerOutcome>();
    public Channel<LeaderboardView> Boards { get; } = Channel.CreateUnbounded<LeaderboardView>();
    public Channel<PlayerFinal> Finals { get; } = Channel.CreateUnbounded<PlayerFinal>();
    public Channel<PodiumView> Podiums { get; } = Channel.CreateUnbounded<PodiumView>();
    public Channel<RemovedView> Removals { get; } = Channel.CreateUnbounded<RemovedView>();
    public JoinResult? Joined { get; private set; }

    /// <param name="skipNegotiation">WebSockets straight away, as behind the balancer: any node may take the connection.</param>
    /// <param name="cookie">A signed-in participant's Cookie header (<c>AppFixture.CookieHeader</c>): they play as themselves.</param>
    public LivePlayer(Uri baseAddress, bool reconnect = false, bool skipNegotiation = false, string? cookie = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, LiveRoutes.PlayerHub), o =>
        {
            if (cookie is not null)
            {
                o.Headers["Cookie"] = cookie;
            }
            if (skipNegotiation)
            {
                o.SkipNegotiation = true;
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            }
        });
        if (reconnect)
        {
            builder.WithAutomaticReconnect(new JitteredRetryPolicy());
        }
        Connection = builder.Build();
        Connection.On<LiveQuestion>(nameof(ILivePlayerClient.QuestionOpened), q => Questions.Writer.TryWrite(q));
        Connection.On<PlayerOutcome>(nameof(ILivePlayerClient.QuestionClosed), o => Outcomes.Writer.TryWrite(o));
        Connection.On<LeaderboardView>(nameof(ILivePlayerClient.Leaderboard), b => Boards.Writer.TryWrite(b));
        Connection.On<PlayerFinal>(nameof(ILivePlayerClient.Finished), f => Finals.Writer.TryWrite(f));
        Connection.On<PodiumView>(nameof(ILivePlayerClient.Podium), p => Podiums.Writer.TryWrite(p));
        Connection.On<RemovedView>(nameof(ILivePlayerClient.Removed), r => Removals.Writer.TryWrite(r));
        // After an automatic reconnect the server knows a new connection only: rejoin with the token, then resync.
        Connection.Reconnected += async _ =>
        {
            if (Joined?.RejoinToken is { } token)
            {
                Joined = await Connection.InvokeAsync<JoinResult>(LivePlayerMethods.Rejoin, new RejoinRequest(token));
            }
        };
    }

    public async Task<JoinResult> JoinAsync(string pin, string nickname, int? unitId = null)
    {
        if (Connection.State == HubConnectionState.Disconnected)
        {
            await Connection.StartAsync();
        }
        var result = await Connection.InvokeAsync<JoinResult>(LivePlayerMethods.Join, new JoinRequest(pin, nickname, unitId));
        if (result.Ok)
        {
            Joined = result;
        }
        return result;
    }

    public async Task<JoinResult> RejoinAsync(string token)
    {
        if (Connection.State == HubConnectionState.Disconnected)
        {
            await Connection.StartAsync();
        }
        var result = await Connection.InvokeAsync<JoinResult>(LivePlayerMethods.Rejoin, new RejoinRequest(token));
        if (result.Ok)
        {
            Joined = result;
        }
        return result;
    }

    public Task<AnswerAck> AnswerAsync(int question, int option) => Connection.InvokeAsync<AnswerAck>(LivePlayerMethods.Answer, new AnswerRequest(question, option));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>A host console on the host hub, signed in with the organizer cookie of an HTTP client.</summary>
public sealed class LiveHost : IAsyncDisposable
{
    public HubConnection Connection { get; }
    public Channel<LobbyView> Lobbies { get; } = Channel.CreateUnbounded<LobbyView>();
    public Channel<HostQuestionResult> Results { get; } = Channel.CreateUnbounded<HostQuestionResult>();
    public Channel<PodiumView> Podiums { get; } = Channel.CreateUnbounded<PodiumView>();

    public long RoundId { get; private set; }

    public LiveHost(Uri baseAddress, string cookie, bool skipNegotiation = false)
    {
        Connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, LiveRoutes.HostHub), o =>
            {
                o.Headers["Cookie"] = cookie;
                if (skipNegotiation)
                {
                    o.SkipNegotiation = true;
                    o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                }
            })
            .WithAutomaticReconnect(new JitteredRetryPolicy())
            .Build();
        Connection.On<LobbyView>(nameof(ILiveHostClient.Lobby), l => Lobbies.Writer.TryWrite(l));
        Connection.On<HostQuestionResult>(nameof(ILiveHostClient.QuestionClosed), r => Results.Writer.TryWrite(r));
        Connection.On<PodiumView>(nameof(ILiveHostClient.Podium), p => Podiums.Writer.TryWrite(p));
        // A new connection after a reconnect must join the round's host group again.
        Connection.Reconnected += async _ => await Connection.InvokeAsync<HostState>(LiveHostMethods.Watch, RoundId);
    }

    public async Task<HostState> WatchAsync(long roundId)
    {
        RoundId = roundId;
        if (Connection.State == HubConnectionState.Disconnected)
        {
            await Connection.StartAsync();
        }
        return await Connection.InvokeAsync<HostState>(LiveHostMethods.Watch, roundId);
    }

    public Task<HostCommandResult> CommandAsync(string method, long roundId) => Connection.InvokeAsync<HostCommandResult>(method, roundId);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>A player on a raw WebSocket speaking the SignalR JSON protocol, keeping every text frame it received.</summary>
public sealed class RawPlayer : IAsyncDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
    private readonly ClientWebSocket _socket = new();
    private readonly Task _reading;
    private int _invocation;

    public List<string> Frames { get; } = [];

    private RawPlayer(Uri ws)
    {
        _socket.ConnectAsync(ws, CancellationToken.None).GetAwaiter().GetResult();
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<RawPlayer> ConnectAsync(Uri baseAddress)
    {
        var ws = new UriBuilder(new Uri(baseAddress, LiveRoutes.PlayerHub)) { Scheme = "ws" }.Uri;
        var player = await Task.Run(() => new RawPlayer(ws));
        await player.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        return player;
    }

    public Task InvokeAsync(string target, object argument)
    {
        var id = Interlocked.Increment(ref _invocation);
        return SendAsync(System.Text.Json.JsonSerializer.Serialize(new { type = 1, invocationId = id.ToString(System.Globalization.CultureInfo.InvariantCulture), target, arguments = new[] { argument } },
            Json));
    }

    private Task SendAsync(string json) => _socket.SendAsync(Encoding.UTF8.GetBytes(json + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);

    public string[] Snapshot()
    {
        lock (Frames)
        {
            return [.. Frames];
        }
    }

    public async Task<string> WaitForAsync(string contains, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (Snapshot().FirstOrDefault(f => f.Contains(contains, StringComparison.Ordinal)) is { } frame)
            {
                return frame;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"No frame containing {contains}; got: {string.Join(" | ", Snapshot())}");
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                text.Append(Encoding.UTF8.GetString(buffer, 0, r.Count));
                if (r.EndOfMessage)
                {
                    lock (Frames)
                    {
                        Frames.AddRange(text.ToString().Split('\u001e', StringSplitOptions.RemoveEmptyEntries));
                    }
                    text.Clear();
                }
            }
        }
        catch (WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        await _reading;
        _socket.Dispose();
    }
}

public static class LiveDriver
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public static async Task<T> NextAsync<T>(this Channel<T> channel)
    {
        using var cts = new CancellationTokenSource(Wait);
        return await channel.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Seeds <paramref name="count"/> single-answer questions with <paramref name="options"/> options each (the first authored is correct).</summary>
    public static Task SeedLiveQuestionsAsync(this AppFixture app, int count, int options = 4) =>
        app.ImportQuestionsAsync([.. Enumerable.Range(1, count).Select(i => new TestQuestion($"live-{i:00}")
        {
            Topics = ["chung"],
            Options = [.. Enumerable.Range(0, options).Select(o => ($"Phương án {o + 1} của câu {i}", o == 0))],
        })]);

    public static async Task<long> CreateLiveRoundAsync(this HttpClient organizer, CreateLiveRoundRequest request)
    {
        using var response = await organizer.PostAsJsonAsync(LiveRoutes.OrganizerApi, request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LiveRoundCreated>())!.RoundId;
    }

    public static async Task<LiveRoundOpened> OpenLiveRoundAsync(this HttpClient organizer, long roundId)
    {
        using var response = await organizer.PostAsync($"{LiveRoutes.OrganizerApi}/{roundId}/open", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LiveRoundOpened>())!;
    }

    /// <summary>The key of question <paramref name="number"/>, read from the database as only the server knows it.</summary>
    public static async Task<int> CorrectOptionAsync(this AppFixture app, long roundId, int number)
    {
        await using var c = app.OpenConnection();
        return await c.QuerySingleAsync<short>("SELECT correct_option FROM live_round_questions WHERE round_id = @roundId AND number = @number", new { roundId, number = (short)number });
    }

    public static int Wrong(int correct, int count = 4) => (correct + 1) % count;
}
