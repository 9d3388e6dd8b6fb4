using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.UnitRankings;

namespace NQ66Quiz.Web.Pages.Organizer.UnitRankings;

/// <summary>The city's view of a contest by unit: collective ranking (rule, compute, publish), winners, item analysis.</summary>
/// <remarks>It lists winners by name (personal data), so its reads are audited.</remarks>
[AuditReads]
public sealed class IndexModel(ContestStore contests, CollectiveRanking ranking, UnitReport report, ItemAnalysis items) : PageModel
{
    public IReadOnlyList<ContestView> Contests { get; private set; } = [];

    public ContestView? Contest { get; private set; }

    public UnitRankingView Review { get; private set; } = null!;

    public IReadOnlyList<RankedUnit> Current { get; private set; } = [];

    public IReadOnlyList<ReportWinner> Winners { get; private set; } = [];

    public IReadOnlyList<ItemStatistics> Items { get; private set; } = [];

    public List<string> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    [BindProperty]
    public RuleForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long? contestId, CancellationToken ct)
    {
        if (OrganizerScope.From(User).SubtreeRoot is { } own && contestId is { } id)
        {
            return Redirect($"/to-chuc/xep-hang-don-vi/{id}/{own}");
        }
        return await LoadAsync(contestId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSettingsAsync(long contestId, CancellationToken ct) =>
        await ActAsync(contestId, ranking.SaveSettingsAsync(contestId, Form.ToRequest(), ct), "Đã lưu cách xếp hạng; hãy tính lại xếp hạng.", ct);

    public async Task<IActionResult> OnPostComputeAsync(long contestId, CancellationToken ct) =>
        await ActAsync(contestId, ranking.ComputeAsync(contestId, ct), "Đã tính xếp hạng tập thể; xem lại rồi công bố.", ct);

    public async Task<IActionResult> OnPostPublishAsync(long contestId, CancellationToken ct) =>
        await ActAsync(contestId, ranking.PublishAsync(contestId, ct), "Đã công bố giải tập thể.", ct);

    private async Task<IActionResult> ActAsync(long contestId, Task<SetupResult<UnitRankingView>> action, string done, CancellationToken ct)
    {
        if (!UnitRankingsModule.IsCityWide(OrganizerScope.From(User)))
        {
            return Forbid();
        }
        switch (await action)
        {
            case SetupResult<UnitRankingView>.Ok:
                Message = done;
                break;
            case SetupResult<UnitRankingView>.Invalid invalid:
                Errors = invalid.Errors;
                break;
            case SetupResult<UnitRankingView>.Refused refused:
                Errors = [refused.Message];
                break;
            default:
                return NotFound();
        }
        return await LoadAsync(contestId, ct, keepForm: Errors.Count > 0) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long? contestId, CancellationToken ct, bool keepForm = false)
    {
        if (contestId is not { } id)
        {
            Contests = await contests.ListAsync(OrganizerScope.From(User), ct);
            return true;
        }
        Contest = await contests.GetAsync(id, ct);
        if (Contest is null)
        {
            return false;
        }
        Review = await ranking.ReviewAsync(id, ct);
        if (!keepForm)
        {
            Form = RuleForm.From(Review.Rule);
        }
        Current = Review.ComputedAt is null ? await ranking.CurrentAsync(id, ct) : [];
        Winners = await report.WinnersAsync(id, UnitScope.All, ct);
        Items = [.. (await items.ReadAsync(id, UnitScope.All, ct)).OrderByDescending(i => i.SuspectedMiskey).ThenBy(i => i.PointBiserial ?? 0).Take(30)];
        return true;
    }

    public sealed class RuleForm
    {
        public string Method { get; set; } = UnitRankingMethods.Rate;

        /// <summary>Minimum rate in percent for every unit (empty: none).</summary>
        public double? MinRatePercent { get; set; }

        /// <summary>Units of at least this many people need <see cref="LargeMinRatePercent"/> instead.</summary>
        public int? LargeFrom { get; set; }

        public double? LargeMinRatePercent { get; set; }

        public UnitRankingSettingsRequest ToRequest()
        {
            var rates = new List<MinimumRate>();
            if (MinRatePercent is { } small)
            {
                rates.Add(new MinimumRate(0, small / 100));
            }
            if (LargeFrom is { } from && LargeMinRatePercent is { } large)
            {
                rates.Add(new MinimumRate(from, large / 100));
            }
            return new UnitRankingSettingsRequest(Method, rates, null, null, null);
        }

        public static RuleForm From(UnitRankingRule rule) => new()
        {
            Method = rule.Method,
            MinRatePercent = rule.MinRates.FirstOrDefault(m => m.MinHeadcount == 0)?.MinRate * 100,
            LargeFrom = rule.MinRates.FirstOrDefault(m => m.MinHeadcount > 0)?.MinHeadcount,
            LargeMinRatePercent = rule.MinRates.FirstOrDefault(m => m.MinHeadcount > 0)?.MinRate * 100,
        };
    }
}
