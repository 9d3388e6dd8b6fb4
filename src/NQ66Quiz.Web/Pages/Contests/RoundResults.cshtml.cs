using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Pages.Contests;

[AllowAnonymous]
public sealed class RoundResultsModel(ContestStore store, RoundResults results) : PageModel
{
    public PublicResults Results { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, int number, CancellationToken ct)
    {
        var round = (await store.GetAsync(slug, ct))?.Rounds.FirstOrDefault(r => r.Number == number);
        if (round is null || await results.PublishedAsync(round.Id, ct) is not { } published)
        {
            return NotFound();
        }
        Results = published;
        return Page();
    }
}
