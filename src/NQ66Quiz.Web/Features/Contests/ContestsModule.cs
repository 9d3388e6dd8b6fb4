using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Units;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// The online contest: units directory, participants, contests and rounds, attempts, leaderboards, results. One
/// registration and one mapping call in Program.cs; each feature folder maps its own route groups.
/// </summary>
public static class ContestsModule
{
    public static IServiceCollection AddContests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IContentLoader, UnitsLoader>();
        services.AddSingleton<UnitSearch>();
        services.AddSingleton<ParticipantAccounts>();
        services.AddSingleton<ContestStore>();
        services.AddSingleton<ContestSetup>();
        return services;
    }

    public static IEndpointRouteBuilder MapContests(this IEndpointRouteBuilder app)
    {
        UnitSearch.Map(app);
        ParticipantsApi.Map(app);
        ContestsApi.Map(app);
        return app;
    }
}
