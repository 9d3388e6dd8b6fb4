using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// Phone numbers are easy to guess, so failed sign-ins are counted per phone (<see cref="FailureThrottle"/>) and the
/// account refuses further attempts for a while after too many.
/// </summary>
public sealed class SignInThrottle(FailureThrottle throttle)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public Task<bool> IsBlockedAsync(string phone) => throttle.IsBlockedAsync([(Key(phone), MaxFailures)]);

    public Task FailedAsync(string phone) => throttle.FailedAsync([Key(phone)], Window);

    public Task SucceededAsync(string phone) => throttle.SucceededAsync([Key(phone)]);

    private StackExchange.Redis.RedisKey Key(string phone) => throttle.Key($"signin:failed:{phone}");
}
