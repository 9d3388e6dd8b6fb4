using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// Signs a participant's other browsers out when their password changes. The auth cookie is self-contained (nothing
/// server-side to delete), so it carries the account's <c>session_stamp</c> from sign-in, and each request with a
/// participant cookie compares it with the row: a changed or reset password bumps the stamp, and every older cookie is
/// refused. A node reads a participant's stamp from PostgreSQL at most every <see cref="Reuse"/> (an attempt saves an
/// answer every few seconds: one read per request was a database round trip on the hot path); a password change on this
/// node takes effect at once (<see cref="Forget"/>), on another node within <see cref="Reuse"/>. ASP.NET Core Identity's
/// security stamp validator waits 30 minutes by default.
/// </summary>
public sealed class ParticipantSessions(NpgsqlDataSource dataSource)
{
    public const string StampClaim = "nq66:stamp";

    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(10);

    private const int TrimAbove = 100_000;

    private readonly ConcurrentDictionary<long, (int? Stamp, long Until)> _recent = new();
    private long _trimmedAt;

    /// <summary>The stamp as PostgreSQL has it now (sign-in reads it so); remembered for <see cref="Reuse"/>.</summary>
    public async Task<int?> StampAsync(long participantId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stamp = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT session_stamp FROM participants WHERE id = @participantId", new { participantId }, cancellationToken: ct));
        var now = Environment.TickCount64;
        var trimmed = Interlocked.Read(ref _trimmedAt);
        // Expired entries go at most once per Reuse, checked in that order: Count takes every lock of the dictionary,
        // and with more fresh entries than TrimAbove a scan on every miss would put the whole dictionary on the answer path.
        if (now - trimmed >= (long)Reuse.TotalMilliseconds && Interlocked.CompareExchange(ref _trimmedAt, now, trimmed) == trimmed
            && _recent.Count > TrimAbove)
        {
            foreach (var (id, entry) in _recent)
            {
                if (entry.Until <= now)
                {
                    _recent.TryRemove(id, out _);
                }
            }
        }
        _recent[participantId] = (stamp, now + (long)Reuse.TotalMilliseconds);
        return stamp;
    }

    /// <summary>After this node changed the stamp (a new password, an erasure): the next request reads it again.</summary>
    public void Forget(long participantId) => _recent.TryRemove(participantId, out _);

    private ValueTask<int?> RecentStampAsync(long participantId, CancellationToken ct) =>
        _recent.TryGetValue(participantId, out var entry) && entry.Until > Environment.TickCount64
            ? ValueTask.FromResult(entry.Stamp)
            : new ValueTask<int?>(StampAsync(participantId, ct));

    /// <summary>The cookie-validation step: a cookie from before the latest password change (or of a deleted account) is rejected.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } user || ParticipantAccounts.IdOf(user) is not { } id)
        {
            return;
        }
        // Cookies issued before stamps existed carry none: they stand for stamp 0, the value every account started with.
        var claimed = int.TryParse(user.FindFirstValue(StampClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (await RecentStampAsync(id, context.HttpContext.RequestAborted) != claimed)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
