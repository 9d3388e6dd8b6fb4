using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages.Contests;

/// <summary>
/// Taking an attempt. The page works without JavaScript (the form posts every answer with the submission); the page
/// script saves each answer as it is chosen, runs the countdown and the navigator, and submits at the deadline.
/// </summary>
[EnableRateLimiting(RateLimits.Answers)]
public sealed class AttemptModel(AttemptQueries queries, AttemptSubmit submit) : PageModel
{
    public AttemptPaper Paper { get; private set; } = null!;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var me = ParticipantAccounts.Me(User);
        if (await queries.PaperAsync(me, id, ct) is not { } paper)
        {
            return NotMine();
        }
        if (paper.Status != AttemptStatus.InProgress)
        {
            return Redirect($"/cuoc-thi/luot-thi/{id}/ket-qua");
        }
        Paper = paper;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, int? prediction, CancellationToken ct)
    {
        var me = ParticipantAccounts.Me(User);
        var answers = Request.Form.Keys
            .Where(k => k.StartsWith('q') && int.TryParse(k.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(k => new AnswerRequest(int.Parse(k.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture),
                [.. Request.Form[k].Select(v => int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1)]))
            .ToList();
        var outcome = await submit.SubmitAsync(me, id, new SubmitRequest(prediction, answers), ct);
        if (outcome is Outcome<AttemptResult>.Failed { Status: StatusCodes.Status400BadRequest } invalid)
        {
            Error = invalid.Message;
            Paper = (await queries.PaperAsync(me, id, ct))!;
            return Paper is null ? NotMine() : Page();
        }
        return outcome is Outcome<AttemptResult>.Failed { Status: StatusCodes.Status404NotFound } ? NotMine() : Redirect($"/cuoc-thi/luot-thi/{id}/ket-qua");
    }

    private IActionResult NotMine() => this.ErrorPage(StatusCodes.Status404NotFound, "Không tìm thấy lượt thi", "Lượt thi này không có trong tài khoản bạn đang đăng nhập. Các lượt thi của bạn được liệt kê ở trang Tài khoản.", "/tai-khoan", "Xem các lượt thi của tôi");
}
