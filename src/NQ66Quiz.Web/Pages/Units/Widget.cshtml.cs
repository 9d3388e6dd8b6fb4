using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.UnitRankings;

namespace NQ66Quiz.Web.Pages.Units;

/// <summary>
/// The embeddable widget: a unit's participation and rank, for an iframe on the unit's own portal. This page alone may
/// be framed by any origin; it shows only public aggregate figures, has no form and sets no cookie, so framing it
/// cannot be used to trick a signed-in user into an action (the reason other pages refuse framing).
/// </summary>
[Microsoft.AspNetCore.Authorization.AllowAnonymous]
public sealed class WidgetModel(UnitPages pages) : PageModel
{
    public WidgetView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, string unitCode, CancellationToken ct)
    {
        Response.Headers.ContentSecurityPolicy = "frame-ancestors *";
        Response.Headers.Remove("X-Frame-Options");
        Response.Headers.CacheControl = "public, max-age=60";
        if (await pages.WidgetAsync(slug, unitCode, ct) is not { } view)
        {
            return NotFound();
        }
        View = view;
        return Page();
    }
}
