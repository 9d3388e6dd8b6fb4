using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages;

/// <summary>Organizer sign-in: e-mail and password, then (accounts with a second factor) the code from the app.</summary>
[EnableRateLimiting(RateLimits.SignIn)]
[AllowAnonymous]
public sealed class OrganizerSignInModel(OrganizerSignIn signIn) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    /// <summary>Set when the password was right and the code is asked for: the signed, 5-minute ticket of the account.</summary>
    [BindProperty]
    public string? Ticket { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken ct) =>
        Show(await signIn.PasswordAsync(HttpContext, Email, password, null, ct));

    public async Task<IActionResult> OnPostCodeAsync(string? code, CancellationToken ct) =>
        Show(await signIn.CodeAsync(HttpContext, Ticket, code, ct));

    private IActionResult Show(SignInOutcome outcome)
    {
        switch (outcome)
        {
            case SignInOutcome.Ok:
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/to-chuc");
            case SignInOutcome.NeedsCode needs:
                Ticket = needs.Ticket;
                return Page();
            case SignInOutcome.WrongCode:
                Error = "Mã xác thực không đúng hoặc đã dùng. Nhập mã đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục chưa dùng.";
                return Page();
            case SignInOutcome.Throttled:
                Ticket = null;
                Error = OrganizerSignInThrottle.Refusal;
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Ticket = null;
                Error = "Email hoặc mật khẩu không đúng. Nếu chưa có tài khoản, đề nghị quản trị thành phố gửi lời mời.";
                return Page();
        }
    }
}
