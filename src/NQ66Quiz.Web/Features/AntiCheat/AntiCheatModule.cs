using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.AntiCheat;

/// <summary>Anti-cheat flags for review (gian lận cần xem lại): what attempt start records, and what organizers read.</summary>
public static class AntiCheatModule
{
    public static IServiceCollection AddAntiCheat(this IServiceCollection services)
    {
        services.AddSingleton<CheatFlags>();
        return services;
    }

    public static IEndpointRouteBuilder MapAntiCheat(this IEndpointRouteBuilder app, RouteGroupBuilder organizerApi)
    {
        // In the organizer group: {roundId} goes through its scope filter; the list names people, so its reads are audited.
        organizerApi.MapGet("/rounds/{roundId:long}/flags", FlagsAsync)
            .RequireAuthorization(Organizers.OrganizerPolicies.Contests).WithTags("Organizer: contests")
            .WithSummary("Lượt thi cần xem lại trước khi công bố: trả lời nhanh hơn tốc độ đọc, nhiều tài khoản trên một thiết bị hoặc một mạng, "
                + "bài làm giống hệt. Chỉ để xem xét, không tự động loại.");
        return app;
    }

    public static async Task<Results<Ok<RoundFlags>, NotFound>> FlagsAsync(long roundId, ContestStore store, CheatFlags flags, CancellationToken ct) =>
        await store.GetRoundAsync(roundId, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await flags.ReadAsync(roundId, ct));
}
