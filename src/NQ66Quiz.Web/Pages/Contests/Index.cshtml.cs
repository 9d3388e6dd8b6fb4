using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Pages.Contests;

[AllowAnonymous]
public sealed class IndexModel(ContestStore store, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ContestView> Contests { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Contests = [.. (await store.ListAsync(ct)).Where(c => c.Rounds.Count > 0)];
    }
}
