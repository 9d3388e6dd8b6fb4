using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Tests.Leaderboards;

public sealed class RankingTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_higher_score_wins_whatever_the_time() =>
        Assert.True(Ranking.IsBetter(new AttemptOutcome(2, 9, 500_000, T.AddHours(5)), new AttemptOutcome(1, 8, 1_000, T)));

    [Fact]
    public void Equal_scores_go_to_the_shorter_duration() =>
        Assert.True(Ranking.IsBetter(new AttemptOutcome(2, 8, 59_999, T.AddHours(1)), new AttemptOutcome(1, 8, 60_000, T)));

    [Fact]
    public void Equal_score_and_duration_go_to_the_earlier_submission_second() =>
        Assert.True(Ranking.IsBetter(new AttemptOutcome(2, 8, 60_000, T.AddSeconds(1)), new AttemptOutcome(1, 8, 60_000, T.AddSeconds(2))));

    [Fact]
    public void Submissions_within_the_same_second_tie_and_the_earlier_attempt_stays_best()
    {
        var earlier = new AttemptOutcome(1, 8, 60_000, T.AddMilliseconds(900));
        var later = new AttemptOutcome(2, 8, 60_000, T.AddMilliseconds(100));

        Assert.False(Ranking.IsBetter(later, earlier));
        Assert.True(Ranking.IsBetter(earlier, later));
    }

    [Fact]
    public void Any_attempt_beats_having_none() => Assert.True(Ranking.IsBetter(new AttemptOutcome(1, 0, 600_000, T), null));

    [Fact]
    public void Duration_is_capped_at_the_time_limit_and_floored_to_the_millisecond()
    {
        Assert.Equal(600_000, Ranking.DurationMs(T, T.AddMinutes(10).AddSeconds(8), 600));
        Assert.Equal(45_500, Ranking.DurationMs(T, T.AddMilliseconds(45_500.9), 600));
    }
}
