using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Pages.Contests;

public sealed class ResultModel(AttemptQueries queries) : PageModel
{
    public AttemptResult Result { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var me = ParticipantAccounts.Me(User);
        if (await queries.ResultAsync(me, id, ct) is { } result)
        {
            Result = result;
            return Page();
        }
        var (exists, _) = await queries.StatusAsync(me, id, ct);
        return exists ? Redirect($"/cuoc-thi/luot-thi/{id}") : NotFound();
    }
}
