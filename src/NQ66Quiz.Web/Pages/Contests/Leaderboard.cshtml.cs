using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Infrastructure;
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

    public bool Unavailable { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, int number, CancellationToken ct)
    {
        var round = (await store.GetAsync(slug, ct))?.Rounds.FirstOrDefault(r => r.Number == number);
        if (round is null)
        {
            return this.ErrorPage(StatusCodes.Status404NotFound, "Không tìm thấy tuần thi", "Cuộc thi này không có tuần thi số " + number + ".",
                "/cuoc-thi", "Xem các cuộc thi");
        }
        var me = ParticipantAccounts.IdOf(User);
        if (me is { } id && await accounts.GetAsync(id, ct) is { } profile)
        {
            (MyUnitId, MyUnitName) = (profile.UnitId, profile.UnitName);
        }
        try
        {
            Board = (await reader.ReadAsync(round.Id, 50, Unit ? MyUnitId : null, me, ct))!;
        }
        catch (Exception e) when (LeaderboardUnavailableException.Is(e))
        {
            Unavailable = true;
            Board = new LeaderboardView(round.Id, round.Number, round.ContestSlug, round.ContestName, "live", null, 0, [], null);
        }
        return Page();
    }
}
