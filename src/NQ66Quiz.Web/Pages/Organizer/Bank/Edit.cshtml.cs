using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Web.Pages.Organizer.Bank;

/// <summary>One question: its Markdown with a live preview and the validator's messages; save = new version; retire/restore.</summary>
public sealed class EditModel(BankStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty] public string Markdown { get; set; } = "";

    public BankQuestion Question { get; private set; } = null!;
    public IReadOnlyList<BankVersionRow> Versions { get; private set; } = [];
    public BankCheckResult Check { get; private set; } = null!;
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        Markdown = Question.Markdown;
        Check = BankStore.CheckEdit(Id, Markdown);
        Message = TempData["bank-message"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await store.SaveAsync(Id, Markdown ?? "", ct);
        switch (result.Outcome)
        {
            case SaveOutcome.NotFound:
                return NotFound();
            case SaveOutcome.Invalid:
                await LoadAsync(ct);
                Check = result.Check!;
                Message = null;
                return Page();
            default:
                TempData["bank-message"] = result.Outcome == SaveOutcome.NewVersion
                    ? $"Đã lưu phiên bản {result.Version}. Các lượt thi trước vẫn giữ phiên bản đã hiện."
                    : "Không có thay đổi nên không tạo phiên bản mới.";
                return RedirectToPage("Edit", new { Id });
        }
    }

    public async Task<IActionResult> OnPostRetireAsync(CancellationToken ct)
    {
        TempData["bank-message"] = await store.RetireAsync(Id, ct)
            ? "Đã bỏ câu hỏi: cuộc thi và luyện tập không rút câu này nữa; các lượt thi trước vẫn giữ nguyên."
            : "Câu hỏi đã ở trạng thái bỏ.";
        return RedirectToPage("Edit", new { Id });
    }

    public async Task<IActionResult> OnPostRestoreAsync(CancellationToken ct)
    {
        TempData["bank-message"] = await store.RestoreAsync(Id, ct)
            ? "Đã dùng lại câu hỏi."
            : "Câu hỏi đang được dùng.";
        return RedirectToPage("Edit", new { Id });
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var question = await store.GetAsync(Id, ct);
        if (question is null)
        {
            return false;
        }
        Question = question;
        Versions = await store.VersionsAsync(Id, ct);
        return true;
    }
}
