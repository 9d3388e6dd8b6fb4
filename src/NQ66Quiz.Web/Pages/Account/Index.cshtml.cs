using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Account;

public sealed class IndexModel(ParticipantAccounts accounts, AttemptQueries attempts, UnitSearch units, PasswordResets resets) : PageModel
{
    public Dictionary<string, string[]> PasswordErrors { get; private set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string[]> EmailErrors { get; private set; } = new(StringComparer.Ordinal);

    public string? Email { get; private set; }

    public ParticipantProfile Profile { get; private set; } = null!;

    public IReadOnlyList<AttemptSummary> History { get; private set; } = [];

    public IReadOnlyList<UnitSummary> Units { get; private set; } = [];

    public Dictionary<string, string[]> Errors { get; private set; } = new(StringComparer.Ordinal);

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? matkhau, CancellationToken ct)
    {
        // After a reset with a code or a link the person lands here, signed in.
        if (matkhau == "moi")
        {
            Message = "Đã đặt mật khẩu mới; bạn đã đăng nhập. Lần sau hãy đăng nhập bằng mật khẩu mới.";
        }
        return await LoadAsync(ct) ? Page() : SignIn();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? currentPassword, string? newPassword, string? confirmPassword, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(newPassword) && newPassword != confirmPassword)
        {
            PasswordErrors["confirmPassword"] = ["Hai lần nhập mật khẩu mới không giống nhau."];
        }
        else
        {
            switch (await resets.ChangePasswordAsync(ParticipantAccounts.Me(User), new ChangeParticipantPasswordRequest(currentPassword, newPassword), ct))
            {
                case ResetOutcome.Ok ok:
                    await ParticipantAccounts.SignInAsync(HttpContext, ok.Profile);
                    Message = "Đã đổi mật khẩu. Các máy khác đang đăng nhập tài khoản này sẽ phải đăng nhập lại.";
                    break;
                case ResetOutcome.Invalid invalid:
                    PasswordErrors = invalid.Errors;
                    break;
                case ResetOutcome.Throttled throttled:
                    PasswordErrors["currentPassword"] = [throttled.Message];
                    break;
            }
        }
        return await LoadAsync(ct) ? Page() : SignIn();
    }

    public async Task<IActionResult> OnPostEmailAsync(string? email, CancellationToken ct)
    {
        if (await resets.SetEmailAsync(ParticipantAccounts.Me(User), email, ct) is { } errors)
        {
            EmailErrors = errors;
        }
        else
        {
            Message = string.IsNullOrWhiteSpace(email) ? "Đã xoá email lấy lại mật khẩu." : "Đã lưu email lấy lại mật khẩu.";
        }
        return await LoadAsync(ct) ? Page() : SignIn();
    }

    public string? PasswordError(string field) => PasswordErrors.TryGetValue(field, out var messages) ? messages[0] : null;

    public string? EmailError => EmailErrors.TryGetValue("email", out var messages) ? messages[0] : null;

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
        Email = await resets.EmailOfAsync(id, ct);
        History = await attempts.HistoryAsync(id, ct);
        Units = profile.IdentityLocked ? [] : await units.SearchAsync(null, UnitSearch.MaxResults, ct);
        return true;
    }

    // A cookie of an account that no longer exists: sign in again.
    private RedirectResult SignIn() => Redirect("/dang-nhap?ReturnUrl=%2Ftai-khoan");
}
