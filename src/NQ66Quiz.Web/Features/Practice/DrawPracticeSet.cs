using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Web.Features.Practice;

public sealed record DrawPracticeSetRequest(string? Scope);

/// <summary>A question as the browser sees it before it is answered: no key, options in a shuffled order.</summary>
public sealed record PracticeQuestion(string Id, int Number, string Kind, string StemHtml, IReadOnlyList<PracticeOption> Options);

public sealed record PracticeOption(int Id, string Html);

public sealed record PracticeSet(string Ticket, string Scope, string Label, string Title, IReadOnlyList<PracticeQuestion> Questions);

/// <summary>Draws up to 10 questions of one viewpoint, task or topic from the current versions of live questions.</summary>
public static class DrawPracticeSet
{
    private sealed record Row(string QuestionId, int Version, string Kind, string Difficulty, string StemHtml, string Options);

    public static async Task<Results<Ok<PracticeSet>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        DrawPracticeSetRequest request, NpgsqlDataSource db, PracticeTickets tickets, StudyLibrary study, CancellationToken ct)
    {
        if (!Tag.TryParse(request.Scope, out var scope))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["scope"] = [$"Không có phần luyện tập \"{request.Scope}\". Chọn quan-diem-1…5, nhiem-vu-1…7, muc-tieu, ke-hoach-ha-noi hoặc chung."],
            }, title: "Phần luyện tập không hợp lệ.");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT v.question_id, v.version, v.kind, v.difficulty, v.stem_html, v.options::text AS options
            FROM {QuestionSql.CurrentVersions}
            WHERE q.retired_at IS NULL AND {Filter(scope)}
            ORDER BY random()
            LIMIT @Limit
            """, new { scope.Number, Topic = scope.Slug, Limit = PracticeRules.QuestionsPerSet }, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return TypedResults.Problem(title: $"Chưa có câu hỏi luyện tập cho phần {scope.Label}.",
                detail: "Hãy chọn một phần khác; ngân hàng câu hỏi đang được bổ sung.", statusCode: StatusCodes.Status404NotFound);
        }

        rows = [.. rows.OrderBy(r => PracticeRules.DifficultyRank(r.Difficulty))];
        var questions = rows.Select((r, i) => new PracticeQuestion(r.QuestionId, i + 1, r.Kind, r.StemHtml,
            // The stored options carry the key; only id and html leave the server.
            [.. PracticeRules.Shuffled(StoredOption.Parse(r.Options), Random.Shared)
                .Select(o => new PracticeOption(o.Id, o.Html))])).ToList();
        var ticket = tickets.Seal(new PracticeTicket(Guid.NewGuid(), scope.Slug, [.. rows.Select(r => new QuestionRef(r.QuestionId, r.Version))]));
        return TypedResults.Ok(new PracticeSet(ticket, scope.Slug, scope.Label, study.Find(scope.Slug)?.Title ?? scope.Label, questions));
    }

    // Fixed SQL per kind of scope (no user text is spliced in); the containment operators use the GIN indexes of 0002.
    internal static string Filter(Tag scope) => scope.Kind switch
    {
        TagKind.Viewpoint => "v.viewpoints @> ARRAY[@Number]::smallint[]",
        TagKind.Task => "v.tasks @> ARRAY[@Number]::smallint[]",
        _ => "v.topics @> ARRAY[@Topic]::text[]",
    };
}
