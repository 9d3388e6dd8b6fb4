using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace NQ66Quiz.Tests.ContentReview;

/// <summary>One question as the self-review reads it: only what the review rules look at.</summary>
public sealed record BankQuestion(
    string File, int Line, string Id,
    IReadOnlyList<int> Viewpoints, IReadOnlyList<int> Tasks, IReadOnlyList<string> Topics,
    string Difficulty, string Kind, string Stem,
    IReadOnlyList<BankOption> Options, string Explanation, string Source)
{
    public string Where => $"{File}:{Line} {Id}";
}

public sealed record BankOption(string Text, bool Correct);

/// <summary>
/// A deliberately small, independent reader of <c>content/questions/*.md</c> for the self-review check. The app has its
/// own parser and validator (Features/QuestionBank); this one is a second reading written from content/README.md, so a
/// bug in the real parser cannot hide a question from the review, and the review does not change when the parser does.
/// It reads ids, yaml tags (front matter defaults, question keys win), options, Giải thích and Nguồn — nothing else.
/// </summary>
public static partial class BankReader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static IReadOnlyList<BankQuestion> ReadFolder(string questionsFolder) =>
    [
        .. Directory.EnumerateFiles(questionsFolder, "*.md")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Read("questions/" + Path.GetFileName(f), File.ReadAllText(f))),
    ];

    public static IReadOnlyList<BankQuestion> Read(string file, string markdown)
    {
        var lines = markdown.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var defaults = new Dictionary<string, object>(StringComparer.Ordinal);
        var start = 0;
        if (lines.Length > 0 && lines[0] == "---")
        {
            var end = Array.IndexOf(lines, "---", 1);
            defaults = YamlMap(string.Join('\n', lines[1..end]));
            start = end + 1;
        }

        var headings = Enumerable.Range(start, lines.Length - start).Where(i => lines[i].StartsWith("## ", StringComparison.Ordinal)).ToList();
        return [.. headings.Select((h, n) => ReadQuestion(file, lines, h, n + 1 < headings.Count ? headings[n + 1] : lines.Length, defaults))];
    }

    private static BankQuestion ReadQuestion(string file, string[] lines, int heading, int end, Dictionary<string, object> defaults)
    {
        var body = lines[(heading + 1)..end];
        var meta = new Dictionary<string, object>(defaults, StringComparer.Ordinal);
        var yamlOpen = Array.IndexOf(body, "```yaml");
        var yamlClose = yamlOpen < 0 ? -1 : Array.IndexOf(body, "```", yamlOpen + 1);
        if (yamlClose > yamlOpen)
        {
            foreach (var (key, value) in YamlMap(string.Join('\n', body[(yamlOpen + 1)..yamlClose])))
            {
                meta[key] = value;
            }
        }

        var explanationAt = Array.FindIndex(body, l => l.Trim() == "### Giải thích");
        var sourceAt = Array.FindIndex(body, l => l.Trim() == "### Nguồn");
        var optionsEnd = explanationAt >= 0 ? explanationAt : body.Length;
        var options = new List<BankOption>();
        var firstOption = -1;
        for (var i = yamlClose + 1; i < optionsEnd; i++)
        {
            if (OptionLine().Match(body[i]) is { Success: true } m)
            {
                firstOption = firstOption < 0 ? i : firstOption;
                options.Add(new BankOption(m.Groups["text"].Value.Trim(), m.Groups["mark"].Value != " "));
            }
        }

        return new BankQuestion(
            file, heading + 1, lines[heading][3..].Trim(),
            [.. Values(meta, "viewpoint").Select(v => int.Parse(v, CultureInfo.InvariantCulture))],
            [.. Values(meta, "task").Select(v => int.Parse(v, CultureInfo.InvariantCulture))],
            Values(meta, "topic"),
            Values(meta, "difficulty").FirstOrDefault() ?? "",
            Values(meta, "kind").FirstOrDefault() ?? "",
            Section(body, yamlClose + 1, firstOption < 0 ? optionsEnd : firstOption),
            options,
            explanationAt < 0 ? "" : Section(body, explanationAt + 1, NextHeading(body, explanationAt)),
            sourceAt < 0 ? "" : Section(body, sourceAt + 1, NextHeading(body, sourceAt)));
    }

    private static int NextHeading(string[] body, int after)
    {
        var next = Array.FindIndex(body, after + 1, l => l.StartsWith('#'));
        return next < 0 ? body.Length : next;
    }

    private static string Section(string[] body, int from, int to) => from >= to ? "" : string.Join('\n', body[from..to]).Trim();

    private static Dictionary<string, object> YamlMap(string yaml) =>
        Yaml.Deserialize<Dictionary<string, object>?>(yaml) is { } map ? new(map, StringComparer.Ordinal) : new(StringComparer.Ordinal);

    /// <summary>A scalar or a list (<c>viewpoint: [1, 3]</c>) as strings.</summary>
    private static List<string> Values(Dictionary<string, object> meta, string key) => meta.GetValueOrDefault(key) switch
    {
        null => [],
        IEnumerable<object> list => [.. list.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!.Trim())],
        var scalar => [Convert.ToString(scalar, CultureInfo.InvariantCulture)!.Trim()],
    };

    [GeneratedRegex(@"^- \[(?<mark>[ xX])\] (?<text>.+)$")]
    private static partial Regex OptionLine();
}
