using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>How long an organizer stays signed in (README, "Bảo mật"): idle limit and absolute limit, checked on the server.</summary>
public sealed class OrganizerSessionOptions
{
    public const string Section = "Organizers:Sessions";

    /// <summary>A session with no request for this long ends (ASVS 7.3.1).</summary>
    [Range(5, 24 * 60, ErrorMessage = "Organizers:Sessions:IdleMinutes must be between 5 and 1440 minutes.")]
    public int IdleMinutes { get; set; } = 120;

    /// <summary>A session ends this long after sign-in whatever happens (ASVS 7.3.2).</summary>
    [Range(1, 24 * 7, ErrorMessage = "Organizers:Sessions:AbsoluteHours must be between 1 and 168 hours.")]
    public int AbsoluteHours { get; set; } = 12;
}

/// <summary>
/// Organizer sessions held in PostgreSQL (<c>organizer_sessions</c>, migration 0090). The cookie carries a random session
/// id; every request checks it here together with the account (active, same role and unit), so signing out, a password
/// change, a new second factor or disabling the account makes every copy of the cookie worthless at once, on every node.
/// </summary>
public sealed class OrganizerSessions(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<OrganizerSessionOptions> options)
{
    /// <summary>The claim with the session id (inside the encrypted cookie).</summary>
    public const string SessionClaim = "nq66:session";

    // last_seen_at is written at most this often, so a busy console does not update a row on every request.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public async Task<string> StartAsync(long accountId, CancellationToken ct = default)
    {
        var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO organizer_sessions (id_sha256, account_id, created_at, last_seen_at) VALUES (@hash, @accountId, @now, @now)
            """, new { hash = Hash(id), accountId, now }, cancellationToken: ct));
        return id;
    }

    /// <summary>Whether the cookie's session is open and within its limits, and its account unchanged and active.</summary>
    public async Task<bool> IsCurrentAsync(OrganizerScope scope, string? sessionId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        var limits = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var lastSeen = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition("""
            SELECT s.last_seen_at FROM organizer_sessions s JOIN organizer_accounts a ON a.id = s.account_id
            WHERE s.id_sha256 = @hash AND s.account_id = @AccountId AND s.ended_at IS NULL
              AND s.created_at > @createdAfter AND s.last_seen_at > @seenAfter
              AND a.role = @Role AND a.unit_id = @UnitId AND a.disabled_at IS NULL
            """, new
        {
            hash = Hash(sessionId), scope.AccountId, scope.Role, scope.UnitId,
            createdAfter = now - TimeSpan.FromHours(limits.AbsoluteHours), seenAfter = now - TimeSpan.FromMinutes(limits.IdleMinutes),
        }, cancellationToken: ct));
        if (lastSeen is null)
        {
            return false;
        }
        if (now - new DateTimeOffset(DateTime.SpecifyKind(lastSeen.Value, DateTimeKind.Utc)) > TouchEvery)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE organizer_sessions SET last_seen_at = @now WHERE id_sha256 = @hash",
                new { now, hash = Hash(sessionId) }, cancellationToken: ct));
        }
        return true;
    }

    public async Task EndAsync(string? sessionId, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE organizer_sessions SET ended_at = @now, end_reason = @reason WHERE id_sha256 = @hash AND ended_at IS NULL
            """, new { now = clock.GetUtcNow(), reason, hash = Hash(sessionId) }, cancellationToken: ct));
    }

    /// <summary>Ends every open session of the account (password changed, second factor changed, account disabled).</summary>
    public async Task<int> EndAllAsync(long accountId, string reason, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE organizer_sessions SET ended_at = @now, end_reason = @reason WHERE account_id = @accountId AND ended_at IS NULL
            """, new { now = clock.GetUtcNow(), reason, accountId }, cancellationToken: ct));
    }

    public static string? IdOf(ClaimsPrincipal user) => user.FindFirstValue(SessionClaim);

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
