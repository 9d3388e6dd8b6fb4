using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Units;

/// <summary><c>/api/units</c>: the units directory (đơn vị), open to anyone (registration needs it).</summary>
public static class UnitsApi
{
    /// <summary>The units directory: loaded from content/units, searched without accents.</summary>
    public static IServiceCollection AddUnits(this IServiceCollection services)
    {
        services.AddSingleton<IContentLoader, UnitsLoader>();
        services.AddSingleton<UnitSearch>();
        return services;
    }

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/units").WithTags("Units");
        group.MapGet("/", async Task<Ok<IReadOnlyList<UnitSummary>>> (string? q, int? limit, UnitSearch search, CancellationToken ct) =>
            TypedResults.Ok(await search.SearchAsync(q, limit ?? 30, ct)))
            .WithSummary("Đơn vị: tìm theo tên, không cần dấu (\"hoan kiem\" → \"Phường Hoàn Kiếm\").");
        return app;
    }
}
