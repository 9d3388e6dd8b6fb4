using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Web.Features.Practice;

public sealed record AnswerPracticeQuestionRequest(string? Ticket, string? QuestionId, int[]? OptionIds);

/// <summary>
/// What the browser learns once a question is answered, and only then: right or wrong, that question's key, its
/// explanation and where to read more. <see cref="Tags"/> lets a visitor's browser keep its own weak-points table.
/// </summary>
public sealed record PracticeFeedback(
    string QuestionId, bool Correct, IReadOnlyList<int> CorrectOptionIds, string ExplanationHtml,
    string ReadMoreUrl, string ReadMoreTitle, IReadOnlyList<string> Tags, bool Recorded);

public static class AnswerPracticeQuestion
{
    // Settable members, not a positional record: Dapper matches constructors by column type and sees PostgreSQL arrays
    // as System.Array, so a constructor taking short[] never matches.
    private sealed record Row
    {
        public string Kind { get; init; } = "";
        public string Options { get; init; } = "";
        public string ExplanationHtml { get; init; } = "";
        public short[] Viewpoints { get; init; } = [];
        public short[] Tasks { get; init; } = [];
        public string[] Topics { get; init; } = [];
    }

    public static async Task<Results<Ok<PracticeFeedback>, ValidationProblem>> HandleAsync(
        AnswerPracticeQuestionRequest request, ClaimsPrincipal user, NpgsqlDataSource db, PracticeTickets tickets,
        StudyLibrary study, TimeProvider clock, CancellationToken ct)
    {
        var ticket = tickets.Open(request.Ticket);
        if (ticket is null)
        {
            return Invalid("ticket", "Bộ câu hỏi này không còn hợp lệ. Hãy tải lại trang để bắt đầu lượt luyện tập mới.");
        }
        var questionId = request.QuestionId?.Trim() ?? "";
        var drawn = ticket.Questions.FirstOrDefault(q => q.Id == questionId);
        if (drawn is null)
        {
            return Invalid("questionId", $"Câu hỏi \"{questionId}\" không thuộc bộ câu hỏi đang luyện tập.");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        // The version the set showed, even if the bank was re-imported since: the person answered that text.
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            SELECT kind, options::text AS options, explanation_html, viewpoints, tasks, topics
            FROM question_versions
            WHERE question_id = @Id AND version = @Version
            """, drawn, cancellationToken: ct));
        if (row is null)
        {
            // Only if the bank was wiped after the set was drawn: versions are otherwise never deleted.
            return Invalid("questionId", "Câu hỏi này không còn trong ngân hàng câu hỏi. Hãy tải lại trang để bắt đầu lượt luyện tập mới.");
        }
        var options = StoredOption.Parse(row.Options);
        var chosen = (request.OptionIds ?? []).Distinct().ToArray();
        switch (PracticeRules.Check(chosen, options, row.Kind))
        {
            case PracticeRules.AnswerProblem.Empty:
                return Invalid("optionIds", "Hãy chọn một phương án trước khi trả lời.");
            case PracticeRules.AnswerProblem.UnknownOption:
                return Invalid("optionIds", "Phương án đã chọn không thuộc câu hỏi này. Hãy tải lại trang.");
            case PracticeRules.AnswerProblem.MoreThanOneForSingle:
                return Invalid("optionIds", "Câu hỏi này chỉ có một phương án đúng: hãy chọn một phương án.");
        }

        // Check above let through only ids of this question's options, so they fit a short.
        var correct = Scoring.IsCorrect([.. chosen.Select(id => (short)id)], options);
        var recorded = false;
        if (PracticeParticipant.IdOf(user) is { } participantId)
        {
            // First answer per question and set counts: answering again (another tab, a retry) changes nothing.
            recorded = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO practice_answers (set_id, question_id, version, participant_id, scope, chosen, correct, answered_at)
                VALUES (@SetId, @QuestionId, @Version, @ParticipantId, @Scope, @Chosen, @Correct, @AnsweredAt)
                ON CONFLICT (participant_id, set_id, question_id) DO NOTHING
                """, new
            {
                ticket.SetId,
                QuestionId = drawn.Id,
                drawn.Version,
                ParticipantId = participantId,
                ticket.Scope,
                Chosen = chosen,
                Correct = correct,
                AnsweredAt = clock.GetUtcNow(),
            }, cancellationToken: ct)) == 1;
        }

        var readMore = Tag.FirstTag(row.Viewpoints, row.Tasks, row.Topics);
        return TypedResults.Ok(new PracticeFeedback(
            drawn.Id,
            correct,
            [.. options.Where(o => o.Correct).Select(o => o.Id)],
            row.ExplanationHtml,
            readMore?.StudyPath ?? "/hoc",
            readMore is null ? "Tài liệu tìm hiểu" : study.Find(readMore.Slug)?.Title ?? "Tài liệu tìm hiểu",
            [.. Tag.Tags(row.Viewpoints, row.Tasks, row.Topics).Select(s => s.Slug)],
            recorded));
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message);
}
