using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Infrastructure;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Pages.Contests;

public sealed class ResultModel(AttemptQueries queries) : PageModel
{
    public AttemptResult Result { get; private set; } = null!;

    /// <summary>The attempt page sends the participant here with <c>?het-gio=1</c> when it submitted for them at the deadline.</summary>
    public bool TimeRanOut => Request.Query["het-gio"] == "1";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var me = ParticipantAccounts.Me(User);
        if (await queries.ResultAsync(me, id, ct) is { } result)
        {
            Result = result;
            return Page();
        }
        var (exists, _) = await queries.StatusAsync(me, id, ct);
        return exists ? Redirect($"/cuoc-thi/luot-thi/{id}") : NotMine();
    }

    private IActionResult NotMine() => this.ErrorPage(StatusCodes.Status404NotFound, "Không tìm thấy lượt thi", "Lượt thi này không có trong tài khoản bạn đang đăng nhập. Các lượt thi của bạn được liệt kê ở trang Tài khoản.", "/tai-khoan", "Xem các lượt thi của tôi");
}
