using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>What ending a round now did: the round, and how many attempts were still being taken.</summary>
public sealed record RoundEnded(RoundView Round, int OpenAttempts, DateTimeOffset GraceUntil);

/// <summary>
/// Ending a running round early. The round's closing becomes now and every attempt still open gets now as its deadline,
/// so the usual rules take over: answers and submissions are accepted for the submit grace (as at any deadline), after
/// which the expiry job closes each open attempt with what was saved and the close job computes the results. Who ended
/// it, when, and the closing time it replaced are recorded (0016).
/// </summary>
public sealed class RoundEnd(NpgsqlDataSource dataSource, ContestStore store, TimeProvider clock, IOptions<ContestOptions> options)
{
    public async Task<SetupResult<RoundEnded>> EndNowAsync(long roundId, string who, CancellationToken ct = default)
    {
        // To the second, as every round time is; the CHECK closes_at > opens_at holds because the round has opened.
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var round = await ContestStore.GetRoundAsync(connection, roundId, tx, ct, forUpdate: true);
        if (round is null)
        {
            return new SetupResult<RoundEnded>.NotFound();
        }
        if (round.StatusAt(now) == RoundStatus.Scheduled)
        {
            return new SetupResult<RoundEnded>.Refused("Tuần thi chưa mở nên không có gì để kết thúc; muốn huỷ thì sửa giờ mở và giờ đóng.");
        }
        if (round.StatusAt(now) != RoundStatus.Open)
        {
            return new SetupResult<RoundEnded>.Refused("Tuần thi đã kết thúc; không thể kết thúc lần nữa.");
        }
        if (now <= round.OpensAt)
        {
            return new SetupResult<RoundEnded>.Refused("Tuần thi vừa mở trong giây này; đợi một giây rồi kết thúc lại.");
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE contest_rounds SET planned_closes_at = closes_at, closes_at = @now, ended_early_at = @now, ended_early_by = @who, updated_at = @now
            WHERE id = @roundId
            """, new { roundId, now, who }, tx, cancellationToken: ct));
        var open = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE attempts SET deadline_at = @now WHERE round_id = @roundId AND status = 'in_progress' AND deadline_at > @now
            """, new { roundId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SetupResult<RoundEnded>.Ok(new RoundEnded((await store.GetRoundAsync(roundId, ct))!, open, now + options.Value.Grace));
    }

    /// <summary>How many attempts are being taken right now (for the confirmation).</summary>
    public async Task<int> OpenAttemptsAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM attempts WHERE round_id = @roundId AND status = 'in_progress'", new { roundId }, cancellationToken: ct));
    }

    /// <summary>Who ended the round early and when, or null when it closed as planned.</summary>
    public async Task<(string By, DateTimeOffset At, DateTimeOffset PlannedClose)?> EndedEarlyAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string? By, DateTime? At, DateTime? Planned)>(new CommandDefinition(
            "SELECT ended_early_by, ended_early_at, planned_closes_at FROM contest_rounds WHERE id = @roundId", new { roundId }, cancellationToken: ct));
        return row.By is { } by ? (by, ContestStore.Utc(row.At!.Value), ContestStore.Utc(row.Planned!.Value)) : null;
    }
}
