using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Portal;

namespace NQ66Quiz.Web.Pages;

[AllowAnonymous]
public sealed class IndexModel(HomeRounds rounds) : PageModel
{
    public IReadOnlyList<HomeRound> Rounds { get; private set; } = [];

    public bool SignedIn => ParticipantAccounts.IdOf(User) is not null;

    public async Task OnGetAsync(CancellationToken ct) => Rounds = await rounds.ListAsync(ct);
}
