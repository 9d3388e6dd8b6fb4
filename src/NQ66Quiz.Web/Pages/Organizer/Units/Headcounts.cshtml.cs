using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Organizer.Units;

/// <summary>Số người thuộc diện tham gia of each unit for one contest (empty: the directory's figure counts).</summary>
public sealed class HeadcountsModel(UnitDirectory directory, ContestStore contests) : PageModel
{
    public ContestView Contest { get; private set; } = null!;
    public IReadOnlyList<HeadcountRow> Rows { get; private set; } = [];
    public List<string> Errors { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long contestId, CancellationToken ct) => await LoadAsync(contestId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long contestId, CancellationToken ct)
    {
        if (!await LoadAsync(contestId, ct))
        {
            return NotFound();
        }
        var updates = new List<HeadcountUpdate>();
        foreach (var row in Rows)
        {
            var text = Request.Form[$"h{row.UnitId}"].ToString().Trim();
            int? value = text.Length == 0 ? null : UnitsSheet.ParseHeadcount(text);
            if (text.Length > 0 && value is null)
            {
                Errors.Add($"{row.UnitName}: \"{text}\" không phải số người; ghi số nguyên không âm.");
            }
            else if (value != row.ContestHeadcount)
            {
                updates.Add(new HeadcountUpdate(row.UnitId, value));
            }
        }
        if (Errors.Count == 0 && updates.Count > 0)
        {
            var result = await directory.SetHeadcountsAsync(OrganizerScope.From(User), contestId, updates, ct);
            if (result is DirectoryResult<int>.Forbidden f)
            {
                Errors.Add(f.Message);
            }
            else
            {
                Message = $"Đã lưu số người của {updates.Count.ToString(CultureInfo.InvariantCulture)} đơn vị.";
                await LoadAsync(contestId, ct);
            }
        }
        return Page();
    }

    private async Task<bool> LoadAsync(long contestId, CancellationToken ct)
    {
        if (await contests.GetAsync(contestId, ct) is not { } contest)
        {
            return false;
        }
        Contest = contest;
        Rows = await directory.HeadcountsAsync(OrganizerScope.From(User), contestId, ct);
        return true;
    }
}
