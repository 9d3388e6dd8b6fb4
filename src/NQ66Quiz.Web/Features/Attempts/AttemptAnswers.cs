using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>The options chosen for one question, as positions on screen (0 = first shown). Empty clears the answer.</summary>
public sealed record AnswerRequest(int Position, int[]? Choices);

/// <summary>The same field name as in the submission; required, so a body that names it otherwise is refused, not taken as "no prediction".</summary>
public sealed record PredictionRequest([property: System.Text.Json.Serialization.JsonRequired] int? Prediction);

public sealed record SavedAnswer(int Position, int[] Choices, DateTimeOffset SavedAt);

/// <summary>
/// Saving answers while the attempt runs. The response is sent only after PostgreSQL has committed the answer, so an
/// acknowledged answer survives a crash of the app node (kill -9) or of the phone.
/// </summary>
public sealed class AttemptAnswers(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<ContestOptions> options, PaperShapes shapes, AnswerCommitter committer)
{
    private sealed class QuestionState
    {
        public long ParticipantId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset DeadlineAt { get; init; }
        public int QuestionCount { get; init; }
        public short[]? OptionOrder { get; init; }
        public string? Kind { get; init; }
    }

    /// <summary>
    /// The fast path: the paper from this node's memory, the answer checked against it, one statement through the
    /// group commit. Anything that refuses the answer is re-checked against PostgreSQL, so the messages are the same
    /// as reading the attempt first would give.
    /// </summary>
    public async Task<Outcome<SavedAnswer>> SaveAsync(long participantId, long attemptId, AnswerRequest answer, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        for (var fresh = false; ; fresh = true)
        {
            if (fresh)
            {
                shapes.Forget(attemptId);
            }
            var shape = await shapes.GetAsync(attemptId, ct);
            if (shape is null || shape.ParticipantId != participantId || !Scoring.InTime(shape.Deadline, options.Value.Grace, now)
                || !shape.Questions.TryGetValue(answer.Position, out var question))
            {
                if (fresh || shape is null)
                {
                    return await RefusedAsync(participantId, attemptId, answer, now, ct);
                }
                continue;
            }
            var (optionIds, error) = Scoring.ToOptionIds(answer.Choices, question.Order, question.Kind, answer.Position);
            if (error is not null)
            {
                return await RefusedAsync(participantId, attemptId, answer, now, ct);
            }
            if (await committer.SaveAsync(attemptId, shape.PaperKey, participantId, answer.Position, optionIds!, now, ct))
            {
                return new Outcome<SavedAnswer>.Ok(new SavedAnswer(answer.Position, Scoring.ToDisplay(optionIds, question.Order), now));
            }
            if (fresh)
            {
                return await RefusedAsync(participantId, attemptId, answer, now, ct);
            }
        }
    }

    /// <summary>The slow path, for answers that are not saved: reads the attempt and says why, as the participant needs to hear it.</summary>
    private async Task<Outcome<SavedAnswer>> RefusedAsync(long participantId, long attemptId, AnswerRequest answer, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var state = await connection.QuerySingleOrDefaultAsync<QuestionState>(new CommandDefinition("""
            SELECT a.participant_id, a.status, a.deadline_at, a.question_count, aq.option_order, v.kind
            FROM attempts a
            LEFT JOIN attempt_questions aq ON aq.attempt_id = a.id AND aq.position = @Position
            LEFT JOIN question_versions v ON v.id = aq.question_version_id
            WHERE a.id = @attemptId
            """, new { attemptId, answer.Position }, cancellationToken: ct));
        if (Refuse<SavedAnswer>(state, participantId, now) is { } refused)
        {
            return refused;
        }
        if (state!.OptionOrder is null)
        {
            return Outcome<SavedAnswer>.NotFound($"Lượt thi này không có câu số {answer.Position} (chỉ có câu 1 đến {state.QuestionCount}).");
        }
        var (_, error) = Scoring.ToOptionIds(answer.Choices, state.OptionOrder, state.Kind!, answer.Position);
        if (error is not null)
        {
            return Outcome<SavedAnswer>.Invalid(error);
        }
        return Outcome<SavedAnswer>.Conflict("Lượt thi vừa được nộp hoặc đã hết giờ; câu trả lời này không được lưu.", $"/cuoc-thi/luot-thi/{attemptId}/ket-qua");
    }

    /// <summary>
    /// The guarded write: FOR SHARE on the attempt waits for a submission in progress (which holds it FOR UPDATE) and
    /// then sees it closed, so no answer can change after the attempt has been scored.
    /// </summary>
    internal async Task<bool> SaveAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long attemptId, int position, short[] optionIds,
        DateTimeOffset now, CancellationToken ct)
    {
        var rows = await connection.ExecuteAsync(new CommandDefinition("""
            WITH a AS (
                SELECT id FROM attempts
                WHERE id = @attemptId AND status = 'in_progress' AND @now <= deadline_at + @grace
                FOR SHARE
            )
            UPDATE attempt_questions aq
            SET chosen = CASE WHEN cardinality(@optionIds::smallint[]) = 0 THEN NULL ELSE @optionIds::smallint[] END, answered_at = @now
            FROM a
            WHERE aq.attempt_id = a.id AND aq.position = @position
            """, new { attemptId, position, optionIds, now, grace = options.Value.Grace }, tx, cancellationToken: ct));
        return rows == 1;
    }

    public async Task<Outcome<int?>> SavePredictionAsync(long participantId, long attemptId, PredictionRequest prediction, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (Scoring.CheckPrediction(prediction.Prediction) is { } error)
        {
            return Outcome<int?>.Invalid(error);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var state = await connection.QuerySingleOrDefaultAsync<QuestionState>(new CommandDefinition(
            "SELECT participant_id, status, deadline_at, question_count FROM attempts WHERE id = @attemptId", new { attemptId }, cancellationToken: ct));
        if (Refuse<int?>(state, participantId, now) is { } refused)
        {
            return refused;
        }
        var rows = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE attempts SET prediction = @Prediction
            WHERE id = @attemptId AND status = 'in_progress' AND @now <= deadline_at + @grace
            """, new { attemptId, prediction.Prediction, now, grace = options.Value.Grace }, cancellationToken: ct));
        return rows == 1
            ? new Outcome<int?>.Ok(prediction.Prediction)
            : Outcome<int?>.Conflict("Lượt thi vừa được nộp hoặc đã hết giờ; số dự đoán không được lưu.", $"/cuoc-thi/luot-thi/{attemptId}/ket-qua");
    }

    private Outcome<T>.Failed? Refuse<T>(QuestionState? state, long participantId, DateTimeOffset now)
    {
        if (state is null || state.ParticipantId != participantId)
        {
            return Outcome<T>.NotFound();
        }
        if (state.Status != AttemptStatus.InProgress)
        {
            return Outcome<T>.Conflict("Lượt thi này đã nộp bài; không thể sửa câu trả lời.");
        }
        var deadline = state.DeadlineAt;
        if (!Scoring.InTime(deadline, options.Value.Grace, now))
        {
            return Outcome<T>.Conflict($"Đã hết giờ làm bài lúc {VietnamTime.Format(deadline)}; câu trả lời này không được lưu. "
                + "Lượt thi được tính với các câu đã lưu trước đó.");
        }
        return null;
    }
}
