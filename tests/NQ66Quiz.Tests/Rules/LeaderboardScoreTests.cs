using CsCheck;

namespace NQ66Quiz.Tests.Rules;

public sealed class LeaderboardScoreTests
{
    [Fact]
    public void Each_tie_break_step_orders_the_scores()
    {
        Assert.True(LeaderboardScore.Live(10, 3_000_000, 1_000_000) < LeaderboardScore.Live(9, 0, 0), "score first");
        Assert.True(LeaderboardScore.Live(9, 59_999, 5_000_000) < LeaderboardScore.Live(9, 60_000, 0), "then duration");
        Assert.True(LeaderboardScore.Live(9, 60_000, 41) < LeaderboardScore.Live(9, 60_000, 42), "then submission second");
        Assert.Equal(LeaderboardScore.Live(9, 60_000, 42), LeaderboardScore.Live(9, 60_000, 42));
    }

    [Fact]
    public void The_extremes_fit_in_53_bits_and_decode_exactly()
    {
        var worst = LeaderboardScore.Live(0, (int)LeaderboardScore.MaxDurationMs, LeaderboardScore.MaxSecond);
        var best = LeaderboardScore.Live(60, 0, 0);

        Assert.Equal((1L << 53) - 1, (long)worst);
        Assert.Equal((0, (int)LeaderboardScore.MaxDurationMs, LeaderboardScore.MaxSecond), LeaderboardScore.Decode(worst));
        Assert.Equal((60, 0, 0L), LeaderboardScore.Decode(best));
    }

    [Fact]
    public void Values_out_of_range_throw_instead_of_wrapping()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.Live(64, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.Live(1, 1 << 22, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.Live(1, 0, 1L << 25));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.Live(1, 0, -1));
    }

    [Fact]
    public void Score_order_equals_ranking_order_for_any_two_entries() =>
        Gen.Select(Gen.Int[0, 60], Gen.Int[0, 3_600_000], Gen.Long[0, 7_776_000])
            .Select(Gen.Select(Gen.Int[0, 60], Gen.Int[0, 3_600_000], Gen.Long[0, 7_776_000]))
            .Sample(pair =>
            {
                var ((s1, d1, t1), (s2, d2, t2)) = pair;
                var opens = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
                var a = new AttemptOutcome(1, s1, d1, opens.AddSeconds(t1));
                var b = new AttemptOutcome(2, s2, d2, opens.AddSeconds(t2));
                // Identical keys fall to the attempt id in the ranking and to the member on the board: compare the keys only.
                var byRanking = (s1, d1, t1) == (s2, d2, t2) ? 0 : Math.Sign(Ranking.CompareAttempts(a, b));
                var byScore = Math.Sign(LeaderboardScore.Live(s1, d1, t1).CompareTo(LeaderboardScore.Live(s2, d2, t2)));
                return byRanking == byScore;
            });

    [Fact]
    public void Members_sort_as_numbers()
    {
        Assert.Equal("000000000042", LeaderboardScore.Member(42));
        Assert.True(string.CompareOrdinal(LeaderboardScore.Member(9), LeaderboardScore.Member(10)) < 0);
        Assert.Equal(42, LeaderboardScore.ParticipantOf("000000000042"));
    }

    [Fact]
    public void The_online_layout_packs_the_best_attempt_steps_in_their_order() =>
        Assert.Equal(
            ["score", "duration_ms", "second"],
            LeaderboardScore.Online.Fields.Select(f => f.Name));

    [Fact]
    public void A_live_round_fits_two_million_points_and_days_of_response_time()
    {
        Assert.True(LeaderboardScore.MaxLiveRoundPoints >= 2_000_000);
        Assert.True(LeaderboardScore.MaxLiveRoundResponseMs >= TimeSpan.FromHours(6).TotalMilliseconds);

        var worst = LeaderboardScore.LiveRound(0, LeaderboardScore.MaxLiveRoundResponseMs);
        var best = LeaderboardScore.LiveRound(LeaderboardScore.MaxLiveRoundPoints, 0);
        Assert.Equal((1L << 53) - 1, (long)worst);
        Assert.Equal(0, best);
        Assert.Equal((0L, LeaderboardScore.MaxLiveRoundResponseMs), LeaderboardScore.DecodeLiveRound(worst));
        Assert.Equal((2_000_000L, 5L * 3_600_000), LeaderboardScore.DecodeLiveRound(LeaderboardScore.LiveRound(2_000_000, 5L * 3_600_000)));
    }

    [Fact]
    public void Live_round_values_out_of_range_throw_instead_of_wrapping()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.LiveRound(LeaderboardScore.MaxLiveRoundPoints + 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.LiveRound(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.LiveRound(0, LeaderboardScore.MaxLiveRoundResponseMs + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardScore.LiveRound(0, -1));
    }

    [Fact]
    public void Live_round_score_order_equals_live_round_ranking_for_any_two_standings() =>
        Gen.Select(Gen.Long[0, 2_097_151], Gen.Long[0, 4_294_967_295L])
            .Select(Gen.Select(Gen.Long[0, 2_097_151], Gen.Long[0, 4_294_967_295L]))
            .Sample(pair =>
            {
                var ((p1, r1), (p2, r2)) = pair;
                var byRanking = (p1, r1) == (p2, r2) ? 0 : Math.Sign(Ranking.CompareLiveRound(new(1, p1, r1), new(2, p2, r2)));
                return byRanking == Math.Sign(LeaderboardScore.LiveRound(p1, r1).CompareTo(LeaderboardScore.LiveRound(p2, r2)));
            });

    [Fact]
    public void A_layout_wider_than_a_double_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ScoreLayout(new("a", 30, true), new("b", 24, false)));
}
