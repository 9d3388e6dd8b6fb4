using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages;

public sealed class OrganizerSignInModel(OrganizerAccounts accounts, OrganizerAudit audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken ct)
    {
        var account = await accounts.VerifyAsync(Email, password, ct);
        if (account is null)
        {
            await audit.WriteAsync(null, "sign-in failed", OrganizerAccounts.NormalizeEmail(Email) ?? "(email không hợp lệ)", new { }, HttpContext.Connection.RemoteIpAddress, ct);
            Error = "Email hoặc mật khẩu không đúng. Nếu chưa có tài khoản, đề nghị quản trị thành phố gửi lời mời.";
            return Page();
        }
        await OrganizersApi.SignInAccountAsync(HttpContext, account);
        await audit.WriteAsync(account.Id, "sign-in", "organizer:" + account.Id, new { }, HttpContext.Connection.RemoteIpAddress, ct);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/to-chuc");
    }
}
