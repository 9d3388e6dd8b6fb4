using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>
/// Every rule that applies to hub calls as a whole, in one place (as middleware is for HTTP): a per-connection rate
/// limit; host methods only for a signed-in organizer who owns the round; player methods other than joining only
/// once the connection has joined. Refusals are HubExceptions whose message starts with the LiveErrors code.
/// </summary>
public sealed class LiveHubFilter(LiveEngine engine, IOptions<LiveOptions> options) : IHubFilter
{
    private const string BucketKey = "live.bucket";

    public static LiveSeat? SeatOf(HubCallerContext context) => context.Items.TryGetValue(LiveConnections.SeatKey, out var s) ? s as LiveSeat : null;

    /// <summary>Who owns a round: the organizer account when accounts exist, else the signed-in name.</summary>
    public static string OwnerOf(ClaimsPrincipal user) => user.FindFirst("nq66:organizer")?.Value ?? user.Identity?.Name ?? "";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.Hub is not (LivePlayerHub or LiveHostHub))
        {
            return await next(invocationContext);
        }
        var bucket = (TokenBucket)(invocationContext.Context.Items.TryGetValue(BucketKey, out var b) ? b! : invocationContext.Context.Items[BucketKey] = new TokenBucket(options.Value.CallBurst, options.Value.CallsPerSecond));
        if (!bucket.Take())
        {
            throw new HubException($"{LiveErrors.RateLimited}: Bạn thao tác quá nhanh, hãy thử lại sau giây lát.");
        }
        if (invocationContext.Hub is LiveHostHub)
        {
            var user = invocationContext.Context.User;
            if (user?.IsInRole("organizer") != true || invocationContext.HubMethodArguments.Count == 0 || invocationContext.HubMethodArguments[0] is not long roundId)
            {
                throw new HubException($"{LiveErrors.Forbidden}: Chỉ ban tổ chức đã đăng nhập mới điều khiển được vòng thi.");
            }
            var def = await engine.RoundAsync(roundId);
            if (def is null)
            {
                throw new HubException($"{LiveErrors.NoSuchRound}: Không tìm thấy vòng thi.");
            }
            if (def.CreatedBy != OwnerOf(user) && !user.IsInRole("city-admin"))
            {
                throw new HubException($"{LiveErrors.Forbidden}: Vòng thi này do người khác tạo; chỉ người tạo mới điều khiển được.");
            }
        }
        else if (invocationContext.HubMethodName is not (nameof(LivePlayerHub.Join) or nameof(LivePlayerHub.Rejoin)) && SeatOf(invocationContext.Context) is null)
        {
            throw new HubException($"{LiveErrors.NotJoined}: Bạn chưa vào phòng: hãy nhập mã PIN.");
        }
        return await next(invocationContext);
    }

    /// <summary>Calls allowed per connection: <c>burst</c> at once, refilled at <c>perSecond</c> (wall clock: a limit on traffic, not a rule's time).</summary>
    private sealed class TokenBucket(int burst, int perSecond)
    {
        private readonly Lock _lock = new();
        private double _tokens = burst;
        private long _last = Stopwatch.GetTimestamp();

        public bool Take()
        {
            lock (_lock)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
                _last = now;
                if (_tokens < 1)
                {
                    return false;
                }
                _tokens -= 1;
                return true;
            }
        }
    }
}

/// <summary>Background work of each node: round events from every node (served to local connections) and the tick.</summary>
public sealed class LiveTicker(LiveEngine engine, LiveState state, StackExchange.Redis.IConnectionMultiplexer redis, IOptions<LiveOptions> options, ILogger<LiveTicker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Events are handled one at a time in arrival order: "closed" must not overtake the "opened" before it.
        var queue = await redis.GetSubscriber().SubscribeAsync(state.Events);
        var events = Task.Run(async () =>
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = await queue.ReadAsync(stoppingToken);
                try
                {
                    await engine.OnEventAsync(message.Message.ToString());
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Live round event {Event} could not be served", message.Message.ToString());
                }
            }
        }, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TickMilliseconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await engine.TickAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Live round tick failed; the next tick retries");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            await events;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
