using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Tests.Contests;

public sealed class PrizesTests
{
    private static readonly PrizeTier[] Tiers = [new("nhat", "Giải Nhất", 1), new("nhi", "Giải Nhì", 2), new("ba", "Giải Ba", 1)];

    private static List<RankedParticipant> Ranking(params long[] ids) => [.. ids.Select((id, i) => new RankedParticipant(i + 1, id))];

    [Fact]
    public void Prizes_go_down_the_ranking_in_tier_order()
    {
        var awards = Prizes.Allocate(Tiers, Ranking(10, 20, 30, 40, 50), new HashSet<long>(), onePrizePerPerson: false);

        Assert.Equal([(1, 10L, "nhat"), (2, 20L, "nhi"), (3, 30L, "nhi"), (4, 40L, "ba")], awards.Select(a => (a.Rank, a.ParticipantId, a.Tier.Code)));
    }

    [Fact]
    public void With_one_prize_per_person_an_earlier_winner_is_passed_over_and_the_next_in_rank_moves_up()
    {
        var awards = Prizes.Allocate(Tiers, Ranking(10, 20, 30, 40, 50, 60), new HashSet<long> { 10, 30 }, onePrizePerPerson: true);

        Assert.Equal([(2, 20L, "nhat"), (4, 40L, "nhi"), (5, 50L, "nhi"), (6, 60L, "ba")], awards.Select(a => (a.Rank, a.ParticipantId, a.Tier.Code)));
    }

    [Fact]
    public void Without_the_rule_an_earlier_winner_may_win_again()
    {
        var awards = Prizes.Allocate(Tiers, Ranking(10, 20), new HashSet<long> { 10 }, onePrizePerPerson: false);

        Assert.Equal([(1, 10L, "nhat"), (2, 20L, "nhi")], awards.Select(a => (a.Rank, a.ParticipantId, a.Tier.Code)));
    }

    [Fact]
    public void Fewer_entrants_than_prizes_leaves_the_rest_unawarded_and_zero_count_tiers_are_skipped()
    {
        var awards = Prizes.Allocate([new("nhat", "Giải Nhất", 0), new("nhi", "Giải Nhì", 5)], Ranking(10, 20), new HashSet<long>(), false);

        Assert.Equal(["nhi", "nhi"], awards.Select(a => a.Tier.Code));
    }

    [Fact]
    public void The_default_structure_is_1_2_3_10() =>
        Assert.Equal([("Giải Nhất", 1), ("Giải Nhì", 2), ("Giải Ba", 3), ("Giải Khuyến khích", 10)], Prizes.Default.Select(t => (t.Name, t.Count)));
}
