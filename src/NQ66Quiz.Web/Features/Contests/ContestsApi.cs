using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// <c>/api/contests</c>: what anyone may read (contests, rounds, rules). <c>/api/organizer</c>: contest and round
/// setup, behind the organizer policy once, on the group, which also scopes every {contestId}/{roundId} to the caller's unit
/// subtree (<see cref="ScopeFilter"/>).
/// </summary>
public static class ContestsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/contests").WithTags("Contests");
        open.MapGet("/", async Task<Ok<IReadOnlyList<ContestView>>> (ContestStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        open.MapGet("/{slug}", async Task<Results<Ok<ContestView>, NotFound>> (string slug, ContestStore store, CancellationToken ct) =>
            await store.GetAsync(slug, ct) is { } contest ? TypedResults.Ok(contest) : TypedResults.NotFound());

        var organizer = app.MapOrganizerGroup(tag: "Organizer: contests").RequireAuthorization(OrganizerPolicies.Contests);
        organizer.MapPost("/contests", async (ContestRequest request, ContestSetup setup, CancellationToken ct) =>
            ToHttp(await setup.CreateContestAsync(request, ct), created: c => $"/api/organizer/contests/{c.Id}"));
        organizer.MapGet("/contests/{contestId:long}", async Task<Results<Ok<ContestView>, NotFound>> (long contestId, ContestStore store, CancellationToken ct) =>
            await store.GetAsync(contestId, ct) is { } contest ? TypedResults.Ok(contest) : TypedResults.NotFound());
        organizer.MapPut("/contests/{contestId:long}", async (long contestId, ContestRequest request, ContestSetup setup, CancellationToken ct) =>
            ToHttp(await setup.UpdateContestAsync(contestId, request, ct)));
        organizer.MapPost("/contests/{contestId:long}/rounds", async (long contestId, RoundRequest request, ContestSetup setup, CancellationToken ct) =>
            ToHttp(await setup.CreateRoundAsync(contestId, request, ct), created: r => $"/api/organizer/rounds/{r.Id}"));
        organizer.MapGet("/rounds/{roundId:long}", async Task<Results<Ok<RoundView>, NotFound>> (long roundId, ContestStore store, CancellationToken ct) =>
            await store.GetRoundAsync(roundId, ct) is { } round ? TypedResults.Ok(round) : TypedResults.NotFound());
        organizer.MapPut("/rounds/{roundId:long}", async (long roundId, RoundRequest request, ContestSetup setup, CancellationToken ct) =>
            ToHttp(await setup.UpdateRoundAsync(roundId, request, ct)));
        RoundResultsApi.MapOrganizer(organizer);
        RoundResultsApi.MapPublic(app);
    }

    public static Results<Ok<T>, Created<T>, ValidationProblem, ProblemHttpResult, NotFound> ToHttp<T>(SetupResult<T> result, Func<T, string>? created = null) =>
        result switch
        {
            SetupResult<T>.Ok ok when created is not null => TypedResults.Created(created(ok.Value), ok.Value),
            SetupResult<T>.Ok ok => TypedResults.Ok(ok.Value),
            SetupResult<T>.Invalid invalid => TypedResults.ValidationProblem(
                new Dictionary<string, string[]>(StringComparer.Ordinal) { ["settings"] = [.. invalid.Errors] },
                title: "Thiết lập chưa hợp lệ: " + string.Join(" ", invalid.Errors)),
            SetupResult<T>.Refused refused => TypedResults.Problem(title: refused.Message, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NotFound(),
        };
}
