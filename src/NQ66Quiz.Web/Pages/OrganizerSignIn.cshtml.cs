using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages;

[AllowAnonymous]
public sealed class OrganizerSignInModel(IOptions<OrganizerOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? password)
    {
        if (!OrganizerSignIn.PasswordMatches(password, options.Value.Password))
        {
            Error = "Mật khẩu không đúng. Hỏi quản trị hệ thống mật khẩu ban tổ chức (biến Organizer__Password).";
            return Page();
        }
        await OrganizerSignIn.SignInOrganizerAsync(HttpContext);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/to-chuc");
    }
}
