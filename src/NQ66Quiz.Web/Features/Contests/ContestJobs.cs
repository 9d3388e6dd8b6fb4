using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// The contest's background work, on every app node: close attempts past their deadline, re-apply recent best
/// attempts to the leaderboards (repairing any write Redis missed), and close rounds past their closing time. Each
/// step is safe to run on several nodes at once. Wall-clock ticks; the rules inside use the injected TimeProvider.
/// </summary>
public sealed class ContestJobs(IServiceProvider services, IOptions<ContestOptions> options, ILogger<ContestJobs> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.JobIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Contest background jobs failed; retrying in {Seconds} s", options.Value.JobIntervalSeconds);
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await services.GetRequiredService<AttemptExpiry>().CloseDueAsync(ct);
        await services.GetRequiredService<LeaderboardSync>().SyncAsync(ct);
        await services.GetRequiredService<RoundClose>().CloseDueAsync(ct);
    }
}
