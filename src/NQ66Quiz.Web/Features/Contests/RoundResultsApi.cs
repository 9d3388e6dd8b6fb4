using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>Organizer actions on a round's results (mapped inside the organizer group) and the public results.</summary>
public static class RoundResultsApi
{
    public static void MapOrganizer(RouteGroupBuilder organizer)
    {
        organizer.MapGet("/rounds/{roundId:long}/results", async Task<Results<Ok<RoundResultsView>, NotFound>> (long roundId, int? limit, RoundResults results, CancellationToken ct) =>
            await results.ReviewAsync(roundId, Math.Clamp(limit ?? 200, 1, 5000), ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());
        organizer.MapPost("/rounds/{roundId:long}/close", async (long roundId, RoundClose close, CancellationToken ct) =>
            ContestsApi.ToHttp(await close.CloseAsync(roundId, recompute: true, ct: ct)))
            .WithSummary("Tính (lại) kết quả tuần thi sau giờ đóng: giá trị thực của câu dự đoán, xếp hạng, giải. Không được sau khi đã công bố.");
        organizer.MapPost("/rounds/{roundId:long}/publish", async (long roundId, RoundResults results, CancellationToken ct) =>
            ContestsApi.ToHttp(await results.PublishAsync(roundId, ct)));
        organizer.MapGet("/rounds/{roundId:long}/export", ExportAsync)
            .WithSummary("Xuất kết quả: format=xlsx|csv, scope=winners|all.");
        organizer.MapPost("/leaderboards/rebuild", async (LeaderboardRebuild rebuild, CancellationToken ct) => TypedResults.Ok(await rebuild.RebuildAllAsync(ct)))
            .RequireAuthorization(Organizers.OrganizerPolicies.Admin)
            .WithSummary("Dựng lại mọi bảng xếp hạng Redis từ PostgreSQL (hoán đổi nguyên khối).");
    }

    public static void MapPublic(IEndpointRouteBuilder app) =>
        app.MapGet("/api/rounds/{roundId:long}/results", async Task<Results<Ok<PublicResults>, NotFound>> (long roundId, RoundResults results, CancellationToken ct) =>
            await results.PublishedAsync(roundId, ct) is { } published ? TypedResults.Ok(published) : TypedResults.NotFound())
            .WithTags("Contests").WithSummary("Kết quả đã công bố của tuần thi: người đoạt giải (tên viết tắt) và thống kê.");

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult, NotFound>> ExportAsync(
        long roundId, string? format, string? scope, ContestStore store, RoundResults results, CancellationToken ct)
    {
        var round = await store.GetRoundAsync(roundId, ct);
        if (round is null)
        {
            return TypedResults.NotFound();
        }
        if (round.ClosedAt is null)
        {
            return TypedResults.Problem(title: "Tuần thi chưa tổng hợp kết quả nên chưa có gì để xuất.", statusCode: StatusCodes.Status409Conflict);
        }
        var winners = scope != "all";
        var rows = await results.RowsAsync(roundId, winners, ct: ct);
        var name = $"{round.ContestSlug}-tuan-{round.Number}-{(winners ? "nguoi-doat-giai" : "ket-qua")}";
        return format == "csv"
            ? TypedResults.File(ResultsExport.Csv(rows), "text/csv; charset=utf-8", name + ".csv")
            : TypedResults.File(await ResultsExport.XlsxAsync(rows, winners ? "Người đoạt giải" : "Kết quả", ct),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }
}
