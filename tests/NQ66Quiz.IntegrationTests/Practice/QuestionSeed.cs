using System.Globalization;
using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Practice;

/// <summary>A question to put in the bank, with the tags and options a test needs; the rest is filled in.</summary>
public sealed record SeedQuestion(string Id)
{
    public short[] Viewpoints { get; init; } = [];
    public short[] Tasks { get; init; } = [];
    public string[] Topics { get; init; } = [];
    public string Kind { get; init; } = "single";
    public string Difficulty { get; init; } = "easy";
    public int Version { get; init; } = 1;
    public bool Retired { get; init; }
    public string Stem { get; init; } = "";

    /// <summary>(text, correct) in authoring order; option ids are their positions.</summary>
    public (string Text, bool Correct)[] Options { get; init; } = [];

    public string Explanation { get; init; } = "";
}

/// <summary>
/// Puts questions straight into the tables of 0002 with plain SQL: practice tests must not depend on the importer,
/// which another branch builds. Also makes a client signed in as a participant, whose sign-in arrives later too.
/// </summary>
public static class QuestionSeed
{
    public static async Task SeedAsync(this AppFixture app, params SeedQuestion[] questions)
    {
        await using var connection = app.OpenConnection();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var q in questions)
        {
            var stem = q.Stem.Length > 0 ? q.Stem : $"Câu hỏi {q.Id} (phiên bản {q.Version})?";
            var options = q.Options.Length > 0 ? q.Options : [($"Đáp án đúng của {q.Id}", true), ($"Phương án sai 1 của {q.Id}", false), ($"Phương án sai 2 của {q.Id}", false)];
            var explanation = q.Explanation.Length > 0 ? q.Explanation : $"Giải thích của {q.Id}.";
            var optionsJson = JsonSerializer.Serialize(options.Select((o, i) => new { id = i, md = o.Text, html = Html(o.Text), correct = o.Correct }));
            // questions.current_version → question_versions is deferred, so the question row can come first.
            await connection.ExecuteAsync("""
                INSERT INTO questions (id, current_version, retired_at) VALUES (@Id, @Version, CASE WHEN @Retired THEN now() END)
                ON CONFLICT (id) DO UPDATE SET current_version = EXCLUDED.current_version, retired_at = EXCLUDED.retired_at
                """, new { q.Id, q.Version, q.Retired }, tx);
            await connection.ExecuteAsync("""
                INSERT INTO question_versions (question_id, version, content_hash, kind, difficulty, viewpoints, tasks, topics,
                    stem_md, stem_html, options, explanation_md, explanation_html, source, markdown, source_file)
                VALUES (@Id, @Version, @Hash, @Kind, @Difficulty, @Viewpoints, @Tasks, @Topics,
                    @Stem, @StemHtml, @Options::jsonb, @Explanation, @ExplanationHtml, 'Nguồn thử nghiệm', @Stem, 'test.md')
                """, new
            {
                q.Id,
                q.Version,
                Hash = string.Create(CultureInfo.InvariantCulture, $"{q.Id}-{q.Version}"),
                q.Kind,
                q.Difficulty,
                q.Viewpoints,
                q.Tasks,
                q.Topics,
                Stem = stem,
                StemHtml = $"<p>{Html(stem)}</p>",
                Options = optionsJson,
                Explanation = explanation,
                ExplanationHtml = $"<p>{Html(explanation)}</p>",
            }, tx);
        }
        await tx.CommitAsync();
    }

    // Escapes markup only, as Markdig does: Vietnamese letters stay readable in the stored HTML.
    private static string Html(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
