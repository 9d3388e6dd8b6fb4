using System.Globalization;

namespace NQ66Quiz.Web.Features.Practice;

public enum PracticeScopeKind { Viewpoint, Task, Topic }

/// <summary>
/// What a practice set is drawn from: one viewpoint (quan điểm 1–5), one task (nhiệm vụ 1–7) or one topic. Its slug
/// is also the slug of its study page (<c>quan-diem-2</c>, <c>nhiem-vu-5</c>, <c>muc-tieu</c>, ...), so the same word
/// names a tag in URLs, the API, the weak-points table and the browser's stored results.
/// </summary>
public sealed record PracticeScope
{
    public const string GeneralTopic = "chung";
    private static readonly string[] Topics = ["muc-tieu", "ke-hoach-ha-noi", GeneralTopic];

    private PracticeScope(PracticeScopeKind kind, int number, string slug, string label)
    {
        Kind = kind;
        Number = number;
        Slug = slug;
        Label = label;
    }

    public PracticeScopeKind Kind { get; }

    /// <summary>1–5 for a viewpoint, 1–7 for a task, 0 for a topic.</summary>
    public int Number { get; }

    public string Slug { get; }

    /// <summary>Short Vietnamese name: "Quan điểm 2", "Nhiệm vụ 5", "Mục tiêu".</summary>
    public string Label { get; }

    /// <summary>The page "Đọc thêm" leads to; general questions have no page of their own, so the index.</summary>
    public string StudyPath => Slug == GeneralTopic ? "/hoc" : "/hoc/" + Slug;

    public string PracticePath => "/luyen-tap?phan=" + Slug;

    public static PracticeScope Viewpoint(int n) => n is >= 1 and <= 5
        ? new(PracticeScopeKind.Viewpoint, n, Invariant($"quan-diem-{n}"), Invariant($"Quan điểm {n}"))
        : throw new ArgumentOutOfRangeException(nameof(n), n, "viewpoints are 1-5");

    public static PracticeScope Task(int n) => n is >= 1 and <= 7
        ? new(PracticeScopeKind.Task, n, Invariant($"nhiem-vu-{n}"), Invariant($"Nhiệm vụ {n}"))
        : throw new ArgumentOutOfRangeException(nameof(n), n, "tasks are 1-7");

    public static PracticeScope Topic(string topic) => topic switch
    {
        "muc-tieu" => new(PracticeScopeKind.Topic, 0, topic, "Mục tiêu"),
        "ke-hoach-ha-noi" => new(PracticeScopeKind.Topic, 0, topic, "Kế hoạch của Thành phố Hà Nội"),
        GeneralTopic => new(PracticeScopeKind.Topic, 0, topic, "Kiến thức chung"),
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "topics are muc-tieu, ke-hoach-ha-noi, chung"),
    };

    /// <summary>Every scope in the order pages list them: viewpoints, tasks, then topics.</summary>
    public static IReadOnlyList<PracticeScope> All { get; } =
    [
        .. Enumerable.Range(1, 5).Select(Viewpoint),
        .. Enumerable.Range(1, 7).Select(Task),
        .. Topics.Select(Topic),
    ];

    public static bool TryParse(string? slug, out PracticeScope scope)
    {
        scope = All.FirstOrDefault(s => s.Slug == slug?.Trim().ToLowerInvariant())!;
        return scope is not null;
    }

    /// <summary>
    /// The tag a question's "Đọc thêm" follows: its first one, in the order the format lists them (viewpoint, task,
    /// topic). Null for a question with no known tag, which the bank's validator does not let in.
    /// </summary>
    public static PracticeScope? FirstTag(IReadOnlyList<short> viewpoints, IReadOnlyList<short> tasks, IReadOnlyList<string> topics) =>
        Tags(viewpoints, tasks, topics) is [var first, ..] ? first : null;

    /// <summary>Every scope a question counts towards in the weak-points table (all of its tags).</summary>
    public static IReadOnlyList<PracticeScope> Tags(IReadOnlyList<short> viewpoints, IReadOnlyList<short> tasks, IReadOnlyList<string> topics) =>
    [
        .. viewpoints.Where(v => v is >= 1 and <= 5).Distinct().Select(v => Viewpoint(v)),
        .. tasks.Where(t => t is >= 1 and <= 7).Distinct().Select(t => Task(t)),
        .. topics.Where(Topics.Contains).Distinct().Select(Topic),
    ];

    public override string ToString() => Slug;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
