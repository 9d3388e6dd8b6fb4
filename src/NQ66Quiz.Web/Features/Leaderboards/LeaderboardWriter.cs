using NQ66Quiz.Web.Infrastructure;
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
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(1);

    /// <returns>false when Redis could not be written (the caller may retry later).</returns>
    public async Task<bool> RecordAsync(IReadOnlyCollection<BestEntry> entries)
    {
        if (entries.Count == 0)
        {
            return true;
        }
        if (!redis.IsConnected)
        {
            // Known to be down: do not make the participant wait for a timeout; the sync catches up later.
            logger.LogWarning("Redis is not connected; {Count} leaderboard entries left for the periodic sync", entries.Count);
            return false;
        }
        try
        {
            var db = redis.GetDatabase();
            var batch = db.CreateBatch();
            var writes = new List<Task>(entries.Count * 3);
            foreach (var e in entries)
            {
                // The encoding's limits are checked here, where scores are written: a value that does not fit is
                // logged and left out (PostgreSQL keeps it; retrying would not make it fit), never wrapped into a wrong rank.
                double score;
                try
                {
                    score = e.LiveScore;
                }
                catch (ArgumentOutOfRangeException ex)
                {
                    logger.LogError(ex, "Best attempt of participant {ParticipantId} in round {RoundId} does not fit the leaderboard score; not written",
                        e.ParticipantId, e.RoundId);
                    continue;
                }
                var member = LeaderboardScore.Member(e.ParticipantId);
                writes.Add(batch.SortedSetAddAsync(keys.Live(e.RoundId), member, score, SortedSetWhen.LessThan));
                writes.Add(batch.SortedSetAddAsync(keys.LiveUnit(e.RoundId, e.UnitId), member, score, SortedSetWhen.LessThan));
                writes.Add(batch.SetAddAsync(keys.Units(e.RoundId), e.UnitId));
            }
            batch.Execute();
            Telemetry.RedisWriteBatch.Record(writes.Count);
            var all = Task.WhenAll(writes);
            // The submission's answer must not wait on a Redis that hangs; a late write still lands (ZADD LT is monotone).
            _ = all.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await all.WaitAsync(WriteTimeout);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not update {Count} leaderboard entries in Redis; the periodic sync or `leaderboards rebuild` will restore them", entries.Count);
            return false;
        }
    }
}
