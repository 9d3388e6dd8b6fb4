using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages.Account;

[EnableRateLimiting(RateLimits.SignIn)]
[AllowAnonymous]
public sealed class SignInModel(ParticipantAccounts accounts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken ct)
    {
        var result = await accounts.VerifyAsync(new SignInRequest(Phone, password), ct);
        if (result is AccountResult.Ok ok)
        {
            await ParticipantAccounts.SignInAsync(HttpContext, ok.Profile);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/cuoc-thi");
        }
        Error = result switch
        {
            AccountResult.Refused refused => refused.Message,
            AccountResult.Throttled throttled => throttled.Message,
            _ => "Không đăng nhập được.",
        };
        return Page();
    }
}
