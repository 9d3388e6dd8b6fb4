using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages.Organizer;

public sealed class PasswordModel(OrganizerAccounts accounts, OrganizerSignIn signIn) : PageModel
{
    public string? Error { get; private set; }
    public bool Changed { get; private set; }

    public async Task OnPostAsync(string? current, string? next, string? confirm, CancellationToken ct)
    {
        if (next != confirm)
        {
            Error = "Hai lần nhập mật khẩu mới không giống nhau.";
            return;
        }
        var accountId = OrganizerScope.From(User).AccountId;
        var result = await accounts.ChangePasswordAsync(accountId, current, next, ct);
        Changed = result is AccountOutcome<bool>.Ok;
        Error = result is AccountOutcome<bool>.Invalid invalid ? string.Join(" ", invalid.Errors.Values.SelectMany(v => v)) : null;
        if (Changed)
        {
            // Every other session of the account ends (a copied cookie too); this browser continues in a new one.
            await signIn.RenewAfterPasswordChangeAsync(HttpContext, accountId, ct);
        }
    }
}
