using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>A final-ranking row as the final board needs it.</summary>
public sealed record FinalEntry(long ParticipantId, int UnitId, int Rank);

/// <summary>
/// The leaderboards as PostgreSQL records them: what a rebuild loads into Redis, what the periodic sync re-applies,
/// and what the tests compare Redis against.
/// </summary>
public sealed class LeaderboardSource(NpgsqlDataSource dataSource)
{
    private sealed record BestRow(long RoundId, DateTimeOffset OpensAt, long ParticipantId, int UnitId, int Score, int DurationMs, DateTimeOffset SubmittedAt)
    {
        public BestEntry ToEntry() => new(RoundId, OpensAt, ParticipantId, UnitId, Score, DurationMs, SubmittedAt);
    }

    private const string BestSql = """
        SELECT e.round_id, r.opens_at, e.participant_id, e.unit_id, a.score, a.duration_ms, a.submitted_at
        FROM round_entries e
        JOIN attempts a ON a.id = e.best_attempt_id
        JOIN contest_rounds r ON r.id = e.round_id
        """;

    public async Task<IReadOnlyList<BestEntry>> BestAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // A whole round: a million rows for a national contest, past the 30 s default on a busy server.
        var rows = await connection.QueryAsync<BestRow>(new CommandDefinition(BestSql + " WHERE e.round_id = @roundId", new { roundId }, cancellationToken: ct, commandTimeout: 600));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>Best attempts changed at or after <paramref name="since"/> (database time), in rounds not yet closed.</summary>
    public async Task<IReadOnlyList<BestEntry>> ChangedSinceAsync(DateTimeOffset since, long? roundId = null, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<BestRow>(new CommandDefinition(
            BestSql + " WHERE e.updated_at >= @since AND r.closed_at IS NULL AND (@roundId::bigint IS NULL OR e.round_id = @roundId)",
            new { since, roundId }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToEntry())];
    }

    public async Task<IReadOnlyList<FinalEntry>> FinalAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<FinalEntry>(new CommandDefinition(
            "SELECT participant_id, unit_id, rank FROM round_results WHERE round_id = @roundId ORDER BY rank", new { roundId }, cancellationToken: ct, commandTimeout: 600))];
    }

    /// <summary>
    /// The live ranking computed in SQL alone (<see cref="Ranking.LiveBoard"/>), the order the Redis board must
    /// reproduce exactly.
    /// </summary>
    public async Task<IReadOnlyList<long>> LiveOrderAsync(long roundId, int? unitId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition($"""
            SELECT e.participant_id
            FROM round_entries e JOIN attempts a ON a.id = e.best_attempt_id
            WHERE e.round_id = @roundId AND (@unitId::integer IS NULL OR e.unit_id = @unitId)
            ORDER BY {Ranking.OrderBy(Ranking.LiveBoard)}
            """, new { roundId, unitId }, cancellationToken: ct))];
    }

    public async Task<DateTimeOffset> DatabaseNowAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<DateTimeOffset>(new CommandDefinition("SELECT clock_timestamp()", cancellationToken: ct));
    }

    public async Task<IReadOnlyList<long>> RoundIdsAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM contest_rounds ORDER BY id", cancellationToken: ct))];
    }
}
