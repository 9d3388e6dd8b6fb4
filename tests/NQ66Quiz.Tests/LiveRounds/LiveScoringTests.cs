
namespace NQ66Quiz.Tests.LiveRounds;

public sealed class LiveScoringTests
{
    [Theory]
    [InlineData(true, 1000, 0, 20_000, 1000)]
    [InlineData(true, 1000, 5_000, 20_000, 875)]
    [InlineData(true, 1000, 20_000, 20_000, 500)]
    [InlineData(true, 1000, 25_000, 20_000, 500)]   // inside the grace: never less than half
    [InlineData(true, 2000, 7_000, 20_000, 1650)]
    [InlineData(true, 1000, 1, 3_000, 1000)]        // 999.83 rounds to 1000
    [InlineData(false, 1000, 0, 20_000, 0)]
    [InlineData(true, 0, 0, 20_000, 0)]
    public void Points_follow_round_P_times_one_minus_half_t_over_T(bool correct, int p, int t, int limit, int expected) =>
        Assert.Equal(expected, Scoring.LivePoints(correct, p, t, limit));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 100)]
    [InlineData(6, 500)]
    [InlineData(9, 500)]
    public void The_streak_bonus_is_100_per_answer_after_the_first_up_to_500(int streak, int bonus) =>
        Assert.Equal(bonus, Scoring.StreakBonus(streak));

    [Fact]
    public void A_wrong_answer_resets_the_streak_a_voided_question_changes_nothing_and_accuracy_counts_scored_questions()
    {
        var t = Scoring.Apply(LiveTotals.Zero, new LiveAnswerScore(true, 900), 1000, true, voided: false);
        t = Scoring.Apply(t, new LiveAnswerScore(true, 800), 1000, true, voided: false);
        Assert.Equal((1800L, 2, 100), (t.Points, t.Streak, t.LastBonus));
        var voided = Scoring.Apply(t, new LiveAnswerScore(true, 1000), 1000, true, voided: true);
        Assert.Equal(t, voided);
        t = Scoring.Apply(t, null, 1000, true, voided: false);
        Assert.Equal((1800L, 0, 2, 3), (t.Points, t.Streak, t.CorrectCount, t.Scored));
        Assert.Equal(2.0 / 3, Scoring.Accuracy(t.CorrectCount, t.Scored));
        Assert.Equal(450, Scoring.UnitScore([900, 0]));
        Assert.Equal(1, Scoring.UnitScore([1, 0]));
    }
}
