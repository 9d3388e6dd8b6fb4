using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace NQ66Quiz.Web.Features.AntiCheat;

/// <summary>
/// Records where a new attempt was started from (<c>attempt_origins</c>, migration 0071), minimally: the network prefix
/// of the address and a hash of a random device cookie. The cookie identifies a browser, not a person; it is set on the
/// first attempt a browser starts and kept for a year.
/// </summary>
public static class AttemptOrigins
{
    public const string DeviceCookie = "nq66_device";

    /// <summary>Where a request comes from, as stored; <see cref="AttemptOrigin.NewDevice"/> is a device id not yet given to the browser.</summary>
    public static AttemptOrigin Of(HttpContext http)
    {
        var known = http.Request.Cookies.TryGetValue(DeviceCookie, out var value) && value.Length == 32 && value.All(char.IsAsciiHexDigitLower);
        var device = known ? value! : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return new AttemptOrigin(NetworkOf(http.Connection.RemoteIpAddress), Hash(device), known ? null : device);
    }

    /// <summary>Gives the browser its device id once an attempt was started with it (random, 128 bits, a year).</summary>
    public static void Remember(HttpContext http, AttemptOrigin origin)
    {
        if (origin.NewDevice is { } device)
        {
            http.Response.Cookies.Append(DeviceCookie, device, new CookieOptions
            {
                HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
            });
        }
    }

    /// <summary>
    /// Stores the origin of a new attempt, in the statement that creates it (one commit for both): a data-modifying
    /// step over the statement's <c>attempt</c> step (its <c>id</c>), with the parameters <c>@network</c>, <c>@device</c>
    /// (<see cref="AttemptOrigin.Network"/>, <see cref="AttemptOrigin.DeviceHash"/>) and <c>@now</c>.
    /// </summary>
    public const string InsertForNewAttempt = """
        INSERT INTO attempt_origins (attempt_id, network, device, started_at) SELECT attempt.id, @network::cidr, @device, @now FROM attempt
        """;

    /// <summary>What is stored of a device id: 16 hex digits of its SHA-256.</summary>
    public static string Hash(string device) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(device)))[..16];

    /// <summary>The network an address belongs to, as stored: IPv4 /24, IPv6 /48 (IPv4-mapped IPv6 as IPv4). Null if unknown.</summary>
    public static string? NetworkOf(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? 24 : 48;
        for (var i = prefix / 8; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }
        return $"{new IPAddress(bytes)}/{prefix}";
    }
}

/// <summary>Where an attempt is started from, as stored (network prefix, device hash), and the device id to give a browser that has none.</summary>
public sealed record AttemptOrigin(string? Network, string DeviceHash, string? NewDevice);
