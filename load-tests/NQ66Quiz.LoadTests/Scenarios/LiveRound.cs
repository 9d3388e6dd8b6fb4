using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using NQ66Quiz.LoadTests.Harness;

namespace NQ66Quiz.LoadTests.Scenarios;

/// <summary>
/// A live round against the app's hubs (contract: <c>Features/LiveRounds/LiveContracts.cs</c>, used untyped by name so
/// the harness does not depend on the app's assembly): N players join by PIN, the host runs Q questions; answers arrive
/// spread over the first 5 s or in a 100 ms burst. Measured: ack latency (acked only once durable), question close →
/// leaderboard at the last player, server RSS per player; afterwards answers lost or duplicated vs PostgreSQL.
/// </summary>
public static class LiveRound
{
    public const string PlayerHub = "/hubs/live";
    public const string HostHub = "/hubs/live-host";
    public const string OrganizerApi = "/api/organizer/live-rounds";
    public const int TimeLimitSeconds = 10;

    public static Scenario Create(AppClient app, Wire wire, int players, int questions, TimeSpan window, string label)
    {
        HubSwarm? swarm = null;
        HubConnection? host = null;
        long roundId = 0;
        var optionOf = new ConcurrentDictionary<(int Player, int Question), int>();
        var acked = new ConcurrentBag<(int Player, int Question)>();
        var playerIds = new long[players];
        var closedAt = new ConcurrentDictionary<int, long>();
        Scenario? scenario = null;
        scenario = new Scenario
        {
            Name = "live-round-" + label,
            Description = $"{players:N0} players join one live round over WebSockets ({PlayerHub}), the host ({HostHub}) runs {questions} questions of "
                + $"{TimeLimitSeconds} s; answers {label} (over {Format.Duration(window)}). `answer-ack`: Answer → AnswerAck (durable in PostgreSQL), "
                + "from the scheduled send; `close-to-last-board`: from the question's close (server deadline, or the host's QuestionClosed when earlier) "
                + "to the Leaderboard message at the last player; `close-to-last-outcome` (diagnostic): the same to each player's own QuestionClosed.",
            Load = [new LoadSimulation.Once()],
            StepTimeout = TimeSpan.FromMinutes(15),
            Baselines = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["answer-ack"] = "baseline-hub-" + label + "/answer-ack",
                ["close-to-last-board"] = "baseline-hub-" + label + "/close-to-last-board",
            },
            Init = async ct =>
            {
                await app.SignInOrganizerAsync(ct);
                var created = await app.PostJsonAsync<JsonElement>(OrganizerApi, new
                {
                    title = $"Vòng thi trực tiếp đo tải {label}",
                    blueprint = new[] { new { count = questions } },
                    timeLimitSeconds = TimeLimitSeconds,
                    points = 1000,
                    leaderboardEachQuestion = true,
                }, app.OrganizerCookie, ct);
                roundId = created.GetProperty("roundId").GetInt64();
                var opened = await app.PostJsonAsync<JsonElement>($"{OrganizerApi}/{roundId}/open", new { }, app.OrganizerCookie, ct);
                var pin = opened.GetProperty("pin").GetString()!;
                swarm = new HubSwarm(wire, new Uri(app.Target.App, PlayerHub), _ => null);
                host = new HubSwarm(wire, new Uri(app.Target.App, HostHub), _ => null).Build(app.OrganizerCookie);
                host.On<JsonElement>("QuestionClosed", r => closedAt.TryAdd(r.GetProperty("question").GetInt32(), Stopwatch.GetTimestamp()));
                await host.StartAsync(ct);
                await host.InvokeAsync<JsonElement>("Watch", roundId, ct);
                var before = app.Target.ServerPids.Sum(HubSwarm.RssKiB);
                await swarm.ConnectAsync(players, ["QuestionOpened", "Leaderboard", "QuestionClosed"], async (c, i) =>
                {
                    c.On<JsonElement>("QuestionOpened", q =>
                    {
                        // Options come in this player's own order; pick the first shown, as a hurried phone would.
                        optionOf[(i, q.GetProperty("number").GetInt32())] = q.GetProperty("options")[0].GetProperty("id").GetInt32();
                    });
                    var joined = await c.InvokeAsync<JsonElement>("Join", new { pin, nickname = $"Người chơi {i + 1}" }, ct);
                    if (joined.GetProperty("error").ValueKind != JsonValueKind.Null)
                    {
                        throw new InvalidOperationException("join refused: " + joined.GetProperty("error").GetString() + " " + joined.GetProperty("message").GetString());
                    }
                    playerIds[i] = joined.GetProperty("playerId").GetInt64();
                }, ct);
                await Task.Delay(1000, ct);
                var after = app.Target.ServerPids.Sum(HubSwarm.RssKiB);
                scenario!.Facts["players"] = players;
                scenario.Facts["nodes"] = app.Target.ServerPids.Count;
                scenario.Facts["rss_before_kib"] = before;
                scenario.Facts["rss_after_kib"] = after;
                if (HubSwarm.FirstRoomOn(app.Target.ServerPids))
                {
                    scenario.Facts["rss_per_player_kib"] = players == 0 || before == 0 ? 0 : (after - before) / (double)players;
                }
            },
            Run = async ctx =>
            {
                for (var q = 1; q <= questions; q++)
                {
                    var question = q;
                    swarm!.ResetSeen("QuestionOpened");
                    var asked = Stopwatch.GetTimestamp();
                    var command = await host!.InvokeAsync<JsonElement>(q == 1 ? "Start" : "Next", roundId, ctx.Cancellation);
                    if (command.GetProperty("error").ValueKind != JsonValueKind.Null)
                    {
                        throw new InvalidOperationException((q == 1 ? "start" : "next") + " refused: " + command.GetProperty("error").GetString() + " " + command.GetProperty("message").GetString());
                    }
                    var state = command.GetProperty("state");
                    if (state.GetProperty("question").ValueKind != JsonValueKind.Object)
                    {
                        throw new InvalidOperationException((q == 1 ? "start" : "next") + ": no question open after the command: " + state.GetRawText());
                    }
                    var closesAtMs = state.GetProperty("question").GetProperty("closesAtMs").GetInt64();
                    var serverNow = state.GetProperty("serverNowMs").GetInt64();
                    // Same host: the server's clock is ours; the offset only absorbs the time the command took to come back.
                    var closesAtTicks = Stopwatch.GetTimestamp() + (long)((closesAtMs - serverNow) / 1000.0 * Stopwatch.Frequency);
                    var (opened, missing) = await swarm.WaitAllSeenAsync("QuestionOpened", asked, TimeSpan.FromSeconds(30), ctx.Cancellation);
                    ctx.Record("open-to-last-player", opened ?? TimeSpan.FromSeconds(30), opened is null ? Reply.Fail($"{missing} players never saw the question") : Reply.Success());
                    await swarm.AnswerAllAsync(ctx, "answer-ack", window, async (c, i, ct) =>
                    {
                        var option = optionOf.TryGetValue((i, question), out var o) ? o : 0;
                        var ack = await c.InvokeAsync<JsonElement>("Answer", new { question, option }, ct);
                        if (ack.GetProperty("error").ValueKind != JsonValueKind.Null)
                        {
                            throw new InvalidOperationException("refused: " + ack.GetProperty("error").GetString());
                        }
                        acked.Add((i, question));
                    }, TimeSpan.FromSeconds(30), ctx.Cancellation);
                    // From the close to the moment the last player had the message. The close is read after the wait: a
                    // question everyone has answered closes before its deadline, and the host hears of it only then (a
                    // close read before the wait was the deadline, after every board: each close measured 0).
                    async Task LastSeenAsync(string broadcast, string step, TimeSpan timeout, string missing)
                    {
                        var (last, missingCount) = await swarm.WaitAllSeenAsync(broadcast, asked, timeout, ctx.Cancellation);
                        if (last is { } l)
                        {
                            // The host is told first, but on its own connection: give its message a moment to land.
                            var heard = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
                            while (!closedAt.ContainsKey(question) && Stopwatch.GetTimestamp() < heard)
                            {
                                await Task.Delay(5, ctx.Cancellation);
                            }
                            // The close happened before all of these: the deadline, the host's message, the first player's.
                            var closeTicks = Math.Min(swarm.FirstSeen(broadcast, asked), closedAt.TryGetValue(question, out var h) ? Math.Min(h, closesAtTicks) : closesAtTicks);
                            var lastTicks = asked + (long)(l.TotalSeconds * Stopwatch.Frequency);
                            ctx.Record(step, TimeSpan.FromSeconds(Math.Max(0.000001, (lastTicks - closeTicks) / (double)Stopwatch.Frequency)), Reply.Success());
                        }
                        else
                        {
                            ctx.Record(step, TimeSpan.FromSeconds(30), Reply.Fail($"{missingCount} players did not get {missing}"), timedOut: true);
                        }
                    }
                    await LastSeenAsync("Leaderboard", "close-to-last-board", TimeSpan.FromSeconds(TimeLimitSeconds + 30), "the leaderboard");
                    // Diagnostic beside it: each phone's own outcome (one message per player, sent after the room's board).
                    await LastSeenAsync("QuestionClosed", "close-to-last-outcome", TimeSpan.FromSeconds(30), "their outcome");
                }
                await host!.InvokeAsync<JsonElement>("End", roundId, ctx.Cancellation);
            },
            Verify = async ct =>
            {
                await using var c = new NpgsqlConnection(app.Target.Postgres);
                var pairs = acked.ToArray();
                var stored = await c.QuerySingleAsync<(long Stored, long Distinct, long AckedFound)>(new CommandDefinition("""
                    SELECT (SELECT count(*) FROM live_answers WHERE round_id = @roundId) AS stored,
                           (SELECT count(DISTINCT (number, player_id)) FROM live_answers WHERE round_id = @roundId) AS distinct,
                           (SELECT count(*) FROM unnest(@players, @numbers) AS k(player_id, number)
                            JOIN live_answers a ON a.round_id = @roundId AND a.player_id = k.player_id AND a.number = k.number) AS acked_found
                    """, new { roundId, players = pairs.Select(p => playerIds[p.Player]).ToArray(), numbers = pairs.Select(p => (short)p.Question).ToArray() },
                    cancellationToken: ct));
                return new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["acked_answers"] = pairs.Length,
                    ["stored_answers"] = stored.Stored,
                    ["lost_answers"] = pairs.Length - stored.AckedFound,
                    ["duplicate_answers"] = stored.Stored - stored.Distinct,
                };
            },
            Clean = async () =>
            {
                if (swarm is not null)
                {
                    await swarm.DisposeAsync();
                }
                if (host is not null)
                {
                    await host.DisposeAsync();
                }
            },
        };
        return scenario;
    }
}
