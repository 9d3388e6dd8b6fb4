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
/// refused at its next request. One primary-key read per participant request, the same as organizer cookies get.
/// </summary>
public sealed class ParticipantSessions(NpgsqlDataSource dataSource)
{
    public const string StampClaim = "nq66:stamp";

    public async Task<int?> StampAsync(long participantId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT session_stamp FROM participants WHERE id = @participantId", new { participantId }, cancellationToken: ct));
    }

    /// <summary>The cookie-validation step: a cookie from before the latest password change (or of a deleted account) is rejected.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } user || ParticipantAccounts.IdOf(user) is not { } id)
        {
            return;
        }
        // Cookies issued before stamps existed carry none: they stand for stamp 0, the value every account started with.
        var claimed = int.TryParse(user.FindFirstValue(StampClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (await StampAsync(id, context.HttpContext.RequestAborted) != claimed)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
