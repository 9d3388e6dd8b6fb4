using System.Text.RegularExpressions;
using Markdig;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Web.Features.Privacy;

/// <summary>The purposes a participant consents to, one row each in <c>participant_consents</c>.</summary>
public static class ConsentPurposes
{
    public const string Participation = "participation";          // required: taking part, scoring, ranking
    public const string PublishIfWinner = "publish_if_winner";    // optional: masked name and unit among winners
    public const string Contact = "contact";                      // optional: news of later contests by phone
    public const string Guardian = "guardian";                    // the representative's consent for a participant under 16

    public static readonly string[] All = [Participation, PublishIfWinner, Contact, Guardian];
}

/// <summary>One version of the consent wording: the text of each purpose.</summary>
public sealed record ConsentVersion(string Version, IReadOnlyDictionary<string, string> Texts)
{
    public string this[string purpose] => Texts[purpose];
}

/// <summary>
/// The privacy page and the consent wording, Markdown under <c>content/privacy/</c>: <c>chinh-sach.md</c> is the page
/// at /quyen-rieng-tu; <c>dong-y-VERSION.md</c> holds one version of the consent wording, a <c>## purpose</c> section
/// per purpose. The newest version is what registration shows and records; older files stay, so every stored consent
/// names a wording that can still be read. Read once (a deployment changes them); a broken file fails the first read
/// naming the file.
/// </summary>
public sealed partial class PrivacyTexts(IOptions<StudyOptions> content)
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();
    private readonly Lazy<(string PolicyHtml, IReadOnlyList<ConsentVersion> Versions)> _texts = new(() => Load(Path.Combine(content.Value.Root!, "privacy")));

    public string PolicyHtml => _texts.Value.PolicyHtml;

    public IReadOnlyList<ConsentVersion> Versions => _texts.Value.Versions;

    public ConsentVersion Current => Versions[^1];

    public static (string PolicyHtml, IReadOnlyList<ConsentVersion> Versions) Load(string folder)
    {
        var policy = Path.Combine(folder, "chinh-sach.md");
        if (!File.Exists(policy))
        {
            throw new InvalidOperationException($"The privacy page {policy} is missing.");
        }
        var versions = Directory.EnumerateFiles(folder, "dong-y-*.md")
            .Select(f => ParseConsent(Path.GetFileNameWithoutExtension(f)["dong-y-".Length..], File.ReadAllText(f), f))
            .OrderBy(v => v.Version, StringComparer.Ordinal)
            .ToList();
        if (versions.Count == 0)
        {
            throw new InvalidOperationException($"No consent wording (dong-y-VERSION.md) in {folder}.");
        }
        var current = versions[^1];
        var missing = ConsentPurposes.All.Where(p => !current.Texts.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The newest consent wording ({current.Version}) has no section for: {string.Join(", ", missing)}.");
        }
        return (Markdown.ToHtml(File.ReadAllText(policy).Normalize(), Pipeline), versions);
    }

    public static ConsentVersion ParseConsent(string version, string markdown, string file)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Section().Matches(markdown.Normalize().ReplaceLineEndings("\n")))
        {
            var purpose = m.Groups[1].Value;
            if (!ConsentPurposes.All.Contains(purpose))
            {
                throw new InvalidOperationException($"{file}: unknown purpose '## {purpose}' (one of {string.Join(", ", ConsentPurposes.All)}).");
            }
            texts[purpose] = string.Join(' ', m.Groups[2].Value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        return new(version, texts);
    }

    [GeneratedRegex(@"^## ([a-z_]+)[ \t]*\n(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Section();
}
