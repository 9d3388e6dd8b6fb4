using System.Net;
using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>
/// Failed organizer sign-ins counted (<see cref="FailureThrottle"/>, a window of <see cref="Window"/> from the first
/// failure) per source address and per account name: guessing from one machine stops after <see cref="MaxPerAddress"/>,
/// guessing one account from many machines after <see cref="MaxPerAccount"/>. A browser that signed in to the account
/// before (its device cookie, <see cref="OrganizerSignIn"/>) is counted on its own instead, up to
/// <see cref="MaxPerDevice"/>: the account's owner keeps signing in from their own browser while someone else is locked
/// out of guessing — the per-account limit cannot be turned against them (OWASP "device cookies"). Second-factor codes
/// count as failures the same way.
/// </summary>
public sealed class OrganizerSignInThrottle(FailureThrottle throttle)
{
    public const int MaxPerAddress = 20;
    public const int MaxPerAccount = 10;
    public const int MaxPerDevice = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public static string Refusal => $"Đăng nhập sai quá nhiều lần; vui lòng thử lại sau {Window.TotalMinutes:0} phút.";

    public Task<bool> IsBlockedAsync(IPAddress? address, string? account, string? device = null) =>
        throttle.IsBlockedAsync(Counters(address, account, device).Select(c => (c.Key, c.Limit)));

    public Task FailedAsync(IPAddress? address, string? account, string? device = null) =>
        throttle.FailedAsync(Counters(address, account, device).Select(c => c.Key), Window);

    public Task SucceededAsync(IPAddress? address, string? account, string? device = null) =>
        throttle.SucceededAsync(Counters(address, account, null).Concat(Counters(null, null, device)).Select(c => c.Key));

    private IEnumerable<(RedisKey Key, int Limit)> Counters(IPAddress? address, string? account, string? device)
    {
        if (!string.IsNullOrEmpty(device))
        {
            yield return (throttle.Key($"signin:organizer:device:{device}"), MaxPerDevice);
            yield break;
        }
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
