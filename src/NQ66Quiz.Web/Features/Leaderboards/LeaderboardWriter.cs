using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>A participant's best attempt in a round, as the live boards need it.</summary>
public sealed record BestEntry(long RoundId, DateTimeOffset OpensAt, long ParticipantId, int UnitId, int Score, int DurationMs, DateTimeOffset SubmittedAt)
{
    public double LiveScore => LeaderboardScore.Live(Score, DurationMs, LeaderboardScore.SecondsSinceOpening(SubmittedAt, OpensAt));
}

/// <summary>
/// Pushes best attempts to the live boards, always after the PostgreSQL commit that made them best. ZADD LT keeps
/// only the lower (better) score: a best attempt only ever improves, so writes from several nodes arriving out of
/// order still leave the right value. Failures are logged, not thrown: PostgreSQL is the record, the periodic sync
/// re-applies recent changes and <c>leaderboards rebuild</c> restores everything.
/// </summary>
public sealed class LeaderboardWriter(IConnectionMultiplexer redis, LeaderboardKeys keys, ILogger<LeaderboardWriter> logger)
{
    /// <returns>false when Redis could not be written (the caller may retry later).</returns>
    public async Task<bool> RecordAsync(IReadOnlyCollection<BestEntry> entries)
    {
        if (entries.Count == 0)
        {
            return true;
        }
        try
        {
            var db = redis.GetDatabase();
            var batch = db.CreateBatch();
            var writes = new List<Task>(entries.Count * 3);
            foreach (var e in entries)
            {
                var member = LeaderboardScore.Member(e.ParticipantId);
                writes.Add(batch.SortedSetAddAsync(keys.Live(e.RoundId), member, e.LiveScore, SortedSetWhen.LessThan));
                writes.Add(batch.SortedSetAddAsync(keys.LiveUnit(e.RoundId, e.UnitId), member, e.LiveScore, SortedSetWhen.LessThan));
                writes.Add(batch.SetAddAsync(keys.Units(e.RoundId), e.UnitId));
            }
            batch.Execute();
            await Task.WhenAll(writes);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not update {Count} leaderboard entries in Redis; the periodic sync or `leaderboards rebuild` will restore them", entries.Count);
            return false;
        }
    }
}
