using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// Markdown in and out of the bank: the pipelines, safe HTML for the pages, and the canonical Markdown of a question
/// (what is hashed, stored and exported, and what parses back to the same question).
/// </summary>
public static partial class BankMarkdown
{
    /// <summary>Bank files: front matter, task lists for options, exact positions for messages; raw HTML is text.</summary>
    public static readonly MarkdownPipeline Parsing = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter().UseTaskLists().UsePreciseSourceLocation().DisableHtml().Build();

    /// <summary>
    /// Stems, options and explanations: CommonMark with raw HTML disabled, so whatever an author (or a spreadsheet)
    /// types is escaped; the HTML stored in question_versions is therefore safe to write into any page unencoded.
    /// </summary>
    public static readonly MarkdownPipeline Rendering = new MarkdownPipelineBuilder().DisableHtml().Build();

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>
    /// Deeper than any question needs (a quote in a list in a quote is 3). Markdig refuses input past its own depth limit
    /// with an ArgumentException, and deep input is slow before that; this guard stops it first, with a position.
    /// </summary>
    public const int MaxNesting = 16;

    /// <summary>
    /// The first place where quotes ('&gt;'), lists or brackets nest deeper than <see cref="MaxNesting"/>, as a
    /// 1-based line and column with a Vietnamese message; null when the text is safe to parse. Every parse of bank
    /// Markdown — the validator, the importer, the editor's preview — goes through <see cref="Parse"/>, which asks this.
    /// </summary>
    public static (Pos Pos, string Message)? TooDeep(string text)
    {
        var lines = text.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var line = lines[l];
            var quotes = 0;
            var brackets = 0;
            var blockPrefix = true;
            for (var c = 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (blockPrefix && ch == '>')
                {
                    quotes++;
                }
                else if (blockPrefix && (ch is '-' or '*' or '+') && c + 1 < line.Length && line[c + 1] == ' ')
                {
                    quotes++; // a list marker opens one more level, like a quote
                }
                else if (ch is not (' ' or '\t'))
                {
                    blockPrefix = false;
                }
                if (ch == '[')
                {
                    brackets++;
                }
                else if (ch == ']' && brackets > 0)
                {
                    brackets--;
                }
                if (quotes > MaxNesting || brackets > MaxNesting)
                {
                    var what = quotes > MaxNesting ? "trích dẫn ('>') hoặc danh sách lồng nhau" : "dấu ngoặc vuông '[' lồng nhau";
                    return (new Pos(l + 1, c + 1), $"Nội dung có {what} quá {MaxNesting} cấp; câu hỏi không cần lồng sâu như vậy. "
                        + "Bỏ bớt các ký tự lồng nhau ở dòng này (có thể do dán nhầm nội dung).");
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Markdig's parse behind the nesting guard: input past <see cref="MaxNesting"/> (or anything Markdig's own depth limit
    /// still refuses) is parsed as its plain text, escaped, so nothing downstream crashes; the validator reports it.
    /// </summary>
    public static MarkdownDocument Parse(string markdown, MarkdownPipeline pipeline)
    {
        if (TooDeep(markdown) is null)
        {
            try
            {
                return Markdown.Parse(markdown, pipeline);
            }
            catch (ArgumentException)
            {
                // Markdig's depth limit on a shape the guard does not count (it says so with ArgumentException).
            }
        }
        var document = new MarkdownDocument();
        var paragraph = new ParagraphBlock { Inline = new ContainerInline() };
        paragraph.Inline.AppendChild(new LiteralInline(markdown));
        document.Add(paragraph);
        return document;
    }

    /// <summary>Block Markdown (stem, explanation) as safe HTML.</summary>
    public static string ToHtml(string markdown) => Render(markdown, implicitParagraph: false);

    /// <summary>One line of inline Markdown (an option) as safe HTML, without a wrapping paragraph.</summary>
    public static string InlineToHtml(string markdown) => Render(markdown, implicitParagraph: true);

    private static string Render(string markdown, bool implicitParagraph)
    {
        var document = Parse(markdown, Rendering);
        Neutralise(document);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer) { ImplicitParagraph = implicitParagraph };
        Rendering.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString().Trim();
    }

    /// <summary>
    /// The validator refuses images and unsafe links, but the preview renders unvalidated text: a javascript: link or
    /// an image from another host must not come out of here even then. Contest descriptions go through it too.
    /// </summary>
    public static void Neutralise(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.IsImage)
            {
                link.IsImage = false;
                link.Url = "#";
            }
            else if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().Where(a => !a.IsEmail && !IsSafeUrl(a.Url)))
        {
            autolink.Url = "#";
        }
    }

    /// <summary>http(s), mailto, or a path on this site; nothing that runs script or leaves for another scheme.</summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }
        var u = url.Trim();
        if (u.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }
        var colon = u.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = u.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (firstDelimiter >= 0 && firstDelimiter < colon))
        {
            return true;
        }
        var scheme = u[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }

    /// <summary>Links and images written in a piece of Markdown, for the validator.</summary>
    public static IEnumerable<(string Url, bool IsImage)> Links(string markdown)
    {
        var document = Parse(markdown, Rendering);
        return document.Descendants<LinkInline>().Select(l => (l.Url ?? "", l.IsImage))
            .Concat(document.Descendants<AutolinkInline>().Where(a => !a.IsEmail).Select(a => (a.Url, false)))
            .ToList();
    }

    /// <summary>
    /// Text as a reader sees it, folded for comparison: emphasis and links dropped, NFC, lower case, one space.
    /// Used for "no two options read the same" and "the explanation contains every correct option".
    /// </summary>
    public static string Folded(string markdown)
    {
        var plain = TooDeep(markdown) is null ? SafePlainText(markdown) : markdown;
        return Spaces().Replace(VietnameseText.Nfc(plain).ToLower(Vietnamese), " ").Trim();
    }

    /// <summary>
    /// The question as canonical Markdown: every tag written out (no front matter), fixed key order, one blank line
    /// between parts. It parses back to the same question; its SHA-256 is the version's content hash.
    /// </summary>
    public static string Canonical(ParsedQuestion q)
    {
        var sb = new StringBuilder();
        sb.Append("## ").Append(q.Id).Append("\n\n```yaml\n");
        if (q.Viewpoints.Count > 0)
        {
            sb.Append("viewpoint: ").Append(YamlList(q.Viewpoints.Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append('\n');
        }
        if (q.Tasks.Count > 0)
        {
            sb.Append("task: ").Append(YamlList(q.Tasks.Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append('\n');
        }
        if (q.Topics.Count > 0)
        {
            sb.Append("topic: ").Append(YamlList(q.Topics)).Append('\n');
        }
        sb.Append("difficulty: ").Append(q.Difficulty).Append('\n');
        sb.Append("kind: ").Append(q.Kind).Append('\n');
        // The default is left out so that a recall question keeps the content hash it had before 'form' existed.
        if (q.Form != BankVocabulary.FormRecall)
        {
            sb.Append("form: ").Append(q.Form).Append('\n');
        }
        sb.Append("```\n\n");
        sb.Append(q.StemMd).Append("\n\n");
        foreach (var option in q.Options)
        {
            sb.Append(option.Correct ? "- [x] " : "- [ ] ").Append(option.Md).Append('\n');
        }
        sb.Append("\n### ").Append(BankVocabulary.ExplanationHeading).Append("\n\n").Append(q.ExplanationMd).Append("\n\n");
        sb.Append("### ").Append(BankVocabulary.SourceHeading).Append("\n\n").Append(q.Source).Append('\n');
        return sb.ToString();
    }

    /// <summary>A whole bank file in canonical form (no front matter: each question carries all its tags).</summary>
    public static string CanonicalFile(IEnumerable<ParsedQuestion> questions) =>
        string.Join("\n", questions.Select(Canonical));

    public static string ContentHash(ParsedQuestion q) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(q))));

    private static string YamlList(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? list[0] : "[" + string.Join(", ", list) + "]";
    }

    private static string SafePlainText(string markdown)
    {
        try
        {
            return Markdown.ToPlainText(markdown, Rendering);
        }
        catch (ArgumentException)
        {
            return markdown;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
