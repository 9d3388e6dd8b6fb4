using System.Globalization;

namespace NQ66Quiz.Web.Common;

public enum TagKind { Viewpoint, Task, Topic }

/// <summary>
/// A question's tag: one viewpoint (quan điểm 1–5), one task (nhiệm vụ 1–7) or one topic, and its one Vietnamese
/// label. The slug is also the slug of its study page (<c>quan-diem-2</c>, <c>nhiem-vu-5</c>, <c>muc-tieu</c>, ...)
/// and of its practice set, so the same word names a tag in the bank format, URLs, the API, the weak-points table, the
/// organizer pages and the browser's stored results. Every page and message that names a tag uses <see cref="Label"/>.
/// </summary>
public sealed record Tag
{
    public const int ViewpointCount = 5;
    public const int TaskCount = 7;
    public const string GoalsTopic = "muc-tieu";
    public const string HanoiPlanTopic = "ke-hoach-ha-noi";
    public const string GeneralTopic = "chung";

    /// <summary>The topic slugs the bank format accepts, in the order pages list them.</summary>
    public static readonly IReadOnlyList<string> TopicSlugs = [GoalsTopic, HanoiPlanTopic, GeneralTopic];

    private Tag(TagKind kind, int number, string slug, string label)
    {
        Kind = kind;
        Number = number;
        Slug = slug;
        Label = label;
    }

    public TagKind Kind { get; }

    /// <summary>1–5 for a viewpoint, 1–7 for a task, 0 for a topic.</summary>
    public int Number { get; }

    public string Slug { get; }

    /// <summary>Short Vietnamese name: "Quan điểm 2", "Nhiệm vụ 5", "Mục tiêu".</summary>
    public string Label { get; }

    /// <summary>The page "Đọc thêm" leads to; general questions have no page of their own, so the index.</summary>
    public string StudyPath => Slug == GeneralTopic ? "/hoc" : "/hoc/" + Slug;

    public string PracticePath => "/luyen-tap?phan=" + Slug;

    public static Tag Viewpoint(int n) => n is >= 1 and <= ViewpointCount
        ? new(TagKind.Viewpoint, n, Invariant($"quan-diem-{n}"), Invariant($"Quan điểm {n}"))
        : throw new ArgumentOutOfRangeException(nameof(n), n, "viewpoints are 1-5");

    public static Tag Task(int n) => n is >= 1 and <= TaskCount
        ? new(TagKind.Task, n, Invariant($"nhiem-vu-{n}"), Invariant($"Nhiệm vụ {n}"))
        : throw new ArgumentOutOfRangeException(nameof(n), n, "tasks are 1-7");

    public static Tag Topic(string topic) => topic switch
    {
        GoalsTopic => new(TagKind.Topic, 0, topic, "Mục tiêu"),
        HanoiPlanTopic => new(TagKind.Topic, 0, topic, "Kế hoạch của Thành phố Hà Nội"),
        GeneralTopic => new(TagKind.Topic, 0, topic, "Kiến thức chung"),
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "topics are muc-tieu, ke-hoach-ha-noi, chung"),
    };

    /// <summary>Every scope in the order pages list them: viewpoints, tasks, then topics.</summary>
    public static IReadOnlyList<Tag> All { get; } =
    [
        .. Enumerable.Range(1, ViewpointCount).Select(Viewpoint),
        .. Enumerable.Range(1, TaskCount).Select(Task),
        .. TopicSlugs.Select(Topic),
    ];

    public static bool TryParse(string? slug, out Tag scope)
    {
        scope = All.FirstOrDefault(s => s.Slug == slug?.Trim().ToLowerInvariant())!;
        return scope is not null;
    }

    /// <summary>
    /// The tag a question's "Đọc thêm" follows: its first one, in the order the format lists them (viewpoint, task,
    /// topic). Null for a question with no known tag, which the bank's validator does not let in.
    /// </summary>
    public static Tag? FirstTag(IReadOnlyList<short> viewpoints, IReadOnlyList<short> tasks, IReadOnlyList<string> topics) =>
        Tags(viewpoints, tasks, topics) is [var first, ..] ? first : null;

    /// <summary>Every scope a question counts towards in the weak-points table (all of its tags).</summary>
    public static IReadOnlyList<Tag> Tags(IReadOnlyList<short> viewpoints, IReadOnlyList<short> tasks, IReadOnlyList<string> topics) =>
    [
        .. viewpoints.Where(v => v is >= 1 and <= ViewpointCount).Distinct().Select(v => Viewpoint(v)),
        .. tasks.Where(t => t is >= 1 and <= TaskCount).Distinct().Select(t => Task(t)),
        .. topics.Where(TopicSlugs.Contains).Distinct().Select(Topic),
    ];

    /// <summary>The label of a topic slug; an unknown slug reads as itself (the validator keeps those out of the bank).</summary>
    public static string TopicLabel(string slug) => TopicSlugs.Contains(slug) ? Topic(slug).Label : slug;

    public override string ToString() => Slug;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
