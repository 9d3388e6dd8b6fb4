using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.IntegrationTests.LiveRounds;
using NQ66Quiz.Web.Features.LiveRounds;

namespace NQ66Quiz.IntegrationTests.Faults;

/// <summary>
/// Live rounds under real faults: kill -9 of the only node mid-question, and one of two nodes behind nginx killed
/// mid-question. Players are .NET SignalR clients with automatic reconnect (jittered) that rejoin with their token.
/// </summary>
[Collection(FaultsCollectionDefinition.Name)]
public sealed class LiveFaultTests(FaultFixture servers)
{
    private const int TimeLimit = 12;
    private const int Grace = 500;

    [Fact]
    public async Task Kill_9_of_the_app_during_a_live_round_loses_no_acknowledged_answer_and_the_round_goes_on()
    {
        var round = await LiveRound.OpenAsync(servers.App.BaseAddress, "Hội nghị thử tắt đột ngột ứng dụng", skipNegotiation: false);
        await using var _ = round;
        await round.JoinAsync(8);
        await round.PlayQuestionAsync(1);

        await round.NextAsync(2);
        // Half answer before the kill; the other half send while the process dies.
        await round.AnswerAsync(2, round.Players.Take(4));
        var inFlight = round.AnswerAsync(2, round.Players.Skip(4));
        await Task.Delay(30);
        servers.App.Kill();
        await inFlight;
        await Task.Delay(1000);
        await servers.App.StartAsync();

        await round.AllReconnectedAsync();
        // What the kill cut is sent again, as the player page does; the reply says whether it had been stored.
        await round.AnswerAsync(2, round.Players.Where(p => round.History.Ops.Where(o => o.Player == p.Name && o.Question == 2).All(o => o.Outcome == Outcome.Unknown)));
        await round.NextAsync(3);
        await round.PlayQuestionAsync(3, open: false);
        await round.FinishAsync();

        Assert.True(round.History.Ops.Any(o => o.Outcome == Outcome.Unknown) || round.History.Ops.Count(o => o.Question == 2) == 8,
            "the kill changed nothing: " + round.History.Summary());
        Assert.All(round.Players, p => Assert.Contains(round.History.Ops, o => o.Player == p.Name && o.Question == 3 && o.Outcome == Outcome.Ack));
        await round.History.CheckAsync(servers.CheckConnectionString, round.Id, TimeLimit, Grace, servers.Redis.ConnectionString, "faults:");
    }

    [Fact]
    public async Task Redis_lost_mid_question_and_back_empty_answers_are_still_acknowledged_and_the_round_is_rebuilt_from_PostgreSQL()
    {
        var round = await LiveRound.OpenAsync(servers.App.BaseAddress, "Hội nghị thử mất Redis giữa câu hỏi", skipNegotiation: false);
        await using var _ = round;
        await round.JoinAsync(8);
        // The totals and the board of question 1 are in Redis (and PostgreSQL) when Redis goes.
        await round.PlayQuestionAsync(1);

        await round.NextAsync(2);
        await round.AnswerAsync(2, round.Players.Take(3));
        servers.Redis.Kill();
        var during = await round.AnswerAsync(2, round.Players.Skip(3));
        Assert.All(during, o => Assert.True(o.Outcome == Outcome.Ack, $"{o.Player}: {o.Outcome} {o.Error} while Redis was away"));
        // Once per player and question holds on the PostgreSQL path too, for an answer taken before and after the loss.
        var again = await round.History.AnswerAsync(round.Players[5].Name, round.Players[5].Player, 2, 1);
        Assert.Equal(LiveErrors.AlreadyAnswered, again.Error);
        var earlier = await round.History.AnswerAsync(round.Players[0].Name, round.Players[0].Player, 2, 1);
        Assert.True(earlier.Outcome == Outcome.Ack || earlier.Error == LiveErrors.AlreadyAnswered, $"{earlier.Outcome} {earlier.Error}");

        // Back empty: the round's keys are rebuilt from PostgreSQL, question 2 closes with every answer, the round goes on.
        await servers.Redis.StartAsync();
        await round.NextAsync(3);
        await round.PlayQuestionAsync(3, open: false);
        await round.FinishAsync();

        // Players hear the close of question 2 (its points counted their answer taken without Redis) and of question 3.
        var heard = new List<PlayerOutcome>();
        while (round.Players[7].Player.Outcomes.Reader.TryRead(out var o))
        {
            heard.Add(o);
        }
        Assert.Equal([1, 2, 3], heard.Select(o => o.Question));
        Assert.Equal(during.Single(o => o.Player == round.Players[7].Name).Option, heard[1].Chosen);
        Assert.Equal(8, round.History.Ops.Where(o => o.Question == 2 && o.Outcome == Outcome.Ack).Select(o => o.Player).Distinct().Count());
        Assert.All(round.Players, p => Assert.Contains(round.History.Ops, o => o.Player == p.Name && o.Question == 3 && o.Outcome == Outcome.Ack));
        await round.History.CheckAsync(servers.CheckConnectionString, round.Id, TimeLimit, Grace, servers.Redis.ConnectionString, "faults:");
    }

    [Fact]
    public async Task One_of_two_nodes_behind_nginx_killed_mid_question_its_players_continue_on_the_other_and_no_ack_is_lost()
    {
        await using var cluster = await Cluster.StartAsync(servers.CheckConnectionString.Replace(";Pooling=false", "", StringComparison.Ordinal),
            servers.Redis.ConnectionString, "faults-cluster:", "Production");
        var round = await LiveRound.OpenAsync(cluster.Address, "Hội nghị thử mất một máy chủ", skipNegotiation: true);
        await using var _ = round;
        await round.JoinAsync(8);
        await round.PlayQuestionAsync(1);

        await round.NextAsync(2);
        await round.AnswerAsync(2, round.Players.Take(2));
        // The node with the most players dies while their answers are in flight (nginx's workers each balance on their
        // own, so who is where is nginx's choice; the host may be on either node).
        var victim = await cluster.BusiestNodeAsync(round.Players.Count);
        var inFlight = round.AnswerAsync(2, round.Players.Skip(2));
        await Task.Delay(20);
        cluster.StopNode(victim);
        await inFlight;

        await round.AllReconnectedAsync();
        await round.AnswerAsync(2, round.Players.Where(p => round.History.Ops.Where(o => o.Player == p.Name && o.Question == 2).All(o => o.Outcome == Outcome.Unknown)));
        await round.NextAsync(3);
        await round.PlayQuestionAsync(3, open: false);
        await round.FinishAsync();

        Assert.All(round.Players, p => Assert.Contains(round.History.Ops, o => o.Player == p.Name && o.Question == 3 && o.Outcome == Outcome.Ack));
        await round.History.CheckAsync(servers.CheckConnectionString, round.Id, TimeLimit, Grace, servers.Redis.ConnectionString, "faults-cluster:");
        foreach (var p in round.Players)
        {
            await p.Player.Connection.StopAsync();
        }
        await Task.Delay(300);
        Assert.Equal(2, cluster.UpstreamsSeen("/hubs/live"));
    }

    /// <summary>A live round on the fault servers: organizer over HTTP, host console and players on the hubs.</summary>
    private sealed class LiveRound : IAsyncDisposable
    {
        private readonly Uri _address;
        private readonly bool _skipNegotiation;
        private readonly HttpClient _organizer;
        private LiveHost _host = null!;
        private string _pin = "";

        private LiveRound(Uri address, bool skipNegotiation, HttpClient organizer) => (_address, _skipNegotiation, _organizer) = (address, skipNegotiation, organizer);

        public long Id { get; private set; }
        public LiveHistory History { get; } = new();
        public List<(string Name, LivePlayer Player)> Players { get; } = [];

        public static async Task<LiveRound> OpenAsync(Uri address, string title, bool skipNegotiation)
        {
            var jar = new CookieContainer();
            var organizer = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = jar }) { BaseAddress = address };
            (await organizer.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppProcess.AdminEmail, password = AppProcess.AdminPassword })).EnsureSuccessStatusCode();
            var round = new LiveRound(address, skipNegotiation, organizer);
            round.Id = await organizer.CreateLiveRoundAsync(new CreateLiveRoundRequest(title, null, [new LiveBlueprintLine(3)], TimeLimitSeconds: TimeLimit));
            round._pin = (await organizer.OpenLiveRoundAsync(round.Id)).Pin;
            round._host = new LiveHost(address, jar.GetCookieHeader(address), skipNegotiation);
            Assert.Equal(LivePhases.Lobby, (await round._host.WatchAsync(round.Id)).Phase);
            return round;
        }

        public async Task JoinAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var player = new LivePlayer(_address, reconnect: true, skipNegotiation: _skipNegotiation);
                var name = $"Đại biểu {i + 1}";
                Players.Add((name, player));
                var joined = await player.JoinAsync(_pin, name);
                Assert.True(joined.Ok, joined.Message);
            }
        }

        /// <summary>Opens question <paramref name="number"/> (unless it is open already), everyone answers, waits for the close.</summary>
        public async Task PlayQuestionAsync(int number, bool open = true)
        {
            if (open)
            {
                await NextAsync(number);
            }
            await AnswerAsync(number, Players);
            // A player whose connection is still rejoining after a fault hears "not in the room" (or nothing) and sends
            // again, as the player page does, until the server has said yes or no.
            for (var retry = 0; retry < 20; retry++)
            {
                var unanswered = Players.Where(p => History.Ops.Where(o => o.Player == p.Name && o.Question == number).All(o => o.Outcome == Outcome.Unknown)).ToList();
                if (unanswered.Count == 0)
                {
                    return;
                }
                await Task.Delay(300);
                await AnswerAsync(number, unanswered);
            }
        }

        public Task<LiveOp[]> AnswerAsync(int number, IEnumerable<(string Name, LivePlayer Player)> who) =>
            Task.WhenAll(who.Select(p => History.AnswerAsync(p.Name, p.Player, number, Random.Shared.Next(0, 2))));

        /// <summary>Start or Next until question <paramref name="number"/> is open (the previous one closes on the clock).</summary>
        public async Task NextAsync(int number)
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(TimeLimit + 40);
            while (true)
            {
                Assert.True(DateTime.UtcNow < until, $"question {number} never opened");
                try
                {
                    var state = await _host.Connection.InvokeAsync<HostState>(LiveHostMethods.Watch, Id);
                    if (state.Phase == LivePhases.Question && state.CurrentQuestion == number)
                    {
                        return;
                    }
                    if (state.Phase is LivePhases.Lobby or LivePhases.Closed)
                    {
                        await _host.CommandAsync(state.Phase == LivePhases.Lobby ? LiveHostMethods.Start : LiveHostMethods.Next, Id);
                    }
                }
                catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or IOException)
                {
                    // The host's connection is coming back after the fault.
                }
                await Task.Delay(200);
            }
        }

        /// <summary>After the last question's close, Next ends the round (final ranks written).</summary>
        public async Task FinishAsync()
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(TimeLimit + 20);
            while (true)
            {
                Assert.True(DateTime.UtcNow < until, "the round never ended");
                var state = await _host.Connection.InvokeAsync<HostState>(LiveHostMethods.Watch, Id);
                if (state.Phase == LivePhases.Ended)
                {
                    return;
                }
                if (state.Phase == LivePhases.Closed)
                {
                    await _host.CommandAsync(LiveHostMethods.Next, Id);
                }
                await Task.Delay(300);
            }
        }

        public async Task AllReconnectedAsync()
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!(_host.Connection.State == HubConnectionState.Connected && Players.All(p => p.Player.Connection.State == HubConnectionState.Connected)))
            {
                Assert.True(DateTime.UtcNow < until, "players and host did not reconnect within 60 s");
                await Task.Delay(100);
            }
            // Rejoin runs in the Reconnected handler right after the state turns Connected.
            await Task.Delay(700);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var p in Players)
            {
                await p.Player.DisposeAsync();
            }
            await _host.DisposeAsync();
            _organizer.Dispose();
        }
    }
}
