using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages.Account;

/// <summary>The page a mailed reset link opens (/dat-lai-mat-khau/{token}).</summary>
[EnableRateLimiting(RateLimits.SignIn)]
[AllowAnonymous]
public sealed class PasswordResetLinkModel(PasswordResets resets) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public string? Problem { get; private set; }

    public Dictionary<string, string[]> Errors { get; private set; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken ct)
    {
        KeepTokenPrivate();
        Problem = await resets.LinkProblemAsync(Token, ct);
    }

    public async Task<IActionResult> OnPostAsync(string? newPassword, string? confirmPassword, CancellationToken ct)
    {
        KeepTokenPrivate();
        if (!string.IsNullOrEmpty(newPassword) && newPassword != confirmPassword)
        {
            Problem = await resets.LinkProblemAsync(Token, ct);
            Errors["confirmPassword"] = ["Hai lần nhập mật khẩu mới không giống nhau."];
            return Page();
        }
        switch (await resets.ResetWithLinkAsync(new LinkResetRequest(Token, newPassword), ct))
        {
            case ResetOutcome.Ok ok:
                await ParticipantAccounts.SignInAsync(HttpContext, ok.Profile);
                return Redirect("/tai-khoan?matkhau=moi");
            case ResetOutcome.Invalid invalid when invalid.Errors.TryGetValue("token", out var problem):
                Problem = problem[0];
                break;
            case ResetOutcome.Invalid invalid:
                Errors = invalid.Errors;
                break;
        }
        return Page();
    }

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;

    // The token is in this page's address: no Referer carries it to another site, and no cache keeps the page.
    private void KeepTokenPrivate()
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
    }
}
