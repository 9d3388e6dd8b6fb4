namespace NQ66Quiz.Web.Features.Contests;

/// <summary>A prize level of a round: "nhat" / "Giải Nhất" × 1.</summary>
public sealed record PrizeTier(string Code, string Name, int Count);

/// <summary>A row of the final ranking as prize allocation sees it.</summary>
public sealed record RankedParticipant(int Rank, long ParticipantId);

public sealed record PrizeAward(int Rank, long ParticipantId, PrizeTier Tier);

/// <summary>Prize structures and their allocation down a final ranking, pure.</summary>
public static class Prizes
{
    /// <summary>The weekly structure national and Hanoi contests use: 1 Nhất, 2 Nhì, 3 Ba, 10 Khuyến khích.</summary>
    public static readonly IReadOnlyList<PrizeTier> Default =
    [
        new("nhat", "Giải Nhất", 1),
        new("nhi", "Giải Nhì", 2),
        new("ba", "Giải Ba", 3),
        new("khuyen-khich", "Giải Khuyến khích", 10),
    ];

    public static List<string> Validate(IReadOnlyList<PrizeTier>? tiers)
    {
        var errors = new List<string>();
        if (tiers is null || tiers.Count == 0)
        {
            errors.Add("Cơ cấu giải cần ít nhất một loại giải, ví dụ 1 giải Nhất.");
            return errors;
        }
        if (tiers.Count > 10)
        {
            errors.Add("Cơ cấu giải có tối đa 10 loại giải.");
        }
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tier, i) in tiers.Select((t, i) => (t, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(tier.Name))
            {
                errors.Add($"Loại giải thứ {i} cần có tên, ví dụ \"Giải Nhất\".");
            }
            if (tier.Count is < 0 or > 1000)
            {
                errors.Add($"Loại giải thứ {i}: số giải phải từ 0 đến 1000.");
            }
            if (string.IsNullOrWhiteSpace(tier.Code) || !codes.Add(tier.Code))
            {
                errors.Add($"Loại giải thứ {i}: mã giải trống hoặc trùng.");
            }
        }
        return errors;
    }

    /// <summary>
    /// Walks the ranking from the top and hands out the tiers in order. With "one prize per person", whoever already
    /// won a prize in another round of the contest is passed over and the prize goes to the next in rank.
    /// </summary>
    public static List<PrizeAward> Allocate(IReadOnlyList<PrizeTier> tiers, IEnumerable<RankedParticipant> ranking,
        IReadOnlySet<long> alreadyWon, bool onePrizePerPerson)
    {
        var awards = new List<PrizeAward>();
        using var slots = tiers.SelectMany(t => Enumerable.Repeat(t, t.Count)).GetEnumerator();
        if (!slots.MoveNext())
        {
            return awards;
        }
        foreach (var entry in ranking.OrderBy(r => r.Rank))
        {
            if (onePrizePerPerson && alreadyWon.Contains(entry.ParticipantId))
            {
                continue;
            }
            awards.Add(new PrizeAward(entry.Rank, entry.ParticipantId, slots.Current));
            if (!slots.MoveNext())
            {
                break;
            }
        }
        return awards;
    }

    public static int Total(IEnumerable<PrizeTier> tiers) => tiers.Sum(t => t.Count);
}
