namespace NQ66Quiz.Tests.Rules;

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

    [Fact]
    public void The_rules_page_explains_the_final_ranking_in_its_order() =>
        Assert.Equal("Xếp hạng theo thứ tự: số câu trả lời đúng (nhiều hơn xếp trên); nếu bằng nhau, dự đoán gần với kết quả thực tế hơn; "
            + "nếu vẫn bằng nhau, thời gian làm bài ngắn hơn; cuối cùng, thời điểm nộp bài sớm hơn (tính đến giây).",
            Ranking.Explain(Ranking.Final));

    [Fact]
    public void The_sql_orders_follow_the_steps()
    {
        Assert.Equal("a.score DESC, abs(a.prediction::bigint - @actual) ASC NULLS LAST, a.duration_ms ASC, "
            + "date_trunc('second', a.submitted_at) ASC, e.participant_id ASC", Ranking.OrderBy(Ranking.Final));
        Assert.Equal("a.score DESC, a.duration_ms ASC, date_trunc('second', a.submitted_at) ASC, e.participant_id ASC",
            Ranking.OrderBy(Ranking.LiveBoard));
    }

    [Fact]
    public void A_live_round_ranks_points_then_total_response_time_then_participant()
    {
        LiveRoundStanding[] standings = [new(3, 900, 5_000), new(1, 1_000, 9_000), new(2, 900, 5_000), new(4, 900, 4_000)];
        Assert.Equal([1L, 4, 2, 3], standings.Order(Comparer<LiveRoundStanding>.Create(Ranking.CompareLiveRound)).Select(s => s.ParticipantId));
    }
}
