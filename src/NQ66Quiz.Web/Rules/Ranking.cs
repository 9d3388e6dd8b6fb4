using System.Globalization;

namespace NQ66Quiz.Web.Rules;

/// <summary>A closed attempt as ranking sees it.</summary>
public sealed record AttemptOutcome(long AttemptId, int Score, int DurationMs, DateTimeOffset SubmittedAt);

/// <summary>A participant's standing in a live round: points won so far and the time their answers took in total.</summary>
public sealed record LiveRoundStanding(long ParticipantId, long Points, long TotalResponseMs);

/// <summary>
/// One step of a ranking: the SQL that orders by it and the sentence that explains it on the rules page (null for the
/// last, arbitrary-but-stable step nobody needs to read about). SQL aliases: <c>a</c> = attempts, <c>e</c> =
/// round_entries; <c>@actual</c> is the prediction's actual value.
/// </summary>
public sealed record RankingStep(string Sql, string? Explanation);

/// <summary>
/// The ranking rules, the one home of order and tie-breaks. A participant's best attempt in a round: score ↓,
/// duration ↑, submission time ↑ (to the second, as rulebooks measure it: "tính đến giây"), then the earlier attempt.
/// The live board orders best attempts the same way and breaks exact ties by participant id. The final ranking of a
/// round adds |prediction − actual| ↑ after the score. A live round (vòng thi trực tiếp) ranks points ↓, total response
/// time ↑, then participant id.
///
/// The C# comparers below, the SQL orders (<see cref="OrderBy"/>, used by RoundClose and LeaderboardSource), the
/// rules text (<see cref="Explain"/>, rendered on the contest page) and the Redis encoding
/// (<see cref="LeaderboardScore"/>) are all derived from these step lists or tested against them.
/// </summary>
public static class Ranking
{
    public static readonly RankingStep ByScore = new("a.score DESC", "số câu trả lời đúng (nhiều hơn xếp trên)");
    public static readonly RankingStep ByPrediction = new("abs(a.prediction::bigint - @actual) ASC NULLS LAST", "dự đoán gần với kết quả thực tế hơn");
    public static readonly RankingStep ByDuration = new("a.duration_ms ASC", "thời gian làm bài ngắn hơn");
    public static readonly RankingStep BySubmittedSecond = new("date_trunc('second', a.submitted_at) ASC", "thời điểm nộp bài sớm hơn (tính đến giây)");
    public static readonly RankingStep ByParticipant = new("e.participant_id ASC", null);

    /// <summary>Which of a person's attempts counts (the last tie-break, the earlier attempt, is in <see cref="CompareAttempts"/>).</summary>
    public static readonly IReadOnlyList<RankingStep> BestAttempt = [ByScore, ByDuration, BySubmittedSecond];

    /// <summary>The live board of an online round: best attempts, exact ties by participant.</summary>
    public static readonly IReadOnlyList<RankingStep> LiveBoard = [.. BestAttempt, ByParticipant];

    /// <summary>The final ranking computed once when a round closes (prizes follow it).</summary>
    public static readonly IReadOnlyList<RankingStep> Final = [ByScore, ByPrediction, ByDuration, BySubmittedSecond, ByParticipant];

    /// <summary>A live round: points ↓, total response time ↑, participant ↑ (SQL over columns of those names).</summary>
    public static readonly IReadOnlyList<RankingStep> LiveRound =
    [
        new("points DESC", "tổng điểm (cao hơn xếp trên)"),
        new("total_response_ms ASC", "tổng thời gian trả lời ngắn hơn"),
        new("participant_id ASC", null),
    ];

    public static string OrderBy(IEnumerable<RankingStep> steps) => string.Join(", ", steps.Select(s => s.Sql));

    /// <summary>"Xếp hạng theo thứ tự: A; nếu bằng nhau, B; nếu vẫn bằng nhau, C; cuối cùng, D." for the rules page.</summary>
    public static string Explain(IEnumerable<RankingStep> steps)
    {
        var said = steps.Where(s => s.Explanation is not null).Select(s => s.Explanation!).ToList();
        var parts = said.Select((text, i) => i switch
        {
            0 => text,
            _ when i == said.Count - 1 && i > 1 => "cuối cùng, " + text,
            1 => "nếu bằng nhau, " + text,
            _ => "nếu vẫn bằng nhau, " + text,
        });
        return "Xếp hạng theo thứ tự: " + string.Join("; ", parts) + ".";
    }

    /// <summary>Whole seconds since the Unix epoch: the resolution at which submission times are compared.</summary>
    public static long SubmittedSecond(DateTimeOffset submittedAt) => submittedAt.ToUnixTimeSeconds();

    /// <summary><see cref="BestAttempt"/> in C#, then the earlier attempt.</summary>
    public static int CompareAttempts(AttemptOutcome a, AttemptOutcome b)
    {
        var c = b.Score.CompareTo(a.Score);
        if (c == 0)
        {
            c = a.DurationMs.CompareTo(b.DurationMs);
        }
        if (c == 0)
        {
            c = SubmittedSecond(a.SubmittedAt).CompareTo(SubmittedSecond(b.SubmittedAt));
        }
        return c != 0 ? c : a.AttemptId.CompareTo(b.AttemptId);
    }

    public static bool IsBetter(AttemptOutcome candidate, AttemptOutcome? best) => best is null || CompareAttempts(candidate, best) < 0;

    /// <summary><see cref="LiveRound"/> in C#.</summary>
    public static int CompareLiveRound(LiveRoundStanding a, LiveRoundStanding b)
    {
        var c = b.Points.CompareTo(a.Points);
        if (c == 0)
        {
            c = a.TotalResponseMs.CompareTo(b.TotalResponseMs);
        }
        return c != 0 ? c : a.ParticipantId.CompareTo(b.ParticipantId);
    }

    /// <summary>Time taken: from start to submission, never more than the time limit (the grace after the deadline gives no edge).</summary>
    public static int DurationMs(DateTimeOffset startedAt, DateTimeOffset submittedAt, int timeLimitSeconds) =>
        (int)Math.Clamp((long)Math.Floor((submittedAt - startedAt).TotalMilliseconds), 0, timeLimitSeconds * 1000L);
}

/// <summary>
/// A Redis sorted-set score that packs several ranking keys into one double, lower is better, so ZRANGE from 0 is the
/// top and ZRANK is the rank − 1. A double holds integers up to 2^53 exactly, so the fields' widths add up to at most
/// 53 bits; the first field is the most significant. A field ranked "higher is better" is stored as max − value.
/// <see cref="Encode"/> throws rather than wrap when a value does not fit, so a broken limit is an error where the
/// score is written, never a silently wrong rank.
/// </summary>
public sealed class ScoreLayout
{
    public sealed record Field(string Name, int Bits, bool HigherIsBetter)
    {
        public long Max => (1L << Bits) - 1;
    }

    public const int ExactBits = 53;

    public ScoreLayout(params Field[] fields)
    {
        if (fields.Length == 0 || fields.Any(f => f.Bits < 1) || fields.Sum(f => f.Bits) > ExactBits)
        {
            throw new ArgumentException($"a layout needs 1..{ExactBits} bits in total", nameof(fields));
        }
        Fields = fields;
    }

    public IReadOnlyList<Field> Fields { get; }

    public double Encode(params ReadOnlySpan<long> values)
    {
        if (values.Length != Fields.Count)
        {
            throw new ArgumentException($"expected {Fields.Count} values", nameof(values));
        }
        long packed = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var f = Fields[i];
            var v = values[i];
            if (v < 0 || v > f.Max)
            {
                throw new ArgumentOutOfRangeException(nameof(values), v,
                    string.Create(CultureInfo.InvariantCulture, $"leaderboard score out of range: {f.Name} {v} is outside 0..{f.Max}"));
            }
            packed = (packed << f.Bits) | (f.HigherIsBetter ? f.Max - v : v);
        }
        return packed;
    }

    public long[] Decode(double score)
    {
        var packed = (long)score;
        var values = new long[Fields.Count];
        for (var i = Fields.Count - 1; i >= 0; i--)
        {
            var f = Fields[i];
            var v = packed & f.Max;
            values[i] = f.HigherIsBetter ? f.Max - v : v;
            packed >>= f.Bits;
        }
        return values;
    }
}

/// <summary>
/// The Redis encodings of <see cref="Ranking"/>. Exact ties get the same score; Redis then orders them by member, the
/// participant id zero-padded to 12 digits, so ascending id — the same last step the SQL orders use.
///
/// Online round (<see cref="Ranking.LiveBoard"/>), 6 + 22 + 25 = 53 bits:
/// <code>
///   score      6 bits, higher is better   0..63 (a round has at most 60 questions)
///   duration  22 bits, ms                 0..4,194,303 ms ≈ 69.9 min (time limit at most 60 min)
///   second    25 bits, since opening      0..33,554,431 s ≈ 388 days (a round lasts at most 90 days)
/// </code>
/// Limits are enforced where the values are born (round setup: ≤ 60 questions, ≤ 60 minutes, ≤ 90 days; the
/// migration repeats them as CHECKs) and again by <see cref="ScoreLayout.Encode"/> where scores are written.
///
/// Live round (<see cref="Ranking.LiveRound"/>), 21 + 32 = 53 bits:
/// <code>
///   points          21 bits, higher is better   0..2,097,151 per round
///   response time   32 bits, ms in total        0..4,294,967,295 ms ≈ 49.7 days
/// </code>
///
/// The final board of a closed round has one more key (|prediction − actual|, up to millions) that does not fit
/// beside the others at these resolutions; the final ranking is computed once, in SQL, when the round closes, so its
/// board stores the rank itself as the score (exact by construction).
/// </summary>
public static class LeaderboardScore
{
    public static readonly ScoreLayout Online = new(
        new("score", 6, HigherIsBetter: true), new("duration_ms", 22, HigherIsBetter: false), new("second", 25, HigherIsBetter: false));

    public static readonly ScoreLayout LiveRoundLayout = new(
        new("points", 21, HigherIsBetter: true), new("total_response_ms", 32, HigherIsBetter: false));

    public static readonly int MaxScore = (int)Online.Fields[0].Max;
    public static readonly long MaxDurationMs = Online.Fields[1].Max;
    public static readonly long MaxSecond = Online.Fields[2].Max;
    public static readonly long MaxLiveRoundPoints = LiveRoundLayout.Fields[0].Max;
    public static readonly long MaxLiveRoundResponseMs = LiveRoundLayout.Fields[1].Max;

    public static double Live(int score, int durationMs, long secondsSinceOpening) => Online.Encode(score, durationMs, secondsSinceOpening);

    public static (int Score, int DurationMs, long SecondsSinceOpening) Decode(double value)
    {
        var v = Online.Decode(value);
        return ((int)v[0], (int)v[1], v[2]);
    }

    public static long SecondsSinceOpening(DateTimeOffset submittedAt, DateTimeOffset opensAt) =>
        Ranking.SubmittedSecond(submittedAt) - Ranking.SubmittedSecond(opensAt);

    public static double LiveRound(long points, long totalResponseMs) => LiveRoundLayout.Encode(points, totalResponseMs);

    public static (long Points, long TotalResponseMs) DecodeLiveRound(double value)
    {
        var v = LiveRoundLayout.Decode(value);
        return (v[0], v[1]);
    }

    /// <summary>The member of a participant: zero-padded so Redis' lexicographic order of equal scores is numeric.</summary>
    public static string Member(long participantId) => participantId.ToString("D12", CultureInfo.InvariantCulture);

    public static long ParticipantOf(string member) => long.Parse(member, CultureInfo.InvariantCulture);
}
