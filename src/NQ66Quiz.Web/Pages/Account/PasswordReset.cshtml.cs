using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages.Account;

/// <summary>Quên mật khẩu: a code from the unit's organizer, or a mailed link where SMTP is configured.</summary>
[EnableRateLimiting(RateLimits.SignIn)]
[AllowAnonymous]
public sealed class PasswordResetModel(PasswordResets resets) : PageModel
{
    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Login { get; set; }

    public Dictionary<string, string[]> Errors { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>A refusal that is about the code as a whole (throttled), shown above the form.</summary>
    public string? CodeProblem { get; private set; }

    public bool LinkRequested { get; private set; }

    public bool EmailEnabled => resets.EmailEnabled;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostCodeAsync(string? newPassword, string? confirmPassword, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(newPassword) && newPassword != confirmPassword)
        {
            Errors["confirmPassword"] = ["Hai lần nhập mật khẩu mới không giống nhau."];
            return Page();
        }
        switch (await resets.ResetWithCodeAsync(new CodeResetRequest(Phone, Code, newPassword), HttpContext.Connection.RemoteIpAddress, ct))
        {
            case ResetOutcome.Ok ok:
                await ParticipantAccounts.SignInAsync(HttpContext, ok.Profile);
                return Redirect("/tai-khoan?matkhau=moi");
            case ResetOutcome.Invalid invalid:
                Errors = invalid.Errors;
                break;
            case ResetOutcome.Throttled throttled:
                CodeProblem = throttled.Message;
                break;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostEmailAsync(CancellationToken ct)
    {
        await resets.RequestLinkAsync(new EmailResetRequest(Login), HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        LinkRequested = true;
        return Page();
    }

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;
}
