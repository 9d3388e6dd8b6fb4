using System.Diagnostics;
using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Leaderboards;

public sealed record RebuildReport(int Rounds, int LiveEntries, int FinalEntries, long ElapsedMs);

/// <summary>
/// Rebuilds every leaderboard of a round from PostgreSQL: new sorted sets are written under staging keys, then one
/// MULTI/EXEC renames them over the live keys and drops boards of units that no longer have entries, so readers see
/// either the old boards or the new ones, never a half-built one. Writes that landed on the old keys while the
/// staging keys were filling are re-applied from PostgreSQL after the swap (ZADD LT makes that idempotent).
/// </summary>
public sealed class LeaderboardRebuild(IConnectionMultiplexer redis, LeaderboardKeys keys, LeaderboardSource source, LeaderboardWriter writer)
{
    private const int Chunk = 1000;
    private const int PipelineWindow = 32;

    /// <summary>Staging keys of a rebuild that dies half-way expire by themselves; the swap makes the renamed keys persistent.</summary>
    private static readonly TimeSpan StagingLifetime = TimeSpan.FromHours(1);

    /// <summary>A transaction that started before the rebuild read PostgreSQL can commit after it: re-apply this far back.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromMinutes(1);

    public async Task<RebuildReport> RebuildAllAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        int live = 0, final = 0;
        var rounds = await source.RoundIdsAsync(ct);
        foreach (var roundId in rounds)
        {
            var (l, f) = await RebuildRoundAsync(roundId, ct: ct);
            live += l;
            final += f;
        }
        return new RebuildReport(rounds.Count, live, final, clock.ElapsedMilliseconds);
    }

    /// <param name="finalOnly">
    /// Only the final boards (the round's and its units'): what a round close changes. The close leaves the live boards
    /// as they are (the attempts it expires update them as they close), and rewriting them would double the work.
    /// </param>
    public async Task<(int Live, int Final)> RebuildRoundAsync(long roundId, bool finalOnly = false, CancellationToken ct = default)
    {
        var started = await source.DatabaseNowAsync(ct);
        IReadOnlyList<BestEntry> best = finalOnly ? [] : await source.BestAsync(roundId, ct);
        var results = await source.FinalAsync(roundId, ct);
        var db = redis.GetDatabase();
        var build = Guid.NewGuid().ToString("N")[..12];

        // Staging: name → (real key, entries). Units get a live board per unit and, once closed, a final one. A unit's
        // board holds the same members with the same scores as the round's, so it shares the round's entries (one member
        // string per person, not one per board: a million fewer long-lived objects for the GC to carry).
        var finalEntries = results.Select(r => new SortedSetEntry(LeaderboardScore.Member(r.ParticipantId), r.Rank)).ToArray();
        var liveEntries = best.Select(e => new SortedSetEntry(LeaderboardScore.Member(e.ParticipantId), e.LiveScore)).ToArray();
        var boards = new Dictionary<string, (RedisKey Real, IReadOnlyCollection<SortedSetEntry> Entries)>(StringComparer.Ordinal)
        {
            ["final"] = (keys.Final(roundId), finalEntries),
        };
        if (!finalOnly)
        {
            boards["live"] = (keys.Live(roundId), liveEntries);
        }
        var units = best.Select(e => e.UnitId).Concat(results.Select(r => r.UnitId)).Distinct().ToList();
        // One pass per list: grouping by unit, not one scan of every entry per unit (hundreds of units × a million entries).
        var liveByUnit = best.Select((e, i) => (e.UnitId, Entry: liveEntries[i])).ToLookup(x => x.UnitId, x => x.Entry);
        var finalByUnit = results.Select((r, i) => (r.UnitId, Entry: finalEntries[i])).ToLookup(x => x.UnitId, x => x.Entry);
        foreach (var unit in units)
        {
            if (!finalOnly)
            {
                boards[$"live:u:{unit}"] = (keys.LiveUnit(roundId, unit), [.. liveByUnit[unit]]);
            }
            boards[$"final:u:{unit}"] = (keys.FinalUnit(roundId, unit), [.. finalByUnit[unit]]);
        }
        // Pipelined: the chunks go out back to back, with at most a window of them unanswered at a time, instead of one
        // round trip per thousand members. The window counts chunks, not boards: a round's live board of a million
        // members is a thousand chunks, and queueing them all at once (~20 MB) outran a busy Redis past the client's
        // timeout, failing the rebuild and every other command on the shared connection (load-tests/results/SUMMARY.md).
        var writes = new Queue<Task>();
        var sent = 0;
        async Task SendAsync(Task write)
        {
            writes.Enqueue(write);
            if (++sent % PipelineWindow == 0)
            {
                Telemetry.RedisWriteBatch.Record(PipelineWindow);
            }
            while (writes.Count > PipelineWindow)
            {
                await writes.Dequeue();
            }
        }
        foreach (var (name, (_, entries)) in boards)
        {
            foreach (var chunk in entries.Chunk(Chunk))
            {
                await SendAsync(db.SortedSetAddAsync(keys.Staging(roundId, build, name), chunk));
            }
            if (entries.Count > 0)
            {
                await SendAsync(db.KeyExpireAsync(keys.Staging(roundId, build, name), StagingLifetime));
            }
        }
        await Task.WhenAll(writes);
        if (sent % PipelineWindow > 0)
        {
            Telemetry.RedisWriteBatch.Record(sent % PipelineWindow);
        }
        if (units.Count > 0 && !finalOnly)
        {
            await db.SetAddAsync(keys.Staging(roundId, build, "units"), [.. units.Select(u => (RedisValue)u)]);
            await db.KeyExpireAsync(keys.Staging(roundId, build, "units"), StagingLifetime);
        }

        var oldUnits = (await db.SetMembersAsync(keys.Units(roundId))).Select(v => (int)v).ToList();
        var swap = db.CreateTransaction();
        var queued = new List<Task>();
        foreach (var stale in oldUnits.Except(units))
        {
            // A final-only rebuild keeps the live boards, and so every unit that has one.
            RedisKey[] gone = finalOnly ? [keys.FinalUnit(roundId, stale)] : [keys.LiveUnit(roundId, stale), keys.FinalUnit(roundId, stale)];
            queued.Add(swap.KeyDeleteAsync(gone));
        }
        foreach (var (name, (real, entries)) in boards)
        {
            if (entries.Count > 0)
            {
                queued.Add(swap.KeyRenameAsync(keys.Staging(roundId, build, name), real));
                queued.Add(swap.KeyPersistAsync(real));
            }
            else
            {
                queued.Add(swap.KeyDeleteAsync(real));
            }
        }
        if (finalOnly)
        {
            if (units.Count > 0)
            {
                queued.Add(swap.SetAddAsync(keys.Units(roundId), [.. units.Select(u => (RedisValue)u)]));
            }
        }
        else if (units.Count > 0)
        {
            queued.Add(swap.KeyRenameAsync(keys.Staging(roundId, build, "units"), keys.Units(roundId)));
            queued.Add(swap.KeyPersistAsync(keys.Units(roundId)));
        }
        else
        {
            queued.Add(swap.KeyDeleteAsync(keys.Units(roundId)));
        }
        if (!await swap.ExecuteAsync())
        {
            throw new InvalidOperationException($"The leaderboard swap of round {roundId} was not executed.");
        }
        await Task.WhenAll(queued);

        // Boards of rounds still open keep moving: catch up with what committed while this rebuild was reading.
        if (!finalOnly)
        {
            await writer.RecordAsync(await source.ChangedSinceAsync(started - InFlight, roundId, ct));
        }
        return (best.Count, results.Count);
    }
}

/// <summary><c>leaderboards rebuild</c>: rebuilds every Redis leaderboard from PostgreSQL.</summary>
internal sealed class LeaderboardsRebuildVerb(LeaderboardRebuild rebuild, Migrator migrator) : ICommandVerb
{
    public string Name => "leaderboards rebuild";

    public string Usage => "leaderboards rebuild         rebuild every Redis leaderboard from PostgreSQL (atomic swap)";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length > 0)
        {
            await output.WriteLineAsync("leaderboards rebuild takes no arguments");
            return 2;
        }
        await migrator.MigrateAsync(ct);
        var report = await rebuild.RebuildAllAsync(ct);
        await output.WriteLineAsync($"Rebuilt the leaderboards of {report.Rounds} round(s): {report.LiveEntries} live entries, "
            + $"{report.FinalEntries} final entries, in {report.ElapsedMs} ms.");
        return 0;
    }
}
