using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary><c>/api/rounds/{id}/leaderboard</c>: public; "me" is filled in for a signed-in participant.</summary>
public static class LeaderboardsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rounds").WithTags("Leaderboards");
        group.MapGet("/{roundId:long}/leaderboard", async Task<Results<Ok<LeaderboardView>, NotFound, ProblemHttpResult>> (
            long roundId, int? top, int? unitId, ClaimsPrincipal user, LeaderboardReader reader, CancellationToken ct) =>
        {
            try
            {
                return await reader.ReadAsync(roundId, top ?? 20, unitId, ParticipantAccounts.IdOf(user), ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
            }
            catch (Exception e) when (LeaderboardUnavailableException.Is(e))
            {
                // Attempts and results do not depend on Redis; only this view does, so it says so instead of failing.
                return TypedResults.Problem(title: LeaderboardReader.Unavailable, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        })
            .WithSummary("Bảng xếp hạng tuần thi (cả Thành phố, hoặc một đơn vị với unitId): top N và thứ hạng của tôi.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
