using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Certificates;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.UnitRankings;

public sealed record UnitFiguresView(long ContestId, int? UnitId, IReadOnlyList<UnitFigure> Figures, IReadOnlyList<ParticipationDay> OverTime);

public sealed record PublicUnitRow(int Rank, int UnitId, string UnitCode, string UnitName, int? Headcount, int Participants, double? Rate,
    double? AverageScore, string? PrizeName);

/// <summary>What the public contest page shows: the ranking now (or the published one, with prizes), top units by rate, daily participation.</summary>
public sealed record PublicUnitsView(string ContestSlug, string ContestName, string RuleText, bool Published, IReadOnlyList<PublicUnitRow> Ranking,
    IReadOnlyList<PublicUnitRow> TopByRate, IReadOnlyList<ParticipationDay> OverTime);

public static class UnitRankingsModule
{
    public static IServiceCollection AddUnitRankings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CertificateOptions>().Bind(configuration.GetSection(CertificateOptions.Section)).ValidateDataAnnotations()
            .Validate(o => CertificateOptions.FontsPresent(o) is null, "Certificates:FontFolder lacks DejaVuSans.ttf / DejaVuSans-Bold.ttf: "
                + "apt-get install fonts-dejavu-core, or set Certificates__FontFolder to a folder that has them.")
            .ValidateOnStart();
        services.AddSingleton<UnitFigures>();
        services.AddSingleton<KnowledgeMap>();
        services.AddSingleton<ItemAnalysis>();
        services.AddSingleton<CollectiveRanking>();
        services.AddSingleton<UnitReport>();
        services.AddSingleton<CertificateStore>();
        services.AddSingleton<UnitPages>();
        return services;
    }

    public static IEndpointRouteBuilder MapUnitRankings(this IEndpointRouteBuilder app, RouteGroupBuilder organizerApi)
    {
        var organizer = organizerApi.MapGroup("/unit-rankings").WithTags("Organizer: units");
        // Endpoints with ownSubtree read a contest through the caller's subtree only, so a ward's organizer reaches the
        // city's contest too (its people take part in it).
        var ownSubtree = new ReadsOwnSubtreeOfContestAttribute();
        organizer.MapGet("/contests/{contestId:long}/figures", FiguresAsync).WithMetadata(ownSubtree)
            .WithSummary("Số người tham gia, lượt thi, tỷ lệ, điểm trung bình, điểm tối đa, người đoạt giải: theo đơn vị (cộng dồn cây) và tuần.");
        organizer.MapGet("/contests/{contestId:long}/knowledge-map", KnowledgeMapAsync).WithMetadata(ownSubtree)
            .WithSummary("Tỷ lệ trả lời đúng theo đơn vị × quan điểm (1–5) và nhiệm vụ (1–7), với số câu trả lời của mỗi ô.");
        organizer.MapGet("/contests/{contestId:long}/item-analysis", ItemAnalysisAsync).WithMetadata(ownSubtree)
            .WithSummary("Phân tích câu hỏi: độ khó, độ phân biệt, nghi đáp án sai.");
        organizer.MapGet("/contests/{contestId:long}/report.xlsx", ReportAsync).WithMetadata(ownSubtree)
            .WithSummary("Báo cáo sơ kết/tổng kết (XLSX) của một đơn vị (unitId) hoặc toàn thành phố.");
        organizer.MapGet("/contests/{contestId:long}/ranking", ReviewAsync);
        organizer.MapPut("/contests/{contestId:long}/ranking/settings", SaveSettingsAsync);
        organizer.MapPost("/contests/{contestId:long}/ranking/compute", ComputeAsync);
        organizer.MapPost("/contests/{contestId:long}/ranking/publish", PublishAsync);
        organizer.MapGet("/contests/{contestId:long}/units/{unitId:int}/certificate.pdf", CollectiveCertificateAsync).WithMetadata(ownSubtree)
            .WithSummary("Giấy chứng nhận giải tập thể (PDF), sau khi công bố.");
        organizer.MapGet("/rounds/{roundId:long}/participants/{participantId:long}/certificate.pdf", IndividualCertificateAsync).WithMetadata(ownSubtree)
            .WithSummary("Giấy chứng nhận giải cá nhân (PDF), sau khi công bố kết quả tuần thi.");

        app.MapGet("/api/contests/{slug}/units", async Task<Results<Ok<PublicUnitsView>, NotFound>> (string slug, UnitPages pages, CancellationToken ct) =>
            await pages.PublicAsync(slug, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithTags("Contests").WithSummary("Xếp hạng tập thể và mức tham gia của các đơn vị (công khai).");
        app.MapGet("/api/certificates/{code}", async Task<Results<Ok<CertificateCheck>, NotFound>> (string code, CertificateStore store, CancellationToken ct) =>
            await store.CheckAsync(code, ct) is { } check ? TypedResults.Ok(check) : TypedResults.NotFound())
            .WithTags("Contests").WithSummary("Xác thực giấy chứng nhận theo mã.");
        return app;
    }

    /// <summary>
    /// The subtree a request may read: the caller's own (<see cref="OrganizerScope"/>), narrowed to <paramref name="unitId"/>
    /// when given. Null (→ 404) when that unit lies outside the caller's subtree: another unit's data does not exist for them.
    /// </summary>
    public static async Task<UnitScope?> ResolveScopeAsync(OrganizerScope caller, int? unitId, ScopeGuard guard, CancellationToken ct) =>
        unitId is not { } id ? UnitScope.Of(caller)
        : await guard.UnitAsync(caller, id, ct) ? new UnitScope(id)
        : null;

    /// <summary>Collective prizes are the city's to set, compute and publish.</summary>
    public static bool IsCityWide(OrganizerScope caller) => caller.SeesEverything;

    public static async Task<Results<Ok<UnitFiguresView>, NotFound>> FiguresAsync(long contestId, int? unitId, OrganizerScope caller,
        ScopeGuard guard, ContestStore contests, UnitFigures figures, CancellationToken ct)
    {
        if (await contests.GetAsync(contestId, ct) is null || await ResolveScopeAsync(caller, unitId, guard, ct) is not { } scope)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new UnitFiguresView(contestId, scope.RootUnitId, await figures.FiguresAsync(contestId, scope, ct),
            await figures.OverTimeAsync(contestId, scope, ct)));
    }

    public static async Task<Results<Ok<KnowledgeMapView>, NotFound>> KnowledgeMapAsync(long contestId, int? unitId, int? minAnswers, OrganizerScope caller,
        ScopeGuard guard, ContestStore contests, KnowledgeMap map, CancellationToken ct)
    {
        if (await contests.GetAsync(contestId, ct) is null || await ResolveScopeAsync(caller, unitId, guard, ct) is not { } scope)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await map.ReadAsync(contestId, scope, Math.Clamp(minAnswers ?? KnowledgeMap.DefaultMinAnswers, 1, 100_000), ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<ItemStatistics>>, NotFound>> ItemAnalysisAsync(long contestId, int? unitId, OrganizerScope caller,
        ScopeGuard guard, ContestStore contests, ItemAnalysis analysis, CancellationToken ct)
    {
        if (await contests.GetAsync(contestId, ct) is null || await ResolveScopeAsync(caller, unitId, guard, ct) is not { } scope)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await analysis.ReadAsync(contestId, scope, ct));
    }

    /// <summary>The report names winners (personal data): the organizer group's audit filter writes who downloaded which one.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> ReportAsync(long contestId, int? unitId, OrganizerScope caller,
        ScopeGuard guard, ContestStore contests, UnitReport report, CancellationToken ct)
    {
        if (await contests.GetAsync(contestId, ct) is not { } contest || await ResolveScopeAsync(caller, unitId, guard, ct) is not { } scope)
        {
            return TypedResults.NotFound();
        }
        var name = $"{contest.Slug}-bao-cao-{(scope.RootUnitId is { } id ? "don-vi-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "toan-thanh-pho")}.xlsx";
        return TypedResults.File(await report.XlsxAsync(contestId, scope.RootUnitId, ct),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    public static async Task<Results<Ok<UnitRankingView>, NotFound>> ReviewAsync(long contestId, ContestStore contests, CollectiveRanking ranking, CancellationToken ct) =>
        await contests.GetAsync(contestId, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await ranking.ReviewAsync(contestId, ct));

    public static async Task<Results<Ok<UnitRankingView>, ValidationProblem, ProblemHttpResult, NotFound>> SaveSettingsAsync(
        long contestId, UnitRankingSettingsRequest request, OrganizerScope caller, CollectiveRanking ranking, CancellationToken ct) =>
        IsCityWide(caller) ? ContestsApi.Updated(await ranking.SaveSettingsAsync(contestId, request, ct)) : Forbidden();

    public static async Task<Results<Ok<UnitRankingView>, ValidationProblem, ProblemHttpResult, NotFound>> ComputeAsync(
        long contestId, OrganizerScope caller, CollectiveRanking ranking, CancellationToken ct) =>
        IsCityWide(caller) ? ContestsApi.Updated(await ranking.ComputeAsync(contestId, ct)) : Forbidden();

    public static async Task<Results<Ok<UnitRankingView>, ValidationProblem, ProblemHttpResult, NotFound>> PublishAsync(
        long contestId, OrganizerScope caller, CollectiveRanking ranking, CancellationToken ct) =>
        IsCityWide(caller) ? ContestsApi.Updated(await ranking.PublishAsync(contestId, ct)) : Forbidden();

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(title: "Chỉ ban tổ chức cấp thành phố được thiết lập, tính và công bố giải tập thể.", statusCode: StatusCodes.Status403Forbidden);

    public static async Task<Results<FileContentHttpResult, NotFound>> CollectiveCertificateAsync(long contestId, int unitId, OrganizerScope caller,
        HttpRequest http, IOptions<CertificateOptions> fonts, CertificateStore store, CancellationToken ct) =>
        await store.IssueCollectiveAsync(contestId, unitId, UnitScope.Of(caller), ct) is { } certificate
            ? Pdf(certificate, http, fonts.Value) : TypedResults.NotFound();

    public static async Task<Results<FileContentHttpResult, NotFound>> IndividualCertificateAsync(long roundId, long participantId, OrganizerScope caller,
        HttpRequest http, IOptions<CertificateOptions> fonts, CertificateStore store, CancellationToken ct) =>
        await store.IssueIndividualAsync(roundId, participantId, UnitScope.Of(caller), ct) is { } certificate
            ? Pdf(certificate, http, fonts.Value) : TypedResults.NotFound();

    private static FileContentHttpResult Pdf(Certificate certificate, HttpRequest http, CertificateOptions fonts)
    {
        CertificateFonts.Install(fonts.FontFolder);
        var url = $"{http.Scheme}://{http.Host}/chung-nhan/{certificate.Code}";
        return TypedResults.File(CertificatePdf.Render(certificate, url), "application/pdf", $"chung-nhan-{certificate.Code}.pdf");
    }

    public static string Percent(double? rate) => UnitRanking.Percent(rate);
}
