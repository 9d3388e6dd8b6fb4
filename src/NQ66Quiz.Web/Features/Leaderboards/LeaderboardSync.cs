namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>
/// Re-applies best attempts that changed recently to the live boards. A submission writes Redis right after its
/// commit; if Redis was unreachable at that moment, this catches the board up on the next tick (ZADD LT: harmless
/// when nothing was missed). Watermarks are database time, so app nodes' clocks do not matter.
/// </summary>
public sealed class LeaderboardSync(LeaderboardSource source, LeaderboardWriter writer)
{
    /// <summary>Covers transactions that were open across the previous run: their updated_at precedes their commit.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    private DateTimeOffset? _since;

    public async Task<int> SyncAsync(CancellationToken ct = default)
    {
        var now = await source.DatabaseNowAsync(ct);
        var since = _since ?? now - TimeSpan.FromMinutes(10);
        var changed = await source.ChangedSinceAsync(since, ct: ct);
        if (await writer.RecordAsync(changed))
        {
            _since = now - Overlap;
        }
        return changed.Count;
    }
}
