using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Organizer.Accounts;

/// <summary>Tài khoản ban tổ chức: who has which role over which unit, invitations, disabling (city admins only).</summary>
[AuditReads]
public sealed class IndexModel(OrganizerAccounts accounts, UnitDirectory directory, TimeProvider clock) : PageModel
{
    public IReadOnlyList<OrganizerAccount> Accounts { get; private set; } = [];
    public IReadOnlyList<InvitationView> Invitations { get; private set; } = [];
    public IReadOnlyList<UnitNode> Units { get; private set; } = [];
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public InvitationCreated? Created { get; private set; }
    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public InviteForm Invite { get; set; } = new();

    public sealed class InviteForm
    {
        public string? Email { get; set; }
        public string? Name { get; set; }
        public string Role { get; set; } = OrganizerRoles.UnitOrganizer;
        public int? UnitId { get; set; }
    }

    public string? Error(string field) => Errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var result = await accounts.InviteAsync(OrganizerScope.From(User).AccountId, new InviteRequest(Invite.Email ?? "", Invite.Name ?? "", Invite.Role, Invite.UnitId), ct);
        if (result is AccountOutcome<InvitationCreated>.Ok ok)
        {
            Created = ok.Value;
            Invite = new();
        }
        else if (result is AccountOutcome<InvitationCreated>.Invalid invalid)
        {
            Errors = invalid.Errors;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(long id, bool disable, CancellationToken ct)
    {
        if (id == OrganizerScope.From(User).AccountId)
        {
            Errors = new Dictionary<string, string[]> { ["account"] = ["Không tự khoá tài khoản của mình được."] };
        }
        else
        {
            await accounts.SetDisabledAsync(id, disable, ct);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Accounts = await accounts.ListAsync(ct);
        Invitations = await accounts.InvitationsAsync(ct);
        Units = await directory.ListAsync(OrganizerScope.From(User), ct);
    }
}
