using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Organizer.Units;

/// <summary>Danh mục đơn vị: the organizer's subtree, adding one sub-unit, importing a sheet, exporting.</summary>
public sealed class IndexModel(UnitDirectory directory, ContestStore contests) : PageModel
{
    public IReadOnlyList<UnitNode> Units { get; private set; } = [];
    public IReadOnlyList<ContestView> Contests { get; private set; } = [];
    public IReadOnlyList<SheetError> Errors { get; private set; } = [];
    public string? Message { get; private set; }

    [BindProperty]
    public AddForm Add { get; set; } = new();

    public sealed class AddForm
    {
        public int? ParentId { get; set; }
        public string? Name { get; set; }
        public string Kind { get; set; } = UnitKinds.School;
        public int? Headcount { get; set; }
    }

    public int MinDepth => Units.Count == 0 ? 0 : Units.Min(u => u.Depth);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var result = await directory.AddAsync(OrganizerScope.From(User), new SubUnitRequest(Add.ParentId, Add.Name, Add.Kind, null, Add.Headcount), ct);
        (Errors, Message) = result switch
        {
            DirectoryResult<UnitNode>.Ok ok => ((IReadOnlyList<SheetError>)[], $"Đã thêm {ok.Value.Label}."),
            DirectoryResult<UnitNode>.Invalid invalid => (invalid.Errors, (string?)null),
            DirectoryResult<UnitNode>.Forbidden f => ([new SheetError(0, "", f.Message)], (string?)null),
            _ => throw new InvalidOperationException(),
        };
        if (Errors.Count == 0)
        {
            Add = new() { ParentId = Add.ParentId, Kind = Add.Kind };
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, int? importParentId, CancellationToken ct)
    {
        if (file is null || file.Length == 0 || file.Length > 10 * 1024 * 1024)
        {
            Errors = [new SheetError(0, "", file is null || file.Length == 0 ? "Chưa chọn tệp: chọn tệp .xlsx hoặc .csv theo mẫu rồi bấm Nhập." : "Tệp lớn hơn 10 MB: tách thành nhiều tệp nhỏ hơn.")];
        }
        else
        {
            await using var stream = file.OpenReadStream();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            copy.Position = 0;
            (Errors, Message) = await directory.ImportAsync(OrganizerScope.From(User), importParentId, copy, file.FileName, ct) switch
            {
                DirectoryResult<ImportSummary>.Ok ok => ((IReadOnlyList<SheetError>)[], $"Đã nhập: {ok.Value.Added} đơn vị mới, {ok.Value.Updated} đơn vị sửa, {ok.Value.Unchanged} đơn vị không đổi."),
                DirectoryResult<ImportSummary>.Invalid invalid => (invalid.Errors, $"Tệp có {invalid.Errors.Count} lỗi; chưa lưu đơn vị nào. Sửa các dòng dưới đây rồi nhập lại."),
                DirectoryResult<ImportSummary>.Forbidden f => ([new SheetError(0, "", f.Message)], (string?)null),
                _ => throw new InvalidOperationException(),
            };
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var scope = OrganizerScope.From(User);
        Units = await directory.ListAsync(scope, ct);
        Contests = await contests.ListAsync(scope, ct);
    }
}
