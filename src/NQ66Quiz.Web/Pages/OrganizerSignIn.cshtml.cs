using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages;

public sealed class OrganizerSignInModel(IOptions<OrganizerOptions> options, OrganizerSignInThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? password)
    {
        var address = HttpContext.Connection.RemoteIpAddress;
        if (await throttle.IsBlockedAsync(address, null))
        {
            Error = OrganizerSignInThrottle.Refusal;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        if (!OrganizerSignIn.PasswordMatches(password, options.Value.Password))
        {
            await throttle.FailedAsync(address, null);
            Error = "Mật khẩu không đúng. Mật khẩu ban tổ chức do người quản trị hệ thống cấp; hãy hỏi người quản trị nếu bạn chưa có.";
            return Page();
        }
        await throttle.SucceededAsync(address, null);
        await OrganizerSignIn.SignInOrganizerAsync(HttpContext);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/to-chuc");
    }
}
