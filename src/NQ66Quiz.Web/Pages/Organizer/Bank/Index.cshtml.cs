using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Web.Pages.Organizer.Bank;

/// <summary>The bank: filter by viewpoint/task/topic/difficulty/text, export, and import a spreadsheet.</summary>
public sealed class IndexModel(BankStore store) : PageModel
{
    private const long MaxUploadBytes = 10 * 1024 * 1024;

    [BindProperty(SupportsGet = true)] public int? Viewpoint { get; set; }
    [BindProperty(SupportsGet = true)] public int? Task { get; set; }
    [BindProperty(SupportsGet = true)] public string? Topic { get; set; }
    [BindProperty(SupportsGet = true)] public string? Difficulty { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string Status { get; set; } = "active";
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public BankPage List { get; private set; } = new([], 0);
    public IReadOnlyList<BankIssue> ImportErrors { get; private set; } = [];
    public string? ImportMessage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            ImportErrors = [new BankIssue("", 1, 1, "Chưa chọn tệp: chọn tệp .xlsx theo mẫu (nút \"Tải Excel\") rồi bấm Nhập.")];
        }
        else if (file.Length > MaxUploadBytes)
        {
            ImportErrors = [new BankIssue(file.FileName, 1, 1, "Tệp lớn hơn 10 MB: tách thành nhiều tệp nhỏ hơn.")];
        }
        else
        {
            await using var stream = new MemoryStream();
            await file.CopyToAsync(stream, ct);
            stream.Position = 0;
            var sheet = BankXlsx.Read(stream, Path.GetFileName(file.FileName));
            if (!sheet.Ok)
            {
                ImportErrors = sheet.Errors;
            }
            else
            {
                var summary = await store.ImportSheetAsync(sheet, Path.GetFileName(file.FileName), ct);
                ImportMessage = $"Đã nhập {sheet.Questions.Count} câu hỏi: {summary.Added} câu mới, {summary.Updated} câu có phiên bản mới, {summary.Unchanged} câu không đổi.";
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Status = Status is "retired" or "all" ? Status : "active";
        PageNumber = Math.Max(PageNumber, 1);
        List = await store.ListAsync(new BankFilter(Viewpoint, Task, Topic, Difficulty, Q, Status, PageNumber), ct);
    }

    public int PageCount => (int)Math.Max(1, (List.Total + BankFilter.PageSize - 1) / BankFilter.PageSize);

    public string PageUrl(int page) => Url.Page("Index", new { Viewpoint, Task, Topic, Difficulty, Q, Status, p = page })!;
}
