using System.Globalization;
using System.Text;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>
/// A question for a test's bank: the tags and texts a test cares about, the rest filled in. It is written as bank
/// Markdown and goes through the real validator and importer, so a schema or format change breaks this one helper.
/// </summary>
public sealed record TestQuestion(string Id)
{
    public int[] Viewpoints { get; init; } = [];
    public int[] Tasks { get; init; } = [];

    /// <summary>Empty with no viewpoint and no task means "chung": the bank needs at least one tag.</summary>
    public string[] Topics { get; init; } = [];

    public string Difficulty { get; init; } = "easy";
    public string Kind { get; init; } = "single";
    public string Stem { get; init; } = "";

    /// <summary>(text, correct) in authoring order; option ids are their positions.</summary>
    public (string Text, bool Correct)[] Options { get; init; } = [];

    public string Explanation { get; init; } = "";

    /// <summary>Retired after the import, as an organizer does it (BankStore).</summary>
    public bool Retired { get; init; }

    public string Markdown()
    {
        var options = Options.Length > 0 ? Options : [($"Đáp án đúng của {Id}", true), ($"Phương án sai 1 của {Id}", false), ($"Phương án sai 2 của {Id}", false)];
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## {Id}\n\n```yaml\n");
        if (Viewpoints.Length > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"viewpoint: [{string.Join(", ", Viewpoints)}]\n");
        }
        if (Tasks.Length > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"task: [{string.Join(", ", Tasks)}]\n");
        }
        var topics = Topics.Length > 0 || Viewpoints.Length > 0 || Tasks.Length > 0 ? Topics : ["chung"];
        if (topics.Length > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"topic: [{string.Join(", ", topics)}]\n");
        }
        md.Append(CultureInfo.InvariantCulture, $"difficulty: {Difficulty}\nkind: {Kind}\n```\n\n");
        md.Append(Stem.Length > 0 ? Stem : $"Câu hỏi {Id}?").Append("\n\n");
        foreach (var (text, correct) in options)
        {
            md.Append(correct ? "- [x] " : "- [ ] ").Append(text).Append('\n');
        }
        // The format wants the key repeated word for word in the explanation (reviewers match the two).
        var key = string.Join("; ", options.Where(o => o.Correct).Select(o => o.Text));
        md.Append("\n### Giải thích\n\n").Append(Explanation.Length > 0 ? Explanation : $"Giải thích của {Id}.")
            .Append(CultureInfo.InvariantCulture, $" Đáp án: **{key}**.\n\n");
        md.Append("### Nguồn\n\nNguồn thử nghiệm\n\n");
        return md.ToString();
    }
}

/// <summary>The one way tests put questions into the database: bank Markdown through the real validator and importer.</summary>
public static class TestBank
{
    public static async Task ImportQuestionsAsync(this AppFixture app, params IEnumerable<TestQuestion> questions)
    {
        var list = questions.ToList();
        await app.ImportMarkdownAsync(string.Concat(list.Select(q => q.Markdown())));
        foreach (var q in list.Where(q => q.Retired))
        {
            Assert.True(await app.Service<BankStore>().RetireAsync(q.Id), $"could not retire {q.Id}");
        }
    }

    /// <summary>Checks one bank file's Markdown, refuses it with every message if it has errors, and imports it.</summary>
    public static async Task<ImportSummary> ImportMarkdownAsync(this AppFixture app, string markdown)
    {
        var result = BankCheck.CheckText("test.md", markdown);
        if (!result.Ok)
        {
            throw new InvalidOperationException("The bank has errors:\n" + string.Join('\n', result.Errors));
        }
        await using var connection = app.OpenConnection();
        return await BankImporter.ImportAsync(connection, result.Questions, new ImportOptions(Source: "test", Now: app.Clock.GetUtcNow()));
    }
}
