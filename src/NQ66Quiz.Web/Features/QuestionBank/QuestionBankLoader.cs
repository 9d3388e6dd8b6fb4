using NQ66Quiz.Web.Infrastructure;
using Npgsql;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// content/questions → database, on <c>content import</c> and at start-up of the run command. A bank with any error
/// imports nothing; questions removed from the files are retired (never deleted).
/// </summary>
internal sealed class QuestionBankLoader(NpgsqlDataSource dataSource, TimeProvider clock) : IContentLoader
{
    public int Order => 20;
    public string Name => "questions";

    public async Task<bool> LoadAsync(string contentRoot, TextWriter log, CancellationToken ct)
    {
        var folder = Path.Combine(contentRoot, "questions");
        if (!Directory.Exists(folder))
        {
            await log.WriteLineAsync($"No questions folder in {contentRoot}; nothing to import.");
            return true;
        }
        var result = BankCheck.CheckFolder(contentRoot);
        foreach (var issue in result.Errors.Concat(result.Warnings))
        {
            await log.WriteLineAsync(issue.ToString());
        }
        if (!result.Ok)
        {
            await log.WriteLineAsync($"{result.Errors.Count} error(s) in {folder}: nothing was imported. Fix them (content check {contentRoot}) and import again.");
            return false;
        }
        await log.WriteLineAsync($"Importing {result.Questions.Count} questions from {result.Files} file(s) in {folder}");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var summary = await BankImporter.ImportAsync(connection, result.Questions, new ImportOptions(
            CreatedBy: BankImporter.FromContent, RetireMissing: true, Source: folder, Now: clock.GetUtcNow(), Log: log), ct);
        await log.WriteLineAsync(summary.Changed
            ? $"Questions: {summary}."
            : $"Questions: nothing changed; the database already matches {folder} ({summary}).");
        return true;
    }
}
