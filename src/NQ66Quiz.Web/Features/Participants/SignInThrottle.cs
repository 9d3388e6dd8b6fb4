using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// Phone numbers are easy to guess, so failed sign-ins are counted per phone in Redis (shared by every app node) and
/// the account refuses further attempts for a while after too many. If Redis is unreachable, sign-in still works:
/// locking every citizen out would be worse than a window without throttling.
/// </summary>
public sealed class SignInThrottle(IConnectionMultiplexer redis, RedisKeys keys, ILogger<SignInThrottle> logger)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public async Task<bool> IsBlockedAsync(string phone)
    {
        if (!redis.IsConnected)
        {
            return false;
        }
        try
        {
            var failures = await redis.GetDatabase().StringGetAsync(Key(phone));
            return failures.HasValue && (long)failures >= MaxFailures;
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "Sign-in throttle unavailable");
            return false;
        }
    }

    public async Task FailedAsync(string phone)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            var db = redis.GetDatabase();
            if (await db.StringIncrementAsync(Key(phone)) == 1)
            {
                await db.KeyExpireAsync(Key(phone), Window);
            }
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "Sign-in throttle unavailable");
        }
    }

    public async Task SucceededAsync(string phone)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(phone));
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "Sign-in throttle unavailable");
        }
    }

    private RedisKey Key(string phone) => keys.For($"signin:failed:{phone}");
}
