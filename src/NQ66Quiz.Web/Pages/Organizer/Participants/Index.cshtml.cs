using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Pages.Organizer.Participants;

/// <summary>Find a participant of the organizer's unit subtree and issue a one-time password reset code (shown once).</summary>
[AuditReads]
[Authorize(Policy = OrganizerPolicies.Contests)]
public sealed class IndexModel(PasswordResets resets) : PageModel
{
    public string? Q { get; private set; }

    public IReadOnlyList<ParticipantLookup> Results { get; private set; } = [];

    public ResetCodeIssued? Issued { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? q, CancellationToken ct) => await SearchAsync(q, ct);

    public async Task<IActionResult> OnPostIssueAsync(long participantId, bool identityChecked, string? q, CancellationToken ct)
    {
        // The code is a secret on this page: never cached, never compressed next to what a visitor typed.
        Response.Headers.CacheControl = "no-store";
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpsCompressionFeature>() is { } compression)
        {
            compression.Mode = Microsoft.AspNetCore.Http.Features.HttpsCompressionMode.DoNotCompress;
        }
        if (!identityChecked)
        {
            Problem = "Hãy đối chiếu giấy tờ tùy thân của người dự thi và đánh dấu ô xác nhận trước khi cấp mã.";
        }
        else if (await resets.IssueCodeAsync(OrganizerScope.From(User), participantId, HttpContext.Connection.RemoteIpAddress, ct) is { } issued)
        {
            Issued = issued;
        }
        else
        {
            return NotFound();
        }
        await SearchAsync(q, ct);
        return Page();
    }

    private async Task SearchAsync(string? q, CancellationToken ct)
    {
        Q = string.IsNullOrWhiteSpace(q) ? null : VietnameseText.Clean(q);
        Results = Q is null ? [] : await resets.SearchAsync(OrganizerScope.From(User), Q, ct);
    }
}
