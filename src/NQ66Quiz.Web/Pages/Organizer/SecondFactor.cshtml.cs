using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages.Organizer;

/// <summary>Xác thực hai bước: scan the QR code with an authenticator app, confirm with its first code, keep the recovery codes.</summary>
public sealed class SecondFactorModel(OrganizerAccounts accounts, OrganizerSecondFactor secondFactor, OrganizerSessions sessions) : PageModel
{
    public bool Enabled { get; private set; }
    public SecondFactorEnrolment? Enrolment { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Where enrolment was asked for (a console page of this site), else the dashboard.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string ContinueUrl => ReturnUrl is { Length: > 1 } url && url.StartsWith("/to-chuc", StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : "/to-chuc";

    public async Task OnGetAsync(CancellationToken ct) => Enabled = await secondFactor.IsEnabledAsync(OrganizerScope.From(User).AccountId, ct);

    public async Task OnPostBeginAsync(CancellationToken ct)
    {
        var scope = OrganizerScope.From(User);
        Enrolment = await accounts.GetAsync(scope.AccountId, ct) is { } account ? await secondFactor.BeginAsync(account.Id, account.Email, ct: ct) : null;
        Enabled = Enrolment is null;
    }

    public async Task OnPostConfirmAsync(string? code, CancellationToken ct)
    {
        var scope = OrganizerScope.From(User);
        RecoveryCodes = await secondFactor.ConfirmAsync(scope.AccountId, code, ct);
        Enabled = RecoveryCodes is not null;
        if (RecoveryCodes is null)
        {
            Error = "Mã không khớp. Quét lại mã QR rồi nhập mã 6 số đang hiện trong ứng dụng.";
            Enrolment = await accounts.GetAsync(scope.AccountId, ct) is { } account0 ? await secondFactor.BeginAsync(account0.Id, account0.Email, keepPending: true, ct) : null;
            return;
        }
        // Sessions opened with the password alone end; this browser continues in a new one.
        await sessions.EndAllAsync(scope.AccountId, "second-factor-changed", ct);
        if (await accounts.GetAsync(scope.AccountId, ct) is { } account)
        {
            await OrganizerSignIn.StartSessionAsync(HttpContext, account, ct);
        }
    }
}
