using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace NQ66Quiz.Web.Features.Study;

/// <summary>A study page ("Tài liệu tìm hiểu"): one viewpoint, task, the goals or the Hanoi plan.</summary>
public sealed record StudyPage(string Slug, string Title, int Order, IReadOnlyList<StudyHeading> Contents, string BodyHtml);

/// <summary>A <c>##</c> heading: its text and the anchor id the rendered body gives it.</summary>
public sealed record StudyHeading(string Id, string Text);

/// <summary>Reads <c>study/&lt;slug&gt;.md</c> (front matter title/slug/order, Markdown body). Pure: text in, page out.</summary>
public static partial class StudyPageParser
{
    // Raw HTML is shown as text, never rendered: the pages are content, not templates. Auto ids are ASCII
    // ("Nội dung chính" → "noi-dung-chinh") so anchors survive copy-paste into chat apps and old browsers.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoIdentifiers()
        .Build();

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance).IgnoreUnmatchedProperties().Build();

    private sealed class FrontMatter
    {
        public string? Title { get; set; }
        public string? Slug { get; set; }
        public int? Order { get; set; }
    }

    /// <param name="fileSlug">The file name without <c>.md</c>; the front matter's slug must equal it.</param>
    /// <exception cref="InvalidDataException">The page breaks the format; the message names the file and the fix.</exception>
    public static StudyPage Parse(string fileSlug, string markdown)
    {
        var text = markdown.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n", StringComparison.Ordinal);
        var match = FrontMatterPattern().Match(text);
        if (!match.Success)
        {
            throw Invalid(fileSlug, "không có front matter (dòng đầu '---', các khóa title, slug, order, rồi '---').");
        }
        FrontMatter front;
        try
        {
            front = Yaml.Deserialize<FrontMatter>(match.Groups["yaml"].Value) ?? new FrontMatter();
        }
        catch (YamlException e)
        {
            throw Invalid(fileSlug, $"front matter không đọc được ({e.Message}).");
        }
        if (string.IsNullOrWhiteSpace(front.Title))
        {
            throw Invalid(fileSlug, "thiếu 'title' trong front matter.");
        }
        if (front.Slug != fileSlug)
        {
            throw Invalid(fileSlug, $"'slug' phải trùng tên tệp ('{fileSlug}'), đang là '{front.Slug}'.");
        }
        if (front.Order is not { } order)
        {
            throw Invalid(fileSlug, "thiếu 'order' (số thứ tự trên trang mục lục).");
        }

        var document = Markdown.Parse(text[match.Length..], Pipeline);
        var contents = document.Descendants<HeadingBlock>()
            .Where(h => h.Level == 2)
            .Select(h => new StudyHeading(h.GetAttributes().Id ?? "", PlainText(h.Inline)))
            .ToList();
        return new StudyPage(fileSlug, front.Title.Trim(), order, contents, document.ToHtml(Pipeline));
    }

    private static string PlainText(ContainerInline? inline)
    {
        var text = new StringBuilder();
        foreach (var leaf in inline?.Descendants<LeafInline>() ?? [])
        {
            text.Append(leaf switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                _ => " ",
            });
        }
        return WhiteSpace().Replace(text.ToString(), " ").Trim();
    }

    private static InvalidDataException Invalid(string fileSlug, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"study/{fileSlug}.md: {problem} Xem content/README.md, mục \"Study page format\"."));

    [GeneratedRegex(@"\A---\n(?<yaml>.*?)\n---\n", RegexOptions.Singleline)]
    private static partial Regex FrontMatterPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
