using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Pages.Contests;

public sealed class LeaderboardModel(ContestStore store, LeaderboardReader reader, ParticipantAccounts accounts) : PageModel
{
    public LeaderboardView Board { get; private set; } = null!;

    public string? MyUnitName { get; private set; }

    public int? MyUnitId { get; private set; }

    [BindProperty(SupportsGet = true)]
    public bool Unit { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, int number, CancellationToken ct)
    {
        var round = (await store.GetAsync(slug, ct))?.Rounds.FirstOrDefault(r => r.Number == number);
        if (round is null)
        {
            return NotFound();
        }
        var me = ParticipantAccounts.IdOf(User);
        if (me is { } id && await accounts.GetAsync(id, ct) is { } profile)
        {
            (MyUnitId, MyUnitName) = (profile.UnitId, profile.UnitName);
        }
        Board = (await reader.ReadAsync(round.Id, 50, Unit ? MyUnitId : null, me, ct))!;
        return Page();
    }
}
