using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.UnitRankings;

namespace NQ66Quiz.Web.Pages.Organizer.UnitRankings;

/// <summary>A unit's own page for its organizer: figures, trend by round, sub-units, knowledge map, widget snippet.</summary>
[NQ66Quiz.Web.Features.Organizers.ReadsOwnSubtreeOfContest]
public sealed class UnitModel(UnitPages pages) : PageModel
{
    public UnitPageView View { get; private set; } = null!;

    public string WidgetUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(long contestId, int unitId, CancellationToken ct)
    {
        // Another unit's page does not exist for a unit organizer: 404, as the APIs answer.
        if (await pages.UnitAsync(contestId, unitId, NQ66Quiz.Web.Features.Organizers.OrganizerScope.From(User), ct) is not { } view)
        {
            return NotFound();
        }
        View = view;
        WidgetUrl = $"{Request.Scheme}://{Request.Host}/nhung/{view.Contest.Slug}/{view.Unit.Code}";
        return Page();
    }
}
