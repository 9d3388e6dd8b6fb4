using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>
/// Closes attempts nobody submitted, at their deadline, with what was saved. SKIP LOCKED lets several app nodes run
/// it at once: each takes the attempts the others are not closing (or a participant is not submitting).
/// </summary>
public sealed class AttemptExpiry(NpgsqlDataSource dataSource, TimeProvider clock, LeaderboardWriter boards, IOptions<ContestOptions> options)
{
    public const int BatchSize = 500;

    /// <returns>How many attempts this call closed.</returns>
    public async Task<int> CloseDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var grace = options.Value.Grace;
        IReadOnlyList<long> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due = [.. await connection.QueryAsync<long>(new CommandDefinition("""
                SELECT id FROM attempts
                WHERE status = 'in_progress' AND deadline_at + @grace < @now
                ORDER BY deadline_at
                LIMIT @BatchSize
                """, new { now, grace, BatchSize }, cancellationToken: ct))];
        }
        var closed = 0;
        foreach (var id in due)
        {
            if (await AttemptClosing.ExpireIfDueAsync(dataSource, boards, id, now, grace, ct, skipLocked: true))
            {
                closed++;
            }
        }
        return closed;
    }
}
