using System.Runtime.CompilerServices;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Contests;

/// <summary>
/// The contest tests run in a collection of their own, on an app of their own, because they move the clock: rounds
/// open and close, attempts pass their deadlines. <see cref="AppFixture.ResetAsync"/> ends by setting the clock back to
/// its start, which FakeTimeProvider refuses once time has moved forward ("Cannot go back in time"), and that would
/// fail every later test of the shared collection. Here the reset's tables and Redis keys are emptied as usual and
/// the clock simply stays where it is: every contest test works with times relative to <c>App.Clock</c>.
/// </summary>
[Collection(ContestCollectionDefinition.Name)]
public abstract class ContestTest(AppFixture app) : IntegrationTest(app)
{
    public override async Task InitializeAsync()
    {
        try
        {
            await App.ResetAsync();
        }
        catch (ArgumentOutOfRangeException) when (App.Clock.GetUtcNow() > new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero))
        {
            // Tables and keys are already empty: the clock reset is the reset's last step.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ContestCollectionDefinition : ICollectionFixture<AppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "contests";
}

internal static class ContestJobsInTests
{
    /// <summary>
    /// The contest's background jobs (closing attempts and rounds, leaderboard sync) tick on wall-clock time while the
    /// tests jump a fake clock: a tick landing between "advance the clock" and "submit" would change what a test sees.
    /// Tests run the jobs' steps explicitly instead, so the ticks are pushed out of the way for the whole test run.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before any app host of the test run reads its configuration.")]
    internal static void SlowDownBackgroundJobs()
    {
        if (Environment.GetEnvironmentVariable("Contests__JobIntervalSeconds") is null)
        {
            Environment.SetEnvironmentVariable("Contests__JobIntervalSeconds", "3600");
        }
    }
}
