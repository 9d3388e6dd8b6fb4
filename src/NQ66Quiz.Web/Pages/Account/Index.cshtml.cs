using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Privacy;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Account;

public sealed class IndexModel(ParticipantAccounts accounts, AttemptQueries attempts, UnitSearch units, PersonalData personalData) : PageModel
{
    public ParticipantProfile Profile { get; private set; } = null!;

    public IReadOnlyList<AttemptSummary> History { get; private set; } = [];

    public IReadOnlyList<UnitSummary> Units { get; private set; } = [];

    public Dictionary<string, string[]> Errors { get; private set; } = new(StringComparer.Ordinal);

    public string? Message { get; private set; }

    public string? EraseError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : SignIn();

    public async Task<IActionResult> OnPostUpdateAsync(string? fullName, int? unitId, string? nationalId, CancellationToken ct)
    {
        var id = ParticipantAccounts.Me(User);
        switch (await accounts.UpdateAsync(id, new UpdateProfileRequest(fullName, unitId, nationalId), ct))
        {
            case AccountResult.Ok:
                Message = "Đã lưu thông tin.";
                break;
            case AccountResult.Invalid invalid:
                Errors = invalid.Errors;
                break;
            case AccountResult.Refused refused:
                Errors = new(StringComparer.Ordinal) { ["fullName"] = [refused.Message] };
                break;
        }
        return await LoadAsync(ct) ? Page() : SignIn();
    }

    public async Task<IActionResult> OnPostEraseAsync(string? password, CancellationToken ct)
    {
        EraseError = await personalData.EraseOnRequestAsync(ParticipantAccounts.Me(User), password, ct);
        if (EraseError is null)
        {
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Redirect(PrivacyApi.PolicyPath + "?da-xoa=true");
        }
        return await LoadAsync(ct) ? Page() : SignIn();
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/");
    }

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var id = ParticipantAccounts.Me(User);
        if (await accounts.GetAsync(id, ct) is not { } profile)
        {
            return false;
        }
        Profile = profile;
        History = await attempts.HistoryAsync(id, ct);
        Units = profile.IdentityLocked ? [] : await units.SearchAsync(null, UnitSearch.MaxResults, ct);
        return true;
    }

    // A cookie of an account that no longer exists: sign in again.
    private RedirectResult SignIn() => Redirect("/dang-nhap?ReturnUrl=%2Ftai-khoan");
}
