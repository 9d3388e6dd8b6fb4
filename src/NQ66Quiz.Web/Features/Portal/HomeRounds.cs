using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.Portal;

/// <summary>A round the home page leads with: the contest, the round, how long is left, the prizes.</summary>
public sealed record HomeRound(ContestView Contest, RoundView Round, bool IsOpen, string TimeLeft);

/// <summary>Picks what the home page leads with: every open round (latest contest first), else the next one to open.</summary>
public sealed class HomeRounds(ContestStore store, TimeProvider clock)
{
    public async Task<IReadOnlyList<HomeRound>> ListAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var contests = await store.ListAsync(ct);
        var open = contests
            .SelectMany(c => c.Rounds.Where(r => r.StatusAt(now) == RoundStatus.Open).Select(r => Lead(c, r, true, now)))
            .ToList();
        if (open.Count > 0)
        {
            return open;
        }
        var next = contests
            .SelectMany(c => c.Rounds.Where(r => r.StatusAt(now) == RoundStatus.Scheduled).Select(r => (c, r)))
            .OrderBy(x => x.r.OpensAt)
            .Take(1)
            .Select(x => Lead(x.c, x.r, false, now));
        return [.. next];
    }

    private static HomeRound Lead(ContestView contest, RoundView round, bool isOpen, DateTimeOffset now)
    {
        var until = (isOpen ? round.ClosesAt : round.OpensAt) - now;
        return new(contest, round, isOpen, Left(until));
    }

    /// <summary>"4 ngày 23 giờ", "3 giờ", "20 phút": never more than is left; minutes rounded up so "0" never shows.</summary>
    public static string Left(TimeSpan until) =>
        until.TotalDays >= 1 ? (until.Hours > 0 ? $"{until.Days} ngày {until.Hours} giờ" : $"{until.Days} ngày")
        : until.TotalHours >= 1 ? $"{(int)until.TotalHours} giờ"
        : $"{Math.Max(1, (int)Math.Ceiling(until.TotalMinutes))} phút";

    /// <summary>"1 giải Nhất, 2 giải Nhì, 3 giải Ba, 10 giải Khuyến khích" (tiers with none are left out).</summary>
    public static string PrizeLine(IReadOnlyList<PrizeTier> tiers) =>
        string.Join(", ", tiers.Where(t => t.Count > 0).Select(t => $"{t.Count} {char.ToLowerInvariant(t.Name[0])}{t.Name[1..]}"));
}
