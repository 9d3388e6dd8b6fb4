using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// <c>/api/contests</c>: what anyone may read (contests, rounds, rules). Inside the organizer group
/// (<c>/api/organizer</c>, policy applied once in Program.cs): contest and round setup, results, publication, exports.
/// Each endpoint's result type lists what it really answers. The group's scope filter keeps every {contestId} and
/// {roundId} inside the caller's unit subtree (<see cref="ScopeFilter"/>): out of scope is 404.
/// </summary>
public static class ContestsApi
{
    public static IServiceCollection AddContests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContestOptions>().Bind(configuration.GetSection(ContestOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ContestStore>();
        services.AddSingleton<ContestSetup>();
        services.AddSingleton<RoundClose>();
        services.AddSingleton<RoundEnd>();
        services.AddSingleton<RoundResults>();
        // Closes attempts past their deadline and rounds past their closing, and syncs the leaderboards.
        services.AddSingleton<ContestJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<ContestJobs>());
        return services;
    }

    public static IEndpointRouteBuilder MapContests(this IEndpointRouteBuilder app, RouteGroupBuilder organizerApi)
    {
        var open = app.MapGroup("/api/contests").WithTags("Contests");
        open.MapGet("/", async Task<Ok<IReadOnlyList<ContestView>>> (ContestStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        open.MapGet("/{slug}", async Task<Results<Ok<ContestView>, NotFound>> (string slug, ContestStore store, CancellationToken ct) =>
            await store.GetAsync(slug, ct) is { } contest ? TypedResults.Ok(contest) : TypedResults.NotFound());

        var organizer = organizerApi.MapGroup("").WithTags("Organizer: contests").RequireAuthorization(OrganizerPolicies.Contests);
        organizer.MapPost("/contests", async Task<Results<Created<ContestView>, ValidationProblem>> (ContestRequest request, ContestSetup setup, CancellationToken ct) =>
            await setup.CreateContestAsync(request, ct) switch
            {
                SetupResult<ContestView>.Ok ok => TypedResults.Created($"/api/organizer/contests/{ok.Value.Id}", ok.Value),
                var other => Invalid(other),
            });
        organizer.MapGet("/contests/{contestId:long}", async Task<Results<Ok<ContestView>, NotFound>> (long contestId, ContestStore store, CancellationToken ct) =>
            await store.GetAsync(contestId, ct) is { } contest ? TypedResults.Ok(contest) : TypedResults.NotFound());
        organizer.MapPut("/contests/{contestId:long}", async (long contestId, ContestRequest request, ContestSetup setup, CancellationToken ct) =>
            Updated(await setup.UpdateContestAsync(contestId, request, ct)))
            .ProducesProblem(StatusCodes.Status409Conflict);
        organizer.MapPost("/contests/{contestId:long}/rounds", async Task<Results<Created<RoundView>, ValidationProblem, NotFound>> (
            long contestId, RoundRequest request, ContestSetup setup, CancellationToken ct) =>
            await setup.CreateRoundAsync(contestId, request, ct) switch
            {
                SetupResult<RoundView>.Ok ok => TypedResults.Created($"/api/organizer/rounds/{ok.Value.Id}", ok.Value),
                SetupResult<RoundView>.NotFound => TypedResults.NotFound(),
                var other => Invalid(other),
            });
        organizer.MapGet("/rounds/{roundId:long}", async Task<Results<Ok<RoundView>, NotFound>> (long roundId, ContestStore store, CancellationToken ct) =>
            await store.GetRoundAsync(roundId, ct) is { } round ? TypedResults.Ok(round) : TypedResults.NotFound());
        organizer.MapPut("/rounds/{roundId:long}", async (long roundId, RoundRequest request, ContestSetup setup, CancellationToken ct) =>
            Updated(await setup.UpdateRoundAsync(roundId, request, ct)))
            .ProducesProblem(StatusCodes.Status409Conflict);
        RoundResultsApi.MapOrganizer(organizer);
        RoundResultsApi.MapPublic(app);
        return app;
    }

    /// <summary>A change: saved, invalid settings, refused by the fairness rules (409), or nothing to change.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult, NotFound> Updated<T>(SetupResult<T> result) => result switch
    {
        SetupResult<T>.Ok ok => TypedResults.Ok(ok.Value),
        SetupResult<T>.Invalid => Invalid(result),
        SetupResult<T>.Refused refused => Refused(refused),
        _ => TypedResults.NotFound(),
    };

    /// <summary>An action on a round (close, publish): done, refused (409), or no such round. It has no settings to be invalid.</summary>
    public static Results<Ok<T>, ProblemHttpResult, NotFound> Acted<T>(SetupResult<T> result) => result switch
    {
        SetupResult<T>.Ok ok => TypedResults.Ok(ok.Value),
        SetupResult<T>.Refused refused => Refused(refused),
        SetupResult<T>.NotFound => TypedResults.NotFound(),
        _ => throw new System.Diagnostics.UnreachableException($"an action answered {result}"),
    };

    private static ValidationProblem Invalid<T>(SetupResult<T> result)
    {
        var errors = result is SetupResult<T>.Invalid invalid ? invalid.Errors
            : throw new System.Diagnostics.UnreachableException($"a create answered {result}");
        return TypedResults.ValidationProblem(
            new Dictionary<string, string[]>(StringComparer.Ordinal) { ["settings"] = [.. errors] },
            title: "Thiết lập chưa hợp lệ: " + string.Join(" ", errors));
    }

    private static ProblemHttpResult Refused<T>(SetupResult<T>.Refused refused) =>
        TypedResults.Problem(title: refused.Message, statusCode: StatusCodes.Status409Conflict);
}
