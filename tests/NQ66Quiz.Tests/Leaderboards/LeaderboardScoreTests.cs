using CsCheck;
using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Tests.Leaderboards;

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
}
