using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Units;

/// <summary>The directory's problems as a ValidationProblem: one entry per column ("Dòng 3, cột …" messages), in order.</summary>
public sealed record SheetProblem(string Title, IReadOnlyList<SheetError> Errors);

/// <summary>
/// Units: the public search behind registration (<c>/api/units</c>) and the organizers' directory
/// (<c>/api/organizer/units</c>, <c>/api/organizer/contests/{contestId}/headcounts</c>), scoped to the caller's subtree.
/// </summary>
public static class UnitsApi
{
    public static IServiceCollection AddUnits(this IServiceCollection services)
    {
        services.AddSingleton<IContentLoader, UnitsLoader>();
        services.AddSingleton<UnitSearch>();
        services.AddSingleton<UnitDirectory>();
        return services;
    }

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app, RouteGroupBuilder organizerApi)
    {
        var open = app.MapGroup("/api/units").WithTags("Units");
        open.MapGet("/", async Task<Ok<IReadOnlyList<UnitSummary>>> (string? q, int? limit, UnitSearch search, CancellationToken ct) =>
            TypedResults.Ok(await search.SearchAsync(q, limit ?? 30, ct)))
            .WithSummary("Đơn vị: tìm theo tên đơn vị hoặc đơn vị cấp trên, không cần dấu (\"hoan kiem\" → \"Phường Hoàn Kiếm\" rồi các trường của phường).");

        var organizer = organizerApi.MapGroup("").WithTags("Organizer: units").RequireAuthorization(OrganizerPolicies.Contests);
        organizer.MapGet("/units", async Task<Ok<IReadOnlyList<UnitNode>>> (OrganizerScope scope, UnitDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.ListAsync(scope, ct))).WithMetadata(new NotAuditedAttribute());
        organizer.MapPost("/units", AddAsync).WithSummary("Thêm một đơn vị trực thuộc (trường, cơ quan, thôn/tổ dân phố…).");
        organizer.MapPut("/units/{unitId:int}", UpdateAsync).WithSummary("Đổi tên, loại của đơn vị trực thuộc; đặt số người thuộc diện tham gia.");
        organizer.MapPost("/units/import", ImportAsync).DisableAntiforgery()
            .WithSummary("Nhập đơn vị trực thuộc từ tệp .xlsx/.csv; có lỗi ở dòng nào thì không lưu gì và báo dòng, cột.");
        organizer.MapGet("/units/export", async Task<FileContentHttpResult> (string? format, OrganizerScope scope, UnitDirectory directory, CancellationToken ct) =>
            format == "csv"
                ? TypedResults.File(await directory.ExportAsync(scope, "csv", ct), "text/csv; charset=utf-8", "danh-muc-don-vi.csv")
                : TypedResults.File(await directory.ExportAsync(scope, "xlsx", ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "danh-muc-don-vi.xlsx"))
            .WithMetadata(new NotAuditedAttribute());
        organizer.MapGet("/contests/{contestId:long}/headcounts", async Task<Ok<IReadOnlyList<HeadcountRow>>> (long contestId, OrganizerScope scope, UnitDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.HeadcountsAsync(scope, contestId, ct))).WithMetadata(new NotAuditedAttribute());
        organizer.MapPut("/contests/{contestId:long}/headcounts", SetHeadcountsAsync)
            .WithSummary("Số người thuộc diện tham gia của từng đơn vị trong cuộc thi (null: dùng số trong danh mục).");
        return app;
    }

    public static async Task<Results<Created<UnitNode>, BadRequest<SheetProblem>, ProblemHttpResult>> AddAsync(
        SubUnitRequest request, OrganizerScope scope, UnitDirectory directory, CancellationToken ct) =>
        await directory.AddAsync(scope, request, ct) switch
        {
            DirectoryResult<UnitNode>.Ok ok => TypedResults.Created($"/api/organizer/units/{ok.Value.Id}", ok.Value),
            DirectoryResult<UnitNode>.Invalid invalid => TypedResults.BadRequest(new SheetProblem("Đơn vị chưa hợp lệ.", invalid.Errors)),
            DirectoryResult<UnitNode>.Forbidden f => TypedResults.Problem(title: f.Message, statusCode: StatusCodes.Status403Forbidden),
            _ => throw new InvalidOperationException(),
        };

    public static async Task<Results<Ok<UnitNode>, BadRequest<SheetProblem>, NotFound>> UpdateAsync(
        int unitId, UnitUpdate update, OrganizerScope scope, UnitDirectory directory, CancellationToken ct) =>
        await directory.UpdateAsync(scope, unitId, update, ct) switch
        {
            DirectoryResult<UnitNode>.Ok ok => TypedResults.Ok(ok.Value),
            DirectoryResult<UnitNode>.Invalid invalid => TypedResults.BadRequest(new SheetProblem("Đơn vị chưa hợp lệ.", invalid.Errors)),
            _ => TypedResults.NotFound(),
        };

    public static async Task<Results<Ok<ImportSummary>, BadRequest<SheetProblem>, ProblemHttpResult>> ImportAsync(
        IFormFile? file, [FromQuery] int? parentId, OrganizerScope scope, UnitDirectory directory, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.BadRequest(new SheetProblem("Chưa chọn tệp.", [new SheetError(0, "", "Chưa chọn tệp: chọn tệp .xlsx hoặc .csv theo mẫu.")]));
        }
        if (file.Length > 10 * 1024 * 1024)
        {
            return TypedResults.BadRequest(new SheetProblem("Tệp quá lớn.", [new SheetError(0, "", "Tệp lớn hơn 10 MB: tách thành nhiều tệp nhỏ hơn.")]));
        }
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream, ct);
        stream.Position = 0;
        return await directory.ImportAsync(scope, parentId, stream, file.FileName, ct) switch
        {
            DirectoryResult<ImportSummary>.Ok ok => TypedResults.Ok(ok.Value),
            DirectoryResult<ImportSummary>.Invalid invalid => TypedResults.BadRequest(new SheetProblem(
                $"Tệp có {invalid.Errors.Count} lỗi; chưa lưu đơn vị nào. Sửa các dòng được nêu rồi nhập lại.", invalid.Errors)),
            DirectoryResult<ImportSummary>.Forbidden f => TypedResults.Problem(title: f.Message, statusCode: StatusCodes.Status403Forbidden),
            _ => throw new InvalidOperationException(),
        };
    }

    public static async Task<Results<NoContent, BadRequest<SheetProblem>, ProblemHttpResult>> SetHeadcountsAsync(
        long contestId, List<HeadcountUpdate> updates, OrganizerScope scope, UnitDirectory directory, CancellationToken ct) =>
        await directory.SetHeadcountsAsync(scope, contestId, updates, ct) switch
        {
            DirectoryResult<int>.Ok => TypedResults.NoContent(),
            DirectoryResult<int>.Invalid invalid => TypedResults.BadRequest(new SheetProblem("Số người chưa hợp lệ.", invalid.Errors)),
            DirectoryResult<int>.Forbidden f => TypedResults.Problem(title: f.Message, statusCode: StatusCodes.Status403Forbidden),
            _ => throw new InvalidOperationException(),
        };
}
