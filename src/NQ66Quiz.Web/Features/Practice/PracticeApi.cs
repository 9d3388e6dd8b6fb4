using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Practice;

/// <summary>
/// Practice mode (luyện tập): open to everyone, nothing counts for ranking. A signed-in participant's answers are also
/// kept for "Điểm yếu của tôi"; a visitor's stay in the browser.
/// </summary>
public static class PracticeApi
{
    /// <summary>Practice (/luyen-tap, /api/practice); every practice answer links to a study page (AddStudy).</summary>
    public static IServiceCollection AddPractice(this IServiceCollection services)
    {
        services.AddSingleton<PracticeTickets>();
        return services;
    }

    public static IEndpointRouteBuilder MapPractice(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/practice").WithTags("Practice");
        group.MapPost("/sets", DrawPracticeSet.HandleAsync)
            .WithSummary("Draw up to 10 questions of one viewpoint, task or topic (no answer key).");
        group.MapPost("/answers", AnswerPracticeQuestion.HandleAsync)
            .WithSummary("Answer one drawn question: right or wrong, its key, explanation and study page.");
        group.MapGet("/weak-points", WeakPointsAsync)
            .RequireAuthorization(Platform.ParticipantPolicy)
            .WithSummary("The signed-in participant's answers per viewpoint, task and topic, weakest first.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<WeakPoint>>, ForbidHttpResult>> WeakPointsAsync(
        ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct) =>
        PracticeParticipant.IdOf(user) is { } participantId
            ? TypedResults.Ok(await PracticeHistory.WeakPointsAsync(db, participantId, ct))
            : TypedResults.Forbid();
}
