
namespace NQ66Quiz.Tests.UnitRankings;

public sealed class UnitRankingTests
{
    private static readonly Dictionary<string, int> NoWinners = [];

    private static UnitStanding U(int id, int? headcount, int participants, double? avg = 5, Dictionary<string, int>? winners = null) =>
        new(id, $"Đơn vị {id:00}", headcount, participants, avg, winners ?? NoWinners);

    private static int[] Order(IEnumerable<RankedUnit> ranked) => [.. ranked.Select(r => r.Unit.UnitId)];

    [Fact]
    public void Default_rule_ranks_by_rate_not_by_size()
    {
        var ranked = UnitRanking.Rank(UnitRankingRule.Default, [U(1, 1000, 300), U(2, 100, 90), U(3, 50, 40)]);
        Assert.Equal([2, 3, 1], Order(ranked));
        Assert.Equal(["nhat", "nhi", "ba"], ranked.Select(r => r.Prize!.Code));
    }

    [Fact]
    public void Participants_rule_ranks_by_head_count_of_participants()
    {
        var rule = UnitRankingRule.Default with { Method = UnitRankingMethods.Participants };
        Assert.Equal([1, 2, 3], Order(UnitRanking.Rank(rule, [U(2, 100, 90), U(1, 1000, 300), U(3, 50, 40)])));
    }

    [Fact]
    public void Participants_rule_needs_no_headcount()
    {
        var rule = UnitRankingRule.Default with { Method = UnitRankingMethods.Participants };
        var ranked = UnitRanking.Rank(rule, [U(1, null, 10), U(2, 100, 5)]);
        Assert.All(ranked, r => Assert.True(r.Eligible));
        Assert.Equal([1, 2], Order(ranked));
    }

    [Fact]
    public void Points_rule_adds_rate_points_and_points_per_winner()
    {
        var rule = UnitRankingRule.Default with { Method = UnitRankingMethods.Points };
        // Unit 1: 0.5 × 100 + 1 Nhất × 10 = 60; unit 2: 0.55 × 100 = 55; unit 3: 0.4 × 100 + 2 Ba × 5 + 1 Nhì × 7 = 57.
        var ranked = UnitRanking.Rank(rule, [
            U(1, 100, 50, winners: new() { ["nhat"] = 1 }),
            U(2, 100, 55),
            U(3, 100, 40, winners: new() { ["ba"] = 2, ["nhi"] = 1 }),
        ]);
        Assert.Equal([1, 3, 2], Order(ranked));
        Assert.Equal([60, 57, 55], ranked.Select(r => r.Points));
    }

    [Fact]
    public void Minimum_rate_by_unit_size_excludes_units_below_their_threshold()
    {
        // Small units (under 500) need 50 %, large ones 30 %.
        var rule = UnitRankingRule.Default with { MinRates = [new(0, 0.5), new(500, 0.3)] };
        var ranked = UnitRanking.Rank(rule, [U(1, 100, 45), U(2, 1000, 310), U(3, 200, 120), U(4, 600, 170)]);
        Assert.Equal([3, 2, 1, 4], Order(ranked));
        Assert.Equal([true, true, false, false], ranked.Select(r => r.Eligible));
        Assert.Equal(["nhat", "nhi", null, null], ranked.Select(r => r.Prize?.Code));
        Assert.Contains("50 %", ranked[2].IneligibleReason);
        Assert.Contains("30 %", ranked[3].IneligibleReason);
    }

    [Fact]
    public void Threshold_is_inclusive()
    {
        var rule = UnitRankingRule.Default with { MinRates = [new(0, 0.5)] };
        Assert.True(UnitRanking.Rank(rule, [U(1, 100, 50)])[0].Eligible);
        Assert.False(UnitRanking.Rank(rule, [U(1, 100, 49)])[0].Eligible);
    }

    [Fact]
    public void Rate_rule_puts_units_without_headcount_last_and_gives_them_nothing()
    {
        var ranked = UnitRanking.Rank(UnitRankingRule.Default, [U(1, null, 900), U(2, 100, 1)]);
        Assert.Equal([2, 1], Order(ranked));
        Assert.False(ranked[1].Eligible);
        Assert.Null(ranked[1].Prize);
    }

    [Fact]
    public void Equal_rates_are_exact_and_tie_break_on_participants_then_average_score()
    {
        // 1/3 = 2/6 = 100/300 exactly: more participants first; unit 4 equals unit 3 on participants, lower average.
        var ranked = UnitRanking.Rank(UnitRankingRule.Default, [U(1, 3, 1), U(2, 6, 2), U(3, 300, 100, avg: 7), U(4, 300, 100, avg: 6.5)]);
        Assert.Equal([3, 4, 2, 1], Order(ranked));
        Assert.Equal([1, 2, 3, 4], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void Units_tied_on_every_criterion_share_a_rank()
    {
        var ranked = UnitRanking.Rank(UnitRankingRule.Default, [U(2, 10, 5, avg: 6), U(1, 10, 5, avg: 6), U(3, 10, 4)]);
        Assert.Equal([1, 1, 3], ranked.Select(r => r.Rank));
        Assert.Equal([1, 2, 3], ranked.Select(r => r.Position));
        Assert.Equal([1, 2, 3], Order(ranked));
    }

    [Fact]
    public void Points_ties_break_on_participants()
    {
        var rule = UnitRankingRule.Default with { Method = UnitRankingMethods.Points };
        // Both 50 points: 0.5 × 100 vs 0.4 × 100 + 1 Nhất × 10; unit 2 has more participants.
        var ranked = UnitRanking.Rank(rule, [U(1, 100, 50), U(2, 200, 80, winners: new() { ["nhat"] = 1 })]);
        Assert.Equal([2, 1], Order(ranked));
        Assert.Equal([1, 2], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void Default_prizes_are_one_first_one_second_two_third()
    {
        var ranked = UnitRanking.Rank(UnitRankingRule.Default, Enumerable.Range(1, 6).Select(i => U(i, 100, 100 - i)));
        Assert.Equal(["nhat", "nhi", "ba", "ba", null, null], ranked.Select(r => r.Prize?.Code));
    }

    [Fact]
    public void Validation_names_what_is_wrong()
    {
        var errors = UnitRanking.Validate(UnitRankingRule.Default with { Method = "size", MinRates = [new(0, 1.5)], Prizes = [] });
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("Cách xếp hạng", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ngưỡng tỷ lệ thứ 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Giải tập thể", StringComparison.Ordinal));
        Assert.Empty(UnitRanking.Validate(UnitRankingRule.Default));
    }

    [Fact]
    public void Description_states_the_rule_and_thresholds()
    {
        var text = UnitRanking.Describe(UnitRankingRule.Default with { MinRates = [new(500, 0.3)] });
        Assert.Contains("tỷ lệ tham gia", text, StringComparison.Ordinal);
        Assert.Contains("từ 500 người", text, StringComparison.Ordinal);
        Assert.Contains("30 %", text, StringComparison.Ordinal);
        Assert.Contains("1 Giải Nhất, 1 Giải Nhì, 2 Giải Ba", text, StringComparison.Ordinal);
    }
}
