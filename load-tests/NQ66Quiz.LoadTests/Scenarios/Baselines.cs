using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using NpgsqlTypes;
using NQ66Quiz.LoadTests.Harness;
using StackExchange.Redis;

namespace NQ66Quiz.LoadTests.Scenarios;

/// <summary>
/// Ceilings measured in the same run on the same machine: absolute figures drift on a shared box, ratios hold.
/// </summary>
public static class Baselines
{
    /// <summary>GET /ping on the baseline server: what Kestrel alone answers here, closed model at the same concurrency.</summary>
    public static Scenario BareHttp(Wire wire, Uri baseline, int baselinePid, int copies, TimeSpan during, TimeSpan warmUp)
    {
        var http = wire.HttpClient(baseline, copies);
        return new Scenario
        {
            Name = "baseline-http",
            ServedBy = [baselinePid],
            Description = "A bare minimal endpoint (`GET /ping` → `ok`) in a separate process with Kestrel's defaults: the HTTP ceiling of this machine.",
            Load = [new LoadSimulation.KeepConstant(copies, during)],
            WarmUp = warmUp,
            Run = async ctx => await ctx.StepAsync("ping", async ct =>
            {
                using var response = await http.GetAsync("/ping", ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                return response.IsSuccessStatusCode ? Reply.Success(0, body.Length) : Reply.Fail($"HTTP {(int)response.StatusCode}");
            }),
        };
    }

    /// <summary>Pipelined ZADD of 1,000 members a batch into a scratch key of the same Redis.</summary>
    public static Scenario RedisZadd(string redis, int copies, TimeSpan during, TimeSpan warmUp)
    {
        const int Batch = 1000;
        ConnectionMultiplexer? mux = null;
        var key = $"loadtest:{Guid.NewGuid():N}:zadd";
        Scenario? scenario = null;
        scenario = new Scenario
        {
            Name = "baseline-redis-zadd",
            Description = $"Pipelined ZADD, {Batch} members per batch, into a scratch sorted set of the same Redis (deleted afterwards): the Redis write ceiling. Rate is batches/s; ZADD/s is under Facts.",
            Load = [new LoadSimulation.KeepConstant(copies, during)],
            WarmUp = warmUp,
            Init = async _ => mux = await ConnectionMultiplexer.ConnectAsync(Wire.LoopbackRedis(redis)),
            Run = async ctx => await ctx.StepAsync("zadd-batch", async _ =>
            {
                var db = mux!.GetDatabase();
                var batch = db.CreateBatch();
                var writes = new Task[Batch];
                var basis = ctx.Number * Batch + ctx.Copy * 1_000_000_000L;
                for (var i = 0; i < Batch; i++)
                {
                    writes[i] = batch.SortedSetAddAsync(key, (basis + i).ToString("D12", System.Globalization.CultureInfo.InvariantCulture), basis + i);
                }
                batch.Execute();
                await Task.WhenAll(writes);
                return Reply.Success(Batch * 30);
            }),
            Clean = async () =>
            {
                if (mux is not null)
                {
                    await mux.GetDatabase().KeyDeleteAsync(key);
                    await mux.DisposeAsync();
                }
            },
        };
        return scenario;
    }

    /// <summary>Binary COPY of 1,000,000 result-shaped rows into an unlogged scratch table of the same PostgreSQL.</summary>
    public static Scenario PostgresCopy(string postgres, int rows)
    {
        var table = $"load_copy_{Guid.NewGuid():N}"[..24];
        Scenario? scenario = null;
        scenario = new Scenario
        {
            Name = "baseline-pg-copy",
            Description = $"Binary COPY of {rows:N0} rows shaped like `round_results` (bigint, int, int, int, timestamptz) into an UNLOGGED scratch table "
                + "on the same PostgreSQL (dropped afterwards): the bulk-write ceiling that round close and rebuild are compared with.",
            Load = [new LoadSimulation.Once()],
            StepTimeout = TimeSpan.FromMinutes(5),
            Init = async ct =>
            {
                await using var c = new NpgsqlConnection(Wire.LoopbackPostgres(postgres));
                await c.OpenAsync(ct);
                await c.ExecuteAsync($"CREATE UNLOGGED TABLE {table} (participant_id bigint, rank int, score int, duration_ms int, submitted_at timestamptz)");
            },
            Run = async ctx => await ctx.StepAsync("copy", async ct =>
            {
                var started = Stopwatch.GetTimestamp();
                await using var c = new NpgsqlConnection(postgres);
                await c.OpenAsync(ct);
                await using (var w = await c.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", ct))
                {
                    var t = DateTime.UtcNow;
                    for (var i = 0; i < rows; i++)
                    {
                        await w.StartRowAsync(ct);
                        await w.WriteAsync((long)i, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(i + 1, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(i % 21, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(i % 600_000, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(t, NpgsqlDbType.TimestampTz, ct);
                    }
                    await w.CompleteAsync(ct);
                }
                scenario!.Facts["rows"] = rows;
                scenario.Facts["rows_per_s"] = rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
                return Reply.Success(rows * 40L);
            }),
            Clean = async () =>
            {
                await using var c = new NpgsqlConnection(postgres);
                await c.ExecuteAsync($"DROP TABLE IF EXISTS {table}");
            },
        };
        return scenario;
    }

    /// <summary>
    /// The bare hub with the live round's players and arrivals: N players join, per question an ack per answer
    /// (spread or burst) and a broadcast to all, timed to the last player; RSS of the server per connected player.
    /// </summary>
    public static Scenario BareHub(Wire wire, Uri baseline, int baselinePid, int players, int questions, TimeSpan window, string label)
    {
        HubSwarm? swarm = null;
        HubConnection? host = null;
        const string Round = "round-1";
        Scenario? scenario = null;
        scenario = new Scenario
        {
            Name = "baseline-hub-" + label,
            ServedBy = [baselinePid],
            Description = $"A bare SignalR hub (separate process, no database): {players:N0} players on WebSockets, {questions} questions, answers {label} "
                + $"(over {Format.Duration(window)}), each acked by the hub method's return; the close is one group broadcast timed to the last player.",
            Load = [new LoadSimulation.Once()],
            StepTimeout = TimeSpan.FromMinutes(10),
            Init = async ct =>
            {
                var hubUrl = new Uri(baseline, BaselineServer.HubPath);
                swarm = new HubSwarm(wire, hubUrl, _ => null);
                host = swarm.Build(null);
                await host.StartAsync(ct);
                var before = HubSwarm.RssKiB(baselinePid);
                await swarm.ConnectAsync(players, ["Question", "Board"], async (c, _) => await c.InvokeAsync("Join", Round, ct), ct);
                await Task.Delay(1000, ct);
                var after = HubSwarm.RssKiB(baselinePid);
                scenario!.Facts["players"] = players;
                scenario.Facts["rss_before_kib"] = before;
                scenario.Facts["rss_after_kib"] = after;
                if (HubSwarm.FirstRoomOn([baselinePid]))
                {
                    scenario.Facts["rss_per_player_kib"] = players == 0 ? 0 : (after - before) / (double)players;
                }
            },
            Run = async ctx =>
            {
                for (var q = 1; q <= questions; q++)
                {
                    var question = q;
                    await host!.InvokeAsync("Broadcast", Round, "Question", $"{{\"q\":{question}}}", ctx.Cancellation);
                    await swarm!.AnswerAllAsync(ctx, "answer-ack", window,
                        async (c, i, ct) => await c.InvokeAsync<long>("Answer", Round, question, i % 4, ct), TimeSpan.FromSeconds(30), ctx.Cancellation);
                    var closed = Stopwatch.GetTimestamp();
                    await host!.InvokeAsync("Broadcast", Round, "Board", new string('x', 600), ctx.Cancellation);
                    var (last, missing) = await swarm.WaitAllSeenAsync("Board", closed, TimeSpan.FromSeconds(30), ctx.Cancellation);
                    ctx.Record("close-to-last-board", last ?? TimeSpan.FromSeconds(30),
                        last is null ? Reply.Fail($"{missing} players did not get the board within 30 s") : Reply.Success(), timedOut: last is null);
                }
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
