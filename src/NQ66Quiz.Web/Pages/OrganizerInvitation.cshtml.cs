using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages;

/// <summary>Nhận lời mời: the invitee opens the link from their invitation and sets their password.</summary>
[AllowAnonymous]
public sealed class OrganizerInvitationModel(OrganizerAccounts accounts, OrganizerAudit audit) : PageModel
{
    public InvitationView? Invitation { get; private set; }
    public string? Problem { get; private set; }
    public string? PasswordError { get; private set; }

    public async Task OnGetAsync(string code, CancellationToken ct) => (Invitation, Problem) = await accounts.FindInvitationAsync(code, ct);

    public async Task<IActionResult> OnPostAsync(string code, string? password, string? confirm, CancellationToken ct)
    {
        (Invitation, Problem) = await accounts.FindInvitationAsync(code, ct);
        if (Invitation is null)
        {
            return Page();
        }
        if (password != confirm)
        {
            PasswordError = "Hai lần nhập mật khẩu không giống nhau.";
            return Page();
        }
        switch (await accounts.AcceptAsync(new AcceptRequest(code, password ?? ""), ct))
        {
            case AccountOutcome<OrganizerAccount>.Ok ok:
                await OrganizersApi.SignInAccountAsync(HttpContext, ok.Value);
                await audit.WriteAsync(ok.Value.Id, "invitation accepted", "organizer:" + ok.Value.Id, new { ok.Value.Role, ok.Value.UnitId },
                    HttpContext.Connection.RemoteIpAddress, ct);
                return LocalRedirect("/to-chuc");
            case AccountOutcome<OrganizerAccount>.Invalid invalid:
                PasswordError = string.Join(" ", invalid.Errors.Values.SelectMany(v => v));
                return Page();
            default:
                throw new InvalidOperationException();
        }
    }
}
