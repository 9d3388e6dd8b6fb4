using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace NQ66Quiz.Web.Features.Practice;

public sealed record QuestionRef(string Id, int Version);

/// <summary>What the server drew for one practice set: which question versions, for which scope.</summary>
public sealed record PracticeTicket(Guid SetId, string Scope, IReadOnlyList<QuestionRef> Questions);

/// <summary>
/// Practice keeps no server state for a visitor, yet the server must know which questions it drew: the set travels
/// with the browser as a ticket sealed with ASP.NET Core data protection (the keys the auth cookie already uses), so
/// an answer to a question that was not drawn, or a forged version, is refused without a database row per visitor.
/// </summary>
public sealed class PracticeTickets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("NQ66Quiz.Practice.Ticket.v1");

    public string Seal(PracticeTicket ticket) => _protector.Protect(JsonSerializer.Serialize(ticket));

    /// <returns>null when the ticket is missing, damaged, forged or sealed with keys this app no longer has.</returns>
    public PracticeTicket? Open(string? sealedTicket)
    {
        if (string.IsNullOrWhiteSpace(sealedTicket))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PracticeTicket>(_protector.Unprotect(sealedTicket));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}

public static class PracticeParticipant
{
    /// <summary>The signed-in participant's id (claim <c>participant_id</c>), or null for a visitor.</summary>
    public static long? IdOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("participant_id")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
