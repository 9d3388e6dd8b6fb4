using System.Net;
using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>
/// Failed organizer sign-ins counted per source address and, when the sign-in names an account, per account name
/// (<see cref="FailureThrottle"/>): guessing from one machine stops after <see cref="MaxPerAddress"/>, guessing one
/// account from many machines after <see cref="MaxPerAccount"/>. Neither depends on how organizers are identified.
/// </summary>
public sealed class OrganizerSignInThrottle(FailureThrottle throttle)
{
    public const int MaxPerAddress = 20;
    public const int MaxPerAccount = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public static string Refusal => $"Đăng nhập sai quá nhiều lần; vui lòng thử lại sau {Window.TotalMinutes:0} phút.";

    public Task<bool> IsBlockedAsync(IPAddress? address, string? account) =>
        throttle.IsBlockedAsync(Counters(address, account).Select(c => (c.Key, c.Limit)));

    public Task FailedAsync(IPAddress? address, string? account) => throttle.FailedAsync(Counters(address, account).Select(c => c.Key), Window);

    public Task SucceededAsync(IPAddress? address, string? account) => throttle.SucceededAsync(Counters(address, account).Select(c => c.Key));

    private IEnumerable<(RedisKey Key, int Limit)> Counters(IPAddress? address, string? account)
    {
        if (address is not null)
        {
            yield return (throttle.Key($"signin:organizer:ip:{address}"), MaxPerAddress);
        }
        if (!string.IsNullOrWhiteSpace(account))
        {
            yield return (throttle.Key($"signin:organizer:account:{account.Trim().ToLowerInvariant()}"), MaxPerAccount);
        }
    }
}
