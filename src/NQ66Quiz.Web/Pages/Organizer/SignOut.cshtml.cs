using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages.Organizer;

/// <summary>Đăng xuất: the session ends on the server, so the cookie (and any copy of it) no longer works.</summary>
public sealed class SignOutModel(OrganizerSignIn signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/to-chuc");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await signIn.SignOutAsync(HttpContext, ct);
        return Redirect("/to-chuc/dang-nhap");
    }
}
