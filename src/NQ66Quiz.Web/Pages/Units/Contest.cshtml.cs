using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.UnitRankings;

namespace NQ66Quiz.Web.Pages.Units;

[Microsoft.AspNetCore.Authorization.AllowAnonymous]
public sealed class ContestModel(UnitPages pages) : PageModel
{
    public PublicUnitsView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await pages.PublicAsync(slug, ct) is not { } view)
        {
            return NotFound();
        }
        View = view;
        return Page();
    }
}
