using System.Diagnostics;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.QuestionBank;

/// <summary>
/// Any input gives a located error, never a crash or a hang: thousands of nested quotes, list markers or brackets made
/// Markdig throw its depth-limit ArgumentException out of the validator (exit 134). The importer and the editor's
/// preview parse through the same guard.
/// </summary>
public sealed class DeepNestingTests
{
    private const string Question = """
        ## dn-001

        ```yaml
        viewpoint: 1
        difficulty: easy
        kind: single
        ```

        Câu hỏi?

        - [x] Đúng
        - [ ] Sai

        ### Giải thích

        Vì Đúng.

        ### Nguồn

        Nghị quyết 66-NQ/TW — https://example.org/nq66

        """;

    public static TheoryData<string, string> Deep => new()
    {
        { "quotes", new string('>', 5000) + " sâu" },
        { "spaced quotes", string.Concat(Enumerable.Repeat("> ", 3000)) + "sâu" },
        { "lists", string.Concat(Enumerable.Repeat("- ", 3000)) + "sâu" },
        { "brackets", new string('[', 5000) + "sâu" },
    };

    [Theory]
    [MemberData(nameof(Deep))]
    public void The_validator_reports_deep_nesting_with_its_line_and_column_instead_of_crashing(string shape, string deep)
    {
        var text = Question + deep + "\n";
        var deepLine = text.Split('\n').Length - 1;

        var watch = Stopwatch.StartNew();
        var result = BankCheck.CheckText("content/questions/sau.md", text);

        var error = Assert.Single(result.Errors);
        Assert.Equal(deepLine, error.Line);
        Assert.True(error.Column > BankMarkdown.MaxNesting, $"{shape}: column {error.Column}");
        Assert.Contains("lồng", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"content/questions/sau.md:{deepLine}:", error.ToString(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{shape}: {watch.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(Deep))]
    public void Rendering_for_the_preview_and_the_importer_escapes_deep_input_instead_of_throwing(string shape, string deep)
    {
        var html = BankMarkdown.ToHtml(deep + " <script>");
        var inline = BankMarkdown.InlineToHtml(deep);

        Assert.Contains("sâu", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("sâu", inline, StringComparison.Ordinal);
        Assert.NotNull(BankMarkdown.Folded(deep));
        Assert.DoesNotContain(BankMarkdown.Links(deep), l => l.IsImage);
        Assert.NotNull(shape);
    }

    [Fact]
    public void Ordinary_nesting_is_not_refused()
    {
        var result = BankCheck.CheckText("content/questions/thuong.md", Question.Replace("Vì Đúng.", "> Trích dẫn\n>\n> > lồng hai cấp: Đúng.", StringComparison.Ordinal));

        Assert.Empty(result.Errors);
    }
}
