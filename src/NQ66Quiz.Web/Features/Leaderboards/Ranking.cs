namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>A closed attempt as ranking sees it.</summary>
public sealed record AttemptOutcome(long AttemptId, int Score, int DurationMs, DateTimeOffset SubmittedAt);

/// <summary>
/// The ranking rules, pure. A participant's best attempt in a round: score ↓, duration ↑, submission time ↑ (to the
/// second, as rulebooks measure it: "tính đến giây"), then the earlier attempt. The final ranking of a round adds
/// |prediction − actual| ↑ after the score; its SQL form is in RoundClose and the tests check each step on both.
/// </summary>
public static class Ranking
{
    /// <summary>Whole seconds since the Unix epoch: the resolution at which submission times are compared.</summary>
    public static long SubmittedSecond(DateTimeOffset submittedAt) => submittedAt.ToUnixTimeSeconds();

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

    /// <summary>Time taken: from start to submission, never more than the time limit (the grace after the deadline gives no edge).</summary>
    public static int DurationMs(DateTimeOffset startedAt, DateTimeOffset submittedAt, int timeLimitSeconds) =>
        (int)Math.Clamp((long)Math.Floor((submittedAt - startedAt).TotalMilliseconds), 0, timeLimitSeconds * 1000L);
}
