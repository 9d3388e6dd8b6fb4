namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>
/// The sorted-set score of a participant on a live round leaderboard: every tie-break of the best-attempt ranking
/// packed into one double, lower is better, so ZRANGE from 0 is the top and ZRANK is the rank − 1.
///
/// A double holds integers up to 2^53 exactly, so the layout uses exactly 53 bits:
/// <code>
///   bits 52..47  (6 bits)  63 − score                 score 0..60 (a round has at most 60 questions)
///   bits 46..25 (22 bits)  duration in milliseconds   0..4,194,303 ms ≈ 69.9 min (time limit at most 60 min)
///   bits 24..0  (25 bits)  submission second − opening second   0..33,554,431 s ≈ 388 days (a round lasts at most 90 days)
/// </code>
/// Limits are enforced where the values are born (round setup: ≤ 60 questions, ≤ 60 minutes, ≤ 90 days; the
/// migration repeats them as CHECKs), and <see cref="Live"/> throws rather than wrap if one is ever broken.
/// Two entries with the same score, the same duration to the millisecond and the same submission second get the
/// same score; Redis then orders them by member, which is the participant id zero-padded to 12 digits, so ascending
/// id — the same last tie-break the SQL ranking uses.
///
/// The final board of a closed round has one more key (|prediction − actual|, up to millions) that does not fit
/// beside the others at these resolutions; the final ranking is computed once, in SQL, when the round closes, so its
/// board stores the rank itself as the score (exact by construction).
/// </summary>
public static class LeaderboardScore
{
    public const int MaxScore = 63;
    public const long MaxDurationMs = (1L << 22) - 1;
    public const long MaxSecond = (1L << 25) - 1;

    public static double Live(int score, int durationMs, long secondsSinceOpening)
    {
        if (score is < 0 or > MaxScore || durationMs < 0 || durationMs > MaxDurationMs || secondsSinceOpening < 0 || secondsSinceOpening > MaxSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(score),
                $"leaderboard score out of range: score {score}, duration {durationMs} ms, second {secondsSinceOpening}");
        }
        return ((long)(MaxScore - score) << 47) | ((long)durationMs << 25) | secondsSinceOpening;
    }

    public static (int Score, int DurationMs, long SecondsSinceOpening) Decode(double value)
    {
        var bits = (long)value;
        return (MaxScore - (int)(bits >> 47), (int)((bits >> 25) & MaxDurationMs), bits & MaxSecond);
    }

    public static long SecondsSinceOpening(DateTimeOffset submittedAt, DateTimeOffset opensAt) =>
        Ranking.SubmittedSecond(submittedAt) - Ranking.SubmittedSecond(opensAt);

    /// <summary>The member of a participant: zero-padded so Redis' lexicographic order of equal scores is numeric.</summary>
    public static string Member(long participantId) => participantId.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public static long ParticipantOf(string member) => long.Parse(member, System.Globalization.CultureInfo.InvariantCulture);
}
