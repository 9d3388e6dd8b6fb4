using StackExchange.Redis;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// Counts failed sign-ins in Redis (shared by every app node): a counter per key that expires <c>window</c> after
/// the first failure, and refuses once any of the given keys reaches its limit. When Redis is unreachable or slow
/// (a connection error or a timeout) the throttle lets people through: locking every citizen out would be worse than a
/// window without throttling. The participant sign-in counts per phone, the organizer sign-in per source address and
/// per account name, so the throttle does not depend on how organizers are identified.
/// </summary>
public sealed class FailureThrottle(IConnectionMultiplexer redis, RedisKeys keys, ILogger<FailureThrottle> logger)
{
    public RedisKey Key(string name) => keys.For(name);

    /// <returns>The first key at or over its limit, or null.</returns>
    public async Task<bool> IsBlockedAsync(IEnumerable<(RedisKey Key, int Limit)> counters)
    {
        var list = counters.ToList();
        if (list.Count == 0 || !redis.IsConnected)
        {
            return false;
        }
        try
        {
            var values = await redis.GetDatabase().StringGetAsync([.. list.Select(c => c.Key)]);
            return values.Select((v, i) => v.HasValue && (long)v >= list[i].Limit).Any(blocked => blocked);
        }
        catch (Exception e) when (Unavailable(e))
        {
            logger.LogWarning(e, "Sign-in throttle unavailable; sign-in goes on without it");
            return false;
        }
    }

    public async Task FailedAsync(IEnumerable<RedisKey> counters, TimeSpan window)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            var db = redis.GetDatabase();
            foreach (var key in counters)
            {
                if (await db.StringIncrementAsync(key) == 1)
                {
                    await db.KeyExpireAsync(key, window);
                }
            }
        }
        catch (Exception e) when (Unavailable(e))
        {
            logger.LogWarning(e, "Sign-in throttle unavailable; the failure is not counted");
        }
    }

    public async Task SucceededAsync(IEnumerable<RedisKey> counters)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            await redis.GetDatabase().KeyDeleteAsync([.. counters]);
        }
        catch (Exception e) when (Unavailable(e))
        {
            logger.LogWarning(e, "Sign-in throttle unavailable; its counters are left to expire");
        }
    }

    // RedisTimeoutException derives from TimeoutException, not RedisException: a slow Redis must not turn sign-in into a 500.
    private static bool Unavailable(Exception e) => e is RedisException or TimeoutException;
}
