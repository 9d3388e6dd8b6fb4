using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>The outcome of checking a bank: the questions found, every error and warning, and the counts by tag.</summary>
public sealed record BankCheckResult(IReadOnlyList<ParsedQuestion> Questions, IReadOnlyList<BankIssue> Errors, IReadOnlyList<BankIssue> Warnings, int Files)
{
    public bool Ok => Errors.Count == 0;

    public IReadOnlyDictionary<string, int> ByViewpoint => Count(Enumerable.Range(1, BankVocabulary.ViewpointCount), (q, n) => q.Viewpoints.Contains(n));
    public IReadOnlyDictionary<string, int> ByTask => Count(Enumerable.Range(1, BankVocabulary.TaskCount), (q, n) => q.Tasks.Contains(n));
    public IReadOnlyDictionary<string, int> ByTopic => Count(BankVocabulary.Topics, (q, t) => q.Topics.Contains(t, StringComparer.Ordinal));
    public IReadOnlyDictionary<string, int> ByDifficulty => Count(BankVocabulary.Difficulties, (q, d) => q.Difficulty == d);
    public IReadOnlyDictionary<string, int> ByForm => Count(BankVocabulary.Forms, (q, f) => q.Form == f);

    /// <summary>Key position, key length and absolutes over the whole bank (see <see cref="BankCueStats"/>).</summary>
    public BankCueStats Cues => BankCueStats.Of(Questions);

    private Dictionary<string, int> Count<T>(IEnumerable<T> keys, Func<ParsedQuestion, T, bool> has) =>
        keys.ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture)!, k => Questions.Count(q => has(q, k)), StringComparer.Ordinal);
}

/// <summary>Checks a folder of bank files: every file parsed, every rule applied, ids unique across files.</summary>
public static class BankCheck
{
    /// <summary>
    /// <c>content check content</c> checks <c>content/questions</c>: a folder with a <c>questions</c> sub-folder is a
    /// content root; any other folder is itself the bank. README.md files are documentation, not questions.
    /// </summary>
    public static string BankFolder(string dir)
    {
        var questions = Path.Combine(dir, "questions");
        return Directory.Exists(questions) ? questions : dir;
    }

    /// <param name="displayDir">How messages name the folder (as the user typed it); defaults to <paramref name="dir"/>.</param>
    public static BankCheckResult CheckFolder(string dir, string? displayDir = null)
    {
        var folder = BankFolder(dir);
        var files = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories)
            .Where(f => !string.Equals(Path.GetFileName(f), "README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f =>
            {
                var relative = Path.GetRelativePath(dir, f).Replace('\\', '/');
                var display = Path.Combine(displayDir ?? dir, relative).Replace('\\', '/');
                return (File: display, SourceFile: (string?)relative, Bytes: File.ReadAllBytes(f));
            });
        var result = CheckFiles(files);
        // Cues are a property of the bank, not of one question: only a whole folder is measured against the thresholds
        // (one question in the organizer's editor is always "100 % longest" or "0 %").
        var cueWarnings = result.Cues.Warnings(displayDir ?? dir).ToList();
        return cueWarnings.Count == 0 ? result : result with { Warnings = [.. result.Warnings, .. cueWarnings] };
    }

    /// <param name="files">Each file's name for messages, its path relative to the content root, and its bytes.</param>
    public static BankCheckResult CheckFiles(IEnumerable<(string File, string? SourceFile, byte[] Bytes)> files)
    {
        var questions = new List<ParsedQuestion>();
        var issues = new List<BankIssue>();
        var count = 0;
        foreach (var (file, sourceFile, bytes) in files)
        {
            count++;
            var parsed = BankParser.ParseBytes(file, bytes, sourceFile);
            issues.AddRange(parsed.Issues);
            questions.AddRange(parsed.Questions);
        }
        return Finish(questions, issues, count);
    }

    /// <summary>One file's text (the organizer's editor, tests).</summary>
    public static BankCheckResult CheckText(string file, string text, string? sourceFile = null)
    {
        var parsed = BankParser.Parse(file, text, sourceFile);
        return Finish([.. parsed.Questions], [.. parsed.Issues], 1);
    }

    /// <summary>Questions that came from elsewhere (a spreadsheet), already placed at their rows.</summary>
    public static BankCheckResult CheckQuestions(IEnumerable<ParsedQuestion> questions, IEnumerable<BankIssue> readIssues, int files = 1) =>
        Finish([.. questions], [.. readIssues], files);

    private static BankCheckResult Finish(List<ParsedQuestion> questions, List<BankIssue> issues, int files)
    {
        foreach (var q in questions)
        {
            BankRules.Check(q, issues);
        }
        BankRules.CheckUniqueIds(questions, issues);
        var ordered = issues
            .OrderBy(i => i.File, StringComparer.Ordinal).ThenBy(i => i.Line).ThenBy(i => i.Column)
            .ToList();
        return new BankCheckResult(questions,
            ordered.Where(i => i.Severity == IssueSeverity.Error).ToList(),
            ordered.Where(i => i.Severity == IssueSeverity.Warning).ToList(),
            files);
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // A terminal and jq read Vietnamese as it is; nothing here is written into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record IssueJson(string File, int Line, int Column, string Message);

    private sealed record ReportJson(
        int Questions,
        IReadOnlyList<IssueJson> Errors,
        IReadOnlyList<IssueJson> Warnings,
        IReadOnlyDictionary<string, int> ByViewpoint,
        IReadOnlyDictionary<string, int> ByTask,
        IReadOnlyDictionary<string, int> ByTopic,
        IReadOnlyDictionary<string, int> ByDifficulty,
        IReadOnlyDictionary<string, int> ByForm,
        CuesJson Cues);

    /// <summary>Shares are fractions (0.25 = 25 %); thresholds travel with the figures so a reader sees both.</summary>
    private sealed record CuesJson(
        int SingleQuestions,
        IReadOnlyDictionary<string, int> KeyPositions,
        double TopKeyPositionShare,
        double MaxKeyPositionShare,
        int KeyLongest,
        double KeyLongestShare,
        double MaxKeyLongestShare,
        int KeyClearlyLonger,
        int MultipleQuestions,
        int MultipleKeysFirst,
        double MultipleKeysFirstShare,
        double MaxMultipleKeysFirstShare,
        int AbsoluteOptions,
        int AbsoluteKeys,
        double AbsoluteKeyShare,
        double BaseKeyShare,
        double MinAbsoluteKeyRatio,
        double MaxAbsoluteKeyRatio,
        int AbsoluteOnlyInDistractors,
        int AbsoluteOnlyInKeys);

    private static CuesJson ToJson(BankCueStats c) => new(
        c.SingleQuestions, c.KeyPositions, Round(c.TopKeyPositionShare), BankCueStats.MaxKeyPositionShare,
        c.KeyLongest, Round(c.KeyLongestShare), BankCueStats.MaxKeyLongestShare, c.KeyClearlyLonger,
        c.MultipleQuestions, c.MultipleKeysFirst, Round(c.MultipleKeysFirstShare), BankCueStats.MaxMultipleKeysFirstShare,
        c.AbsoluteOptions, c.AbsoluteKeys, Round(c.AbsoluteKeyShare), Round(c.BaseKeyShare), BankCueStats.MinAbsoluteKeyRatio,
        Math.Round(BankCueStats.MaxAbsoluteKeyRatio, 4), c.AbsoluteOnlyInDistractors, c.AbsoluteOnlyInKeys);

    private static double Round(double share) => Math.Round(share, 4);

    /// <summary>The shape promised by the issue and content/README.md: one object, counts always present.</summary>
    public static string ToJson(BankCheckResult r) => JsonSerializer.Serialize(new ReportJson(
        r.Questions.Count,
        r.Errors.Select(e => new IssueJson(e.File, e.Line, e.Column, e.Message)).ToList(),
        r.Warnings.Select(e => new IssueJson(e.File, e.Line, e.Column, e.Message)).ToList(),
        r.ByViewpoint, r.ByTask, r.ByTopic, r.ByDifficulty, r.ByForm, ToJson(r.Cues)), Json);

    /// <summary>One line per problem (file:line:column: lỗi|cảnh báo: message), then the counts as a small table.</summary>
    public static string ToText(BankCheckResult r)
    {
        var sb = new StringBuilder();
        foreach (var issue in r.Errors.Concat(r.Warnings))
        {
            sb.Append(issue).Append('\n');
        }
        if (r.Errors.Count + r.Warnings.Count > 0)
        {
            sb.Append('\n');
        }
        sb.Append(CultureInfo.InvariantCulture, $"{r.Files} tệp, {r.Questions.Count} câu hỏi: {r.Errors.Count} lỗi, {r.Warnings.Count} cảnh báo.\n\n");
        Row(sb, "viewpoint", r.ByViewpoint);
        Row(sb, "task", r.ByTask);
        Row(sb, "topic", r.ByTopic);
        Row(sb, "difficulty", r.ByDifficulty);
        Row(sb, "form", r.ByForm);
        var c = r.Cues;
        Row(sb, "key at", c.KeyPositions);
        sb.Append(CultureInfo.InvariantCulture,
            $"key longest {c.KeyLongest}/{c.SingleQuestions} ({c.KeyLongestShare:P1}, max {BankCueStats.MaxKeyLongestShare:P0}); "
            + $"multiple keys first {c.MultipleKeysFirst}/{c.MultipleQuestions}; "
            + $"absolutes in keys {c.AbsoluteKeys}/{c.AbsoluteOptions} options ({c.AbsoluteKeyShare:P1}, keys overall {c.BaseKeyShare:P1})\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string name, IReadOnlyDictionary<string, int> counts)
    {
        sb.Append(name.PadRight(12));
        foreach (var (key, n) in counts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {key}: {n,-4}");
        }
        sb.Append('\n');
    }
}
