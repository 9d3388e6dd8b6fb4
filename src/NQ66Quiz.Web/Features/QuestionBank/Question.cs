using NQ66Quiz.Web.Features.Practice;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// One question as authored (Markdown or a spreadsheet row), after front-matter defaults are applied and the text is
/// normalised to NFC. Equality of two questions is equality of <see cref="BankMarkdown.Canonical(ParsedQuestion)"/>:
/// the lists make record equality reference-based, so compare with <see cref="SameContent"/>.
/// </summary>
public sealed record ParsedQuestion(
    string Id,
    IReadOnlyList<int> Viewpoints,
    IReadOnlyList<int> Tasks,
    IReadOnlyList<string> Topics,
    string Difficulty,
    string Kind,
    string StemMd,
    IReadOnlyList<ParsedOption> Options,
    string ExplanationMd,
    string Source)
{
    /// <summary>Where each part was written, for messages; not part of the question's content.</summary>
    public QuestionPositions Positions { get; init; } = QuestionPositions.Unknown;

    /// <summary><c>recall</c> (the default) or <c>scenario</c>; part of the content, see <see cref="BankVocabulary.Forms"/>.</summary>
    public string Form { get; init; } = BankVocabulary.FormRecall;

    /// <summary>The file it came from, relative to the bank folder (e.g. <c>questions/chung.md</c>), if any.</summary>
    public string? SourceFile { get; init; }

    public bool SameContent(ParsedQuestion other) => BankMarkdown.Canonical(this) == BankMarkdown.Canonical(other);

    /// <summary>The study page linked from the explanation ("Đọc thêm"); one mapping for bank, practice and contest.</summary>
    public string StudyPath =>
        PracticeScope.FirstTag([.. Viewpoints.Select(v => (short)v)], [.. Tasks.Select(t => (short)t)], Topics)?.StudyPath ?? "/hoc";
}

/// <param name="Md">One line of inline Markdown.</param>
public sealed record ParsedOption(string Md, bool Correct);

/// <summary>A place in a bank file (1-based line and column); for a spreadsheet, line is the row and column the column.</summary>
public readonly record struct Pos(int Line, int Column)
{
    public static readonly Pos Start = new(1, 1);
}

/// <summary>Where the parts of one question sit in its file, so that every message points at the right line.</summary>
public sealed record QuestionPositions(
    string File,
    Pos Heading,
    IReadOnlyDictionary<string, Pos> Keys,
    Pos Stem,
    Pos Options,
    IReadOnlyList<Pos> OptionLines,
    Pos Explanation,
    Pos Source)
{
    /// <summary>Whether the '### Giải thích' heading was written at all (an empty one is a different mistake).</summary>
    public bool HasExplanation { get; init; } = true;

    public bool HasSource { get; init; } = true;

    public bool MetaUnreadable { get; init; }

    public static readonly QuestionPositions Unknown = new("", Pos.Start, new Dictionary<string, Pos>(), Pos.Start, Pos.Start, [], Pos.Start, Pos.Start);

    public Pos Key(string key) => Keys.TryGetValue(key, out var p) ? p : Heading;

    public Pos Option(int index) => index < OptionLines.Count ? OptionLines[index] : Options;
}

public enum IssueSeverity
{
    Error,
    Warning,
}

/// <summary>A problem found in a bank: where (file:line:column), what, and how to fix it.</summary>
public sealed record BankIssue(string File, int Line, int Column, string Message, IssueSeverity Severity = IssueSeverity.Error)
{
    public static BankIssue At(string file, Pos pos, string message, IssueSeverity severity = IssueSeverity.Error)
        => new(file, pos.Line, pos.Column, message, severity);

    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == IssueSeverity.Error ? "lỗi" : "cảnh báo")}: {Message}";
}

/// <summary>The words of the format: metadata keys and their allowed values (see content/README.md).</summary>
public static class BankVocabulary
{
    public const string KeyViewpoint = "viewpoint";
    public const string KeyTask = "task";
    public const string KeyTopic = "topic";
    public const string KeyDifficulty = "difficulty";
    public const string KeyKind = "kind";
    public const string KeyForm = "form";
    public static readonly string[] Keys = [KeyViewpoint, KeyTask, KeyTopic, KeyDifficulty, KeyKind, KeyForm];

    public const int ViewpointCount = 5;
    public const int TaskCount = 7;

    public const string TopicGoals = "muc-tieu";
    public const string TopicHanoiPlan = "ke-hoach-ha-noi";
    public const string TopicGeneral = "chung";
    public static readonly string[] Topics = [TopicGoals, TopicHanoiPlan, TopicGeneral];

    public static readonly string[] Difficulties = ["easy", "medium", "hard"];

    public const string KindSingle = "single";
    public const string KindMultiple = "multiple";
    public static readonly string[] Kinds = [KindSingle, KindMultiple];

    // A recall question asks for a phrase of the resolution; a scenario puts a real case (a ward, a department, a
    // resident) and asks which viewpoint or task applies. Recall is the default, so older files need no change.
    public const string FormRecall = "recall";
    public const string FormScenario = "scenario";
    public static readonly string[] Forms = [FormRecall, FormScenario];

    public const int MinOptions = 2;
    public const int MaxOptions = 6;
    public const int MaxIdLength = 40;

    public const string ExplanationHeading = "Giải thích";
    public const string SourceHeading = "Nguồn";
}
