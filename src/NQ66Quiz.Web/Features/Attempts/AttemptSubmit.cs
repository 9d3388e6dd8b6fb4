using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>The submission: the prediction, and any answers not yet saved (a phone that lost the network flushes them here).</summary>
public sealed record SubmitRequest(int? Prediction = null, List<AnswerRequest>? Answers = null);

/// <summary>
/// Submitting an attempt, exactly once. The attempt row is locked FOR UPDATE (after the round entry, as everywhere), so
/// concurrent submissions queue: the first scores it, the others find it closed and get 409 with the result's address.
/// The leaderboard is written only after the commit.
/// </summary>
public sealed class AttemptSubmit(NpgsqlDataSource dataSource, TimeProvider clock, AttemptAnswers answers, AttemptQueries queries,
    LeaderboardWriter boards, IOptions<ContestOptions> options)
{
    private sealed class PaperRow
    {
        public short Position { get; init; }
        public short[] OptionOrder { get; init; } = [];
        public string Kind { get; init; } = "";
    }

    public async Task<Outcome<AttemptResult>> SubmitAsync(long participantId, long attemptId, SubmitRequest request, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var resultUrl = $"/cuoc-thi/luot-thi/{attemptId}/ket-qua";
        if (Scoring.CheckPrediction(request.Prediction) is { } predictionError)
        {
            return Outcome<AttemptResult>.Invalid(predictionError);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var attempt = await AttemptClosing.LockAsync(connection, tx, attemptId, ct);
        if (attempt is null || attempt.ParticipantId != participantId)
        {
            return Outcome<AttemptResult>.NotFound();
        }
        if (attempt.Status == AttemptStatus.Submitted)
        {
            return Outcome<AttemptResult>.Conflict($"Lượt thi này đã được nộp lúc {VietnamTime.Format(attempt.SubmittedAt!.Value)}. "
                + "Mỗi lượt thi chỉ nộp một lần; bài đã nộp được chấm một lần.", resultUrl);
        }
        if (attempt.Status == AttemptStatus.Expired)
        {
            return Outcome<AttemptResult>.Conflict($"Lượt thi đã hết giờ lúc {VietnamTime.Format(attempt.Deadline)} và được tính với các câu trả lời đã lưu.", resultUrl);
        }
        if (!Scoring.InTime(attempt.Deadline, options.Value.Grace, now))
        {
            // Too late to submit, but the attempt still closes now, with what was saved before the deadline.
            var (_, expiredBest) = await AttemptClosing.CloseAsync(connection, tx, attempt, AttemptStatus.Expired, attempt.Deadline, prediction: null, ct);
            await tx.CommitAsync(ct);
            await boards.RecordAsync(expiredBest is null ? [] : [expiredBest]);
            return Outcome<AttemptResult>.Conflict($"Đã quá hạn nộp bài (hết giờ lúc {VietnamTime.Format(attempt.Deadline)}). "
                + "Lượt thi được tính với các câu trả lời đã lưu trước khi hết giờ.", resultUrl);
        }

        if (request.Answers is { Count: > 0 })
        {
            var paper = (await connection.QueryAsync<PaperRow>(new CommandDefinition("""
                SELECT aq.position, aq.option_order, v.kind
                FROM attempt_questions aq JOIN question_versions v ON v.id = aq.question_version_id
                WHERE aq.attempt_id = @attemptId
                """, new { attemptId }, tx, cancellationToken: ct))).ToDictionary(p => (int)p.Position);
            foreach (var answer in request.Answers)
            {
                if (!paper.TryGetValue(answer.Position, out var question))
                {
                    return Outcome<AttemptResult>.Invalid($"Lượt thi này không có câu số {answer.Position} (chỉ có câu 1 đến {paper.Count}); bài chưa được nộp.");
                }
                var (optionIds, error) = Scoring.ToOptionIds(answer.Choices, question.OptionOrder, question.Kind, answer.Position);
                if (error is not null)
                {
                    return Outcome<AttemptResult>.Invalid(error + " Bài chưa được nộp.");
                }
                await answers.SaveAsync(connection, tx, attemptId, answer.Position, optionIds!, now, ct);
            }
        }
        // The prediction is written by the close's own statement: one new version of the attempt row, not two.
        var (_, best) = await AttemptClosing.CloseAsync(connection, tx, attempt, AttemptStatus.Submitted, now, request.Prediction, ct);
        await tx.CommitAsync(ct);
        Telemetry.AttemptsSubmitted.Add(1);
        await boards.RecordAsync(best is null ? [] : [best]);
        return new Outcome<AttemptResult>.Ok((await queries.ResultAsync(participantId, attemptId, ct))!);
    }
}
