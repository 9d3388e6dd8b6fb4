using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.AntiCheat;

/// <summary>
/// Records where a new attempt was started from (<c>attempt_origins</c>, migration 0071), minimally: the network prefix
/// of the address and a hash of a random device cookie. The cookie identifies a browser, not a person; it is set on the
/// first attempt a browser starts and kept for a year.
/// </summary>
public sealed class AttemptOrigins(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string DeviceCookie = "nq66_device";

    public async Task RecordAsync(long attemptId, HttpContext http, CancellationToken ct = default)
    {
        var device = DeviceOf(http);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO attempt_origins (attempt_id, network, device, started_at) VALUES (@attemptId, @network::cidr, @device, @now)
            ON CONFLICT (attempt_id) DO NOTHING
            """, new { attemptId, network = NetworkOf(http.Connection.RemoteIpAddress), device = Hash(device), now = clock.GetUtcNow() },
            cancellationToken: ct));
    }

    /// <summary>The browser's device id, set now when it has none (random, 128 bits).</summary>
    private static string DeviceOf(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(DeviceCookie, out var value) && value.Length == 32 && value.All(char.IsAsciiHexDigitLower))
        {
            return value;
        }
        value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(DeviceCookie, value, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
        });
        return value;
    }

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
