using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Organizer.Contests;

public sealed class IndexModel(ContestStore store, ContestSetup setup, UnitSearch units, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ContestView> Contests { get; private set; } = [];

    public IReadOnlyList<UnitSummary> Units { get; private set; } = [];

    public List<string> Errors { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public ContestForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await setup.CreateContestAsync(Form.ToRequest(), ct);
        if (result is SetupResult<ContestView>.Ok ok)
        {
            return Redirect($"/to-chuc/cuoc-thi/{ok.Value.Id}");
        }
        Errors = result is SetupResult<ContestView>.Invalid invalid ? invalid.Errors : ["Không tạo được cuộc thi."];
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Contests = await store.ListAsync(Features.Organizers.OrganizerScope.From(User), ct);
        Units = await units.SearchAsync(null, UnitSearch.MaxResults, ct);
    }
}

/// <summary>The contest form shared by the create and edit pages.</summary>
public sealed class ContestForm : Features.Organizers.IOwnedByUnit
{
    int? Features.Organizers.IOwnedByUnit.OwningUnitId => OrganizingUnitId;

    public string? Name { get; set; }
    public string? Slug { get; set; }
    public string? DescriptionMd { get; set; }
    public int? OrganizingUnitId { get; set; }
    public string PredictionKind { get; set; } = PredictionKinds.PerfectScores;
    public List<string> EligibleTypes { get; set; } = [];
    public List<int> EligibleUnitIds { get; set; } = [];
    public bool NationalIdRequired { get; set; }
    public bool OnePrizePerPerson { get; set; }

    public ContestRequest ToRequest() => new(Name, DescriptionMd, OrganizingUnitId, PredictionKind, string.IsNullOrWhiteSpace(Slug) ? null : Slug,
        [.. EligibleTypes], [.. EligibleUnitIds], NationalIdRequired, OnePrizePerPerson);

    public static ContestForm From(ContestView c) => new()
    {
        Name = c.Name, Slug = c.Slug, DescriptionMd = c.DescriptionMd, OrganizingUnitId = c.OrganizingUnitId, PredictionKind = c.PredictionKind,
        EligibleTypes = [.. c.EligibleTypes], EligibleUnitIds = [.. c.EligibleUnitIds], NationalIdRequired = c.NationalIdRequired, OnePrizePerPerson = c.OnePrizePerPerson,
    };
}
