using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages.Organizer.Live;

/// <summary>The live console: creating and listing live rounds happens in live-organizer.js over the API.</summary>
public sealed class IndexModel(ContestStore contests) : PageModel
{
    /// <summary>Contest rounds a new live round may belong to (its players then count in that contest's unit figures).</summary>
    public IReadOnlyList<RoundView> ContestRounds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = OrganizerScope.From(User);
        ContestRounds = [.. (await contests.ListAsync(scope, ct)).SelectMany(c => c.Rounds).Where(r => r.ResultsPublishedAt is null)
            .OrderBy(r => r.ContestName, VietnameseText.Comparer).ThenBy(r => r.Number)];
    }
}
