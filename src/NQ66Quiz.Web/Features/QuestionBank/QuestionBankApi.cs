using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.QuestionBank;

public sealed record PreviewRequest(string Id, string Markdown);

public sealed record PreviewOption(string Html, bool Correct);

public sealed record PreviewQuestion(string Id, string Kind, string Difficulty, string StemHtml, IReadOnlyList<PreviewOption> Options, string ExplanationHtml, string Source, string StudyPath);

public sealed record PreviewIssue(int Line, int Column, string Message);

/// <summary>The editor's live preview: the HTML a participant will see (answer key marked: organizers only) and the validator's messages.</summary>
public sealed record PreviewResponse(IReadOnlyList<PreviewQuestion> Questions, IReadOnlyList<PreviewIssue> Errors, IReadOnlyList<PreviewIssue> Warnings);

/// <summary>
/// Question bank wiring and its organizer API. Every endpoint sits on one group behind the organizer policy; the pages
/// are under /to-chuc/ngan-hang (Pages/Organizer/Bank), protected with the whole /Organizer folder.
/// </summary>
public static class QuestionBankApi
{
    public static IServiceCollection AddQuestionBank(this IServiceCollection services)
    {
        services.AddVerb<ContentCheckVerb>();
        services.AddSingleton<IContentLoader, QuestionBankLoader>();
        services.AddSingleton<BankStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapQuestionBank(this IEndpointRouteBuilder app)
    {
        var group = app.MapOrganizerGroup("/bank", "Question bank").RequireAuthorization(OrganizerPolicies.QuestionBank);
        // Previews and bank exports change nothing and hold no personal data: not audited.
        group.MapPost("/preview", Preview).WithMetadata(new NotAuditedAttribute());
        group.MapGet("/export.xlsx", ExportXlsxAsync).WithMetadata(new NotAuditedAttribute());
        group.MapGet("/export.md", ExportMarkdownAsync).WithMetadata(new NotAuditedAttribute());
        return app;
    }

    public static Ok<PreviewResponse> Preview(PreviewRequest request)
    {
        var check = BankStore.CheckEdit(request.Id, request.Markdown ?? "");
        var questions = check.Questions.Select(q => new PreviewQuestion(
            q.Id, q.Kind, q.Difficulty, BankMarkdown.ToHtml(q.StemMd),
            [.. q.Options.Select(o => new PreviewOption(BankMarkdown.InlineToHtml(o.Md), o.Correct))],
            BankMarkdown.ToHtml(q.ExplanationMd), q.Source, q.StudyPath)).ToList();
        static List<PreviewIssue> Issues(IEnumerable<BankIssue> issues) => [.. issues.Select(i => new PreviewIssue(i.Line, i.Column, i.Message))];
        return TypedResults.Ok(new PreviewResponse(questions, Issues(check.Errors), Issues(check.Warnings)));
    }

    /// <param name="retired">true to include retired questions.</param>
    public static async Task<FileContentHttpResult> ExportXlsxAsync(BankStore store, bool? retired, CancellationToken ct)
    {
        var questions = await store.CurrentQuestionsAsync(retired ?? false, ct);
        using var stream = new MemoryStream();
        BankXlsx.Write(stream, questions);
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ngan-hang-cau-hoi.xlsx");
    }

    /// <summary>The bank as one canonical Markdown file: edits made in the browser can be brought back to content/.</summary>
    public static async Task<FileContentHttpResult> ExportMarkdownAsync(BankStore store, bool? retired, CancellationToken ct)
    {
        var questions = await store.CurrentQuestionsAsync(retired ?? false, ct);
        return TypedResults.File(Encoding.UTF8.GetBytes(BankMarkdown.CanonicalFile(questions)), "text/markdown; charset=utf-8", "ngan-hang-cau-hoi.md");
    }
}
