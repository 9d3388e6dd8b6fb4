using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>
/// Re-applies best attempts that changed recently to the live boards. A submission writes Redis right after its
/// commit; if Redis was unreachable at that moment, this catches the board up on the next tick (ZADD LT: harmless
/// when nothing was missed). Watermarks are database time, so app nodes' clocks do not matter.
/// A Redis that comes back empty (restarted without persistence, flushed, failed over to an empty replica) has lost
/// more than the last minutes: the sync finds the marker key gone and rebuilds every board from PostgreSQL first.
/// </summary>
public sealed class LeaderboardSync(LeaderboardSource source, LeaderboardWriter writer, LeaderboardRebuild rebuild, IConnectionMultiplexer redis,
    RedisKeys keys, ILogger<LeaderboardSync> logger)
{
    /// <summary>Covers transactions that were open across the previous run: their updated_at precedes their commit.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    private DateTimeOffset? _since;

    private RedisKey Built => keys.For("lb:built");

    public async Task<int> SyncAsync(CancellationToken ct = default)
    {
        var now = await source.DatabaseNowAsync(ct);
        if (redis.IsConnected && !await BuiltAsync())
        {
            var report = await rebuild.RebuildAllAsync(ct);
            await redis.GetDatabase().StringSetAsync(Built, now.ToString("O"));
            logger.LogWarning("Redis had no leaderboards: rebuilt {Rounds} round(s), {Entries} live entries from PostgreSQL in {Ms} ms",
                report.Rounds, report.LiveEntries, report.ElapsedMs);
        }
        var since = _since ?? now - TimeSpan.FromMinutes(10);
        var changed = await source.ChangedSinceAsync(since, ct: ct);
        if (await writer.RecordAsync(changed))
        {
            _since = now - Overlap;
        }
        return changed.Count;
    }

    private async Task<bool> BuiltAsync()
    {
        try
        {
            return await redis.GetDatabase().KeyExistsAsync(Built);
        }
        catch (RedisException)
        {
            // Unreachable: nothing to rebuild into now; the next tick looks again.
            return true;
        }
    }
}
