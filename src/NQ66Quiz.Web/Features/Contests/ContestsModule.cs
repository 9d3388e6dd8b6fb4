using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Leaderboards;
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
        services.AddOptions<ContestOptions>().Bind(configuration.GetSection(ContestOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IContentLoader, UnitsLoader>();
        services.AddSingleton<UnitSearch>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ParticipantAccounts>();
        services.AddSingleton<ContestStore>();
        services.AddSingleton<ContestSetup>();
        services.AddSingleton<LeaderboardKeys>();
        services.AddSingleton<LeaderboardWriter>();
        services.AddSingleton<AttemptStart>();
        services.AddSingleton<PaperShapes>();
        services.AddSingleton<BankSnapshot>();
        services.AddSingleton<AnswerCommitter>();
        services.AddHostedService(sp => sp.GetRequiredService<AnswerCommitter>());
        services.AddSingleton<AttemptAnswers>();
        services.AddSingleton<AttemptSubmit>();
        services.AddSingleton<AttemptQueries>();
        services.AddSingleton<AttemptExpiry>();
        services.AddSingleton<LeaderboardSource>();
        services.AddSingleton<LeaderboardReader>();
        services.AddSingleton<LeaderboardRebuild>();
        services.AddSingleton<LeaderboardSync>();
        services.AddSingleton<RoundClose>();
        services.AddSingleton<RoundResults>();
        services.AddVerb<LeaderboardsRebuildVerb>();
        services.AddSingleton<ContestJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<ContestJobs>());
        return services;
    }

    public static IEndpointRouteBuilder MapContests(this IEndpointRouteBuilder app)
    {
        UnitSearch.Map(app);
        ParticipantsApi.Map(app);
        ContestsApi.Map(app);
        AttemptsApi.Map(app);
        LeaderboardsApi.Map(app);
        return app;
    }
}
