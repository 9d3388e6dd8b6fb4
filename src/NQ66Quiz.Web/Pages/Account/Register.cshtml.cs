using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Units;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages.Account;

[EnableRateLimiting(RateLimits.Registration)]
[AllowAnonymous]
public sealed class RegisterModel(ParticipantAccounts accounts, UnitSearch units) : PageModel
{
    [BindProperty]
    public RegisterForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public Dictionary<string, string[]> Errors { get; private set; } = new(StringComparer.Ordinal);

    public IReadOnlyList<UnitSummary> Units { get; private set; } = [];

    public sealed class RegisterForm
    {
        public string? FullName { get; set; }
        public string? DateOfBirth { get; set; }
        public string? Phone { get; set; }
        public string? NationalId { get; set; }
        public int? UnitId { get; set; }
        public string? ParticipantType { get; set; }
        public string? Password { get; set; }
        public bool ConsentParticipation { get; set; }
        public bool ConsentPublishIfWinner { get; set; }
        public string? GuardianName { get; set; }
        public bool GuardianConsent { get; set; }
        public string? GuardianRelationship { get; set; }
        public bool ConsentContact { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct) => Units = await units.SearchAsync(null, UnitSearch.MaxResults, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Form;
        var result = await accounts.RegisterAsync(new RegisterRequest(f.FullName, f.DateOfBirth, f.Phone, f.NationalId, f.UnitId, f.ParticipantType,
            f.Password, f.ConsentParticipation, f.ConsentPublishIfWinner, f.GuardianName, f.GuardianConsent, f.ConsentContact, f.GuardianRelationship), ct);
        if (result is AccountResult.Ok ok)
        {
            await ParticipantAccounts.SignInAsync(HttpContext, ok.Profile);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/cuoc-thi");
        }
        Errors = ((AccountResult.Invalid)result).Errors;
        Units = await units.SearchAsync(null, UnitSearch.MaxResults, ct);
        return Page();
    }

    /// <summary>A date sent back into the form as it is typed there (dd/mm/yyyy), whatever form it came in.</summary>
    public static string? ShownDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)
            : value;

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;
}
