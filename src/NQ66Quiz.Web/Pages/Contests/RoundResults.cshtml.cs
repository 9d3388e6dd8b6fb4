using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Infrastructure;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Pages.Contests;

public sealed class RoundResultsModel(ContestStore store, RoundResults results) : PageModel
{
    public PublicResults Results { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, int number, CancellationToken ct)
    {
        var round = (await store.GetAsync(slug, ct))?.Rounds.FirstOrDefault(r => r.Number == number);
        if (round is null)
        {
            return this.ErrorPage(StatusCodes.Status404NotFound, "Không tìm thấy tuần thi", "Cuộc thi này không có tuần thi số " + number + ".",
                "/cuoc-thi", "Xem các cuộc thi");
        }
        if (await results.PublishedAsync(round.Id, ct) is not { } published)
        {
            return this.ErrorPage(StatusCodes.Status404NotFound, "Kết quả chưa được công bố",
                $"Ban tổ chức chưa công bố kết quả tuần thi {number} của cuộc thi “{round.ContestName}”. Kết quả sẽ hiện ở đây sau khi được công bố; "
                + "trong lúc chờ, bạn có thể xem bảng xếp hạng.", $"/cuoc-thi/{slug}/tuan/{number}/xep-hang", "Xem bảng xếp hạng");
        }
        Results = published;
        return Page();
    }
}
