using System.Globalization;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Rules;

public static class UnitRankingMethods
{
    public const string Rate = "rate";
    public const string Participants = "participants";
    public const string Points = "points";

    public static readonly IReadOnlyList<string> All = [Rate, Participants, Points];

    public static string Name(string method) => method switch
    {
        Rate => "tỷ lệ tham gia",
        Participants => "số người tham gia",
        Points => "điểm tổng hợp",
        _ => method,
    };
}

/// <summary>Units of at least <paramref name="MinHeadcount"/> people need a rate of at least <paramref name="MinRate"/> (0–1) to win.</summary>
public sealed record MinimumRate(int MinHeadcount, double MinRate);

/// <summary>
/// The collective ranking rule of a contest. <paramref name="RatePoints"/> and <paramref name="PrizePoints"/> only
/// matter for <see cref="UnitRankingMethods.Points"/>: points = rate × RatePoints + Σ winners of a prize × its points.
/// </summary>
public sealed record UnitRankingRule(string Method, IReadOnlyList<MinimumRate> MinRates, double RatePoints,
    IReadOnlyDictionary<string, double> PrizePoints, IReadOnlyList<PrizeTier> Prizes)
{
    /// <summary>By participation rate, no minimum, 1 Nhất, 1 Nhì, 2 Ba (what Hanoi's contests award units).</summary>
    public static readonly UnitRankingRule Default = new(UnitRankingMethods.Rate, [], 100,
        new Dictionary<string, double>(StringComparer.Ordinal) { ["nhat"] = 10, ["nhi"] = 7, ["ba"] = 5, ["khuyen-khich"] = 2 },
        [new("nhat", "Giải Nhất", 1), new("nhi", "Giải Nhì", 1), new("ba", "Giải Ba", 2)]);
}

/// <summary>What the ranking knows of a unit: its subtree's figures over the whole contest.</summary>
public sealed record UnitStanding(int UnitId, string Name, int? Headcount, int Participants, double? AverageScore,
    IReadOnlyDictionary<string, int> WinnersByPrize)
{
    public double? Rate => Headcount is > 0 ? (double)Participants / Headcount.Value : null;
}

/// <summary>
/// A row of the collective ranking. <paramref name="Rank"/> is shared by units equal on every criterion;
/// <paramref name="Position"/> is the order shown. Ineligible units (below the minimum rate, or without a headcount
/// where the rule needs one) come after the eligible ones and win nothing.
/// </summary>
public sealed record RankedUnit(int Position, int Rank, UnitStanding Unit, double Points, bool Eligible, string? IneligibleReason, PrizeTier? Prize);

/// <summary>
/// The collective ranking: the rule's measure ↓, then participants ↓, then average best score ↓; fully tied units share
/// a rank and are listed by name (vi-VN). Prizes go down the eligible units in order. Pure, so the page text
/// (<see cref="Describe"/>), the stored ranking and the tests all derive from this one file.
/// </summary>
public static class UnitRanking
{
    private static readonly CompareInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;

    public static List<string> Validate(UnitRankingRule rule)
    {
        var errors = new List<string>();
        if (!UnitRankingMethods.All.Contains(rule.Method))
        {
            errors.Add("Cách xếp hạng phải là theo tỷ lệ tham gia, theo số người tham gia hoặc theo điểm tổng hợp.");
        }
        foreach (var (m, i) in rule.MinRates.Select((m, i) => (m, i + 1)))
        {
            if (m.MinHeadcount < 0 || m.MinRate is < 0 or > 1 || double.IsNaN(m.MinRate))
            {
                errors.Add($"Ngưỡng tỷ lệ thứ {i}: số người từ 0 trở lên, tỷ lệ tối thiểu từ 0 đến 100 %.");
            }
        }
        if (rule.MinRates.Select(m => m.MinHeadcount).Distinct().Count() != rule.MinRates.Count)
        {
            errors.Add("Mỗi quy mô đơn vị chỉ có một ngưỡng tỷ lệ tối thiểu.");
        }
        if (rule.RatePoints < 0 || rule.PrizePoints.Values.Any(p => p < 0 || double.IsNaN(p)))
        {
            errors.Add("Điểm cho tỷ lệ và cho mỗi giải không được âm.");
        }
        errors.AddRange(Features.Contests.Prizes.Validate(rule.Prizes).Select(e => "Giải tập thể: " + e));
        return errors;
    }

    /// <summary>The minimum rate a unit of this headcount must reach: the threshold of the largest size it reaches.</summary>
    public static double? MinimumRateFor(UnitRankingRule rule, int? headcount) =>
        rule.MinRates.Where(m => (headcount ?? 0) >= m.MinHeadcount).OrderByDescending(m => m.MinHeadcount).Select(m => (double?)m.MinRate).FirstOrDefault();

    public static double PointsOf(UnitRankingRule rule, UnitStanding unit) =>
        (unit.Rate ?? 0) * rule.RatePoints
        + unit.WinnersByPrize.Sum(w => w.Value * rule.PrizePoints.GetValueOrDefault(w.Key));

    public static List<RankedUnit> Rank(UnitRankingRule rule, IEnumerable<UnitStanding> units)
    {
        var scored = units.Select(u =>
        {
            var reason = IneligibleReason(rule, u);
            return (Unit: u, Points: Math.Round(PointsOf(rule, u), 6), Eligible: reason is null, Reason: reason);
        }).ToList();
        scored.Sort((a, b) =>
        {
            var c = b.Eligible.CompareTo(a.Eligible);
            if (c == 0)
            {
                c = Compare(rule, a.Unit, a.Points, b.Unit, b.Points);
            }
            if (c == 0)
            {
                c = Vietnamese.Compare(a.Unit.Name, b.Unit.Name, CompareOptions.IgnoreCase);
            }
            return c != 0 ? c : a.Unit.UnitId.CompareTo(b.Unit.UnitId);
        });

        var ranked = new List<RankedUnit>(scored.Count);
        var rank = 0;
        for (var i = 0; i < scored.Count; i++)
        {
            var s = scored[i];
            if (i == 0 || s.Eligible != scored[i - 1].Eligible || Compare(rule, s.Unit, s.Points, scored[i - 1].Unit, scored[i - 1].Points) != 0)
            {
                rank = i + 1;
            }
            ranked.Add(new RankedUnit(i + 1, rank, s.Unit, s.Points, s.Eligible, s.Reason, null));
        }

        var awards = Features.Contests.Prizes.Allocate(rule.Prizes,
            ranked.Where(r => r.Eligible).Select(r => new RankedParticipant(r.Position, r.Unit.UnitId)), new HashSet<long>(), onePrizePerPerson: false)
            .ToDictionary(a => a.Rank, a => a.Tier);
        return [.. ranked.Select(r => awards.TryGetValue(r.Position, out var tier) ? r with { Prize = tier } : r)];
    }

    /// <summary>Negative when <paramref name="a"/> ranks before <paramref name="b"/>; 0 when they tie on every criterion.</summary>
    private static int Compare(UnitRankingRule rule, UnitStanding a, double aPoints, UnitStanding b, double bPoints)
    {
        var c = rule.Method switch
        {
            UnitRankingMethods.Rate => CompareRates(b, a),
            UnitRankingMethods.Points => bPoints.CompareTo(aPoints),
            _ => 0,
        };
        if (c == 0)
        {
            c = b.Participants.CompareTo(a.Participants);
        }
        return c != 0 ? c : (b.AverageScore ?? double.MinValue).CompareTo(a.AverageScore ?? double.MinValue);
    }

    // Exact: p1/h1 vs p2/h2 as p1·h2 vs p2·h1, so 1/3 and 2/6 tie and go on to the tie-breaks. No headcount ranks last.
    private static int CompareRates(UnitStanding a, UnitStanding b) => (a.Headcount is > 0, b.Headcount is > 0) switch
    {
        (true, true) => ((long)a.Participants * b.Headcount!.Value).CompareTo((long)b.Participants * a.Headcount!.Value),
        (true, false) => 1,
        (false, true) => -1,
        _ => 0,
    };

    private static string? IneligibleReason(UnitRankingRule rule, UnitStanding unit)
    {
        var needsHeadcount = rule.Method != UnitRankingMethods.Participants || rule.MinRates.Count > 0;
        if (needsHeadcount && unit.Headcount is not > 0)
        {
            return "Chưa khai báo số người thuộc diện tham gia";
        }
        var min = MinimumRateFor(rule, unit.Headcount);
        if (min is { } m && unit.Rate < m)
        {
            return $"Tỷ lệ tham gia dưới mức tối thiểu {Percent(m)}";
        }
        return null;
    }

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.GetCultureInfo("vi-VN")) + " %" : "—";

    /// <summary>The rule in words, for the public page and the reports.</summary>
    public static string Describe(UnitRankingRule rule)
    {
        var vi = CultureInfo.GetCultureInfo("vi-VN");
        var text = $"Các đơn vị được xếp hạng theo {UnitRankingMethods.Name(rule.Method)}";
        if (rule.Method == UnitRankingMethods.Points)
        {
            var prizes = string.Join(", ", rule.PrizePoints.Where(p => p.Value > 0).Select(p =>
                $"{rule.Prizes.FirstOrDefault(t => t.Code == p.Key)?.Name ?? p.Key}: {p.Value.ToString("0.##", vi)} điểm"));
            text += $" (tỷ lệ tham gia × {rule.RatePoints.ToString("0.##", vi)}, cộng điểm cho mỗi người đoạt giải cá nhân{(prizes.Length > 0 ? ": " + prizes : "")})";
        }
        text += "; bằng nhau thì đơn vị có nhiều người tham gia hơn xếp trên, rồi đến đơn vị có điểm trung bình cao hơn.";
        foreach (var m in rule.MinRates.OrderBy(m => m.MinHeadcount))
        {
            text += m.MinHeadcount > 0
                ? $" Đơn vị từ {m.MinHeadcount.ToString("N0", vi)} người cần đạt tỷ lệ tham gia tối thiểu {Percent(m.MinRate)} để được xét giải."
                : $" Đơn vị cần đạt tỷ lệ tham gia tối thiểu {Percent(m.MinRate)} để được xét giải.";
        }
        var tiers = string.Join(", ", rule.Prizes.Where(t => t.Count > 0).Select(t => $"{t.Count} {t.Name}"));
        return text + (tiers.Length > 0 ? $" Giải tập thể: {tiers}." : "");
    }
}
