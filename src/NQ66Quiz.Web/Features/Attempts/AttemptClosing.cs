using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Web.Features.Attempts;

public static class AttemptStatus
{
    public const string InProgress = "in_progress";
    public const string Submitted = "submitted";
    public const string Expired = "expired";
}

/// <summary>An attempt locked for closing, with what its round says about time.</summary>
public sealed record LockedAttempt(
    long Id, long RoundId, long ParticipantId, string Status, DateTimeOffset StartedAt, DateTimeOffset DeadlineAt, DateTimeOffset? SubmittedAt,
    int TimeLimitSeconds, DateTimeOffset OpensAt)
{
    public DateTimeOffset Deadline => DeadlineAt;
}

/// <summary>
/// Closing an attempt, the one path for a submission and for the deadline: score every saved answer, record per-answer
/// correctness, fix the time taken, and make it the participant's best attempt if it ranks higher. Runs inside the
/// caller's transaction; the leaderboard write happens after the caller commits.
///
/// Locks are always taken in the same order — the participant's round entry, then the attempt — by starting an
/// attempt, submitting it and the deadline job alike, so two of them can never deadlock.
/// </summary>
public static class AttemptClosing
{
    private sealed class ScoredRow
    {
        public short Position { get; init; }
        public short[]? Chosen { get; init; }
        public string Options { get; init; } = "";
    }

    private sealed record BestRow(int UnitId, long? BestId, int? Score, int? DurationMs, DateTimeOffset? SubmittedAt);

    /// <summary>Locks the round entry, then the attempt. Null when the attempt does not exist (or, with skipLocked, is busy).</summary>
    public static async Task<LockedAttempt?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long attemptId, CancellationToken ct, bool skipLocked = false)
    {
        var skip = skipLocked ? " SKIP LOCKED" : "";
        // One statement: the attempt's own entry is found through the attempt (an attempt never moves to another
        // entry). PostgreSQL locks a row's tables in the order FOR UPDATE OF names them (checked: with "OF a, e" the
        // entry stays free while the attempt is waited for), so the entry is locked first, as everywhere else; an
        // attempt closed while this waited is read as the closing left it.
        return await connection.QuerySingleOrDefaultAsync<LockedAttempt>(new CommandDefinition($"""
            SELECT a.id, a.round_id, a.participant_id, a.status, a.started_at, a.deadline_at, a.submitted_at, r.time_limit_seconds, r.opens_at
            FROM round_entries e
            JOIN attempts a ON a.round_id = e.round_id AND a.participant_id = e.participant_id
            JOIN contest_rounds r ON r.id = a.round_id
            WHERE a.id = @attemptId
            FOR UPDATE OF e, a{skip}
            """, new { attemptId }, tx, cancellationToken: ct));
    }

    /// <param name="prediction">A submission's prediction, written in the same statement as the close; null keeps the stored one.</param>
    /// <returns>The closed attempt's outcome, and the leaderboard entry to write after commit when it became the best.</returns>
    public static async Task<(AttemptOutcome Outcome, BestEntry? NewBest)> CloseAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, LockedAttempt attempt, string status, DateTimeOffset submittedAt, int? prediction,
        CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<ScoredRow>(new CommandDefinition("""
            SELECT aq.position, aq.chosen, v.options::text AS options
            FROM attempt_questions aq JOIN question_versions v ON v.id = aq.question_version_id
            WHERE aq.attempt_id = @Id
            """, new { attempt.Id }, tx, cancellationToken: ct))).ToList();
        var marks = rows.Select(r => (r.Position, Ok: Scoring.IsCorrect(r.Chosen, StoredOption.Parse(r.Options)))).ToList();
        var score = Scoring.Score(marks.Select(m => m.Ok));
        var duration = Ranking.DurationMs(attempt.StartedAt, submittedAt, attempt.TimeLimitSeconds);
        // One round trip: the marks, the attempt's close and the current best. The best is read from the statement's
        // snapshot, before this attempt closes, which is what it is compared with (an open attempt is never the best).
        var best = await connection.QuerySingleAsync<BestRow>(new CommandDefinition("""
            WITH marked AS (
                UPDATE attempt_questions aq SET is_correct = m.ok
                FROM unnest(@positions, @oks) AS m(position, ok)
                WHERE aq.attempt_id = @Id AND aq.position = m.position
            ), closed AS (
                UPDATE attempts SET status = @status, submitted_at = @submittedAt, duration_ms = @duration, score = @score,
                       prediction = coalesce(@prediction, prediction)
                WHERE id = @Id AND status = 'in_progress'
            )
            SELECT e.unit_id, b.id AS best_id, b.score, b.duration_ms, b.submitted_at
            FROM round_entries e LEFT JOIN attempts b ON b.id = e.best_attempt_id
            WHERE e.round_id = @RoundId AND e.participant_id = @ParticipantId
            """, new
        {
            attempt.Id, attempt.RoundId, attempt.ParticipantId, status, submittedAt, duration, score, prediction,
            positions = marks.Select(m => m.Position).ToArray(), oks = marks.Select(m => m.Ok).ToArray(),
        }, tx, cancellationToken: ct));
        var outcome = new AttemptOutcome(attempt.Id, score, duration, submittedAt);
        var current = best.BestId is { } id ? new AttemptOutcome(id, best.Score!.Value, best.DurationMs!.Value, best.SubmittedAt!.Value) : null;
        if (!Ranking.IsBetter(outcome, current))
        {
            return (outcome, null);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE round_entries SET best_attempt_id = @Id, updated_at = clock_timestamp()
            WHERE round_id = @RoundId AND participant_id = @ParticipantId
            """, new { attempt.Id, attempt.RoundId, attempt.ParticipantId }, tx, cancellationToken: ct));
        return (outcome, new BestEntry(attempt.RoundId, attempt.OpensAt, attempt.ParticipantId, best.UnitId, score, duration, submittedAt));
    }

    /// <summary>Closes the attempt at its deadline if it is still open and past deadline + grace; commits; updates the boards.</summary>
    /// <returns>true when this call closed it.</returns>
    public static async Task<bool> ExpireIfDueAsync(NpgsqlDataSource dataSource, LeaderboardWriter boards, long attemptId, DateTimeOffset now, TimeSpan grace,
        CancellationToken ct, bool skipLocked = false)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var attempt = await LockAsync(connection, tx, attemptId, ct, skipLocked);
        if (attempt is null || attempt.Status != AttemptStatus.InProgress || Scoring.InTime(attempt.Deadline, grace, now))
        {
            return false;
        }
        var (_, best) = await CloseAsync(connection, tx, attempt, AttemptStatus.Expired, attempt.Deadline, prediction: null, ct);
        await tx.CommitAsync(ct);
        await boards.RecordAsync(best is null ? [] : [best]);
        return true;
    }
}
