using System.Security.Cryptography;
using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.UnitRankings;

namespace NQ66Quiz.Web.Features.Certificates;

public static class CertificateKinds
{
    public const string Individual = "individual";
    public const string Collective = "collective";
}

public sealed record Certificate(string Code, string Kind, long ContestId, long? RoundId, long? ParticipantId, int UnitId, string RecipientName,
    string UnitName, string PrizeName, string ContestName, int? RoundNumber, DateTime IssuedAt);

/// <summary>What the public verification page shows: the holder's name masked, as published winners are.</summary>
public sealed record CertificateCheck(string Code, string Kind, string RecipientName, string UnitName, string PrizeName, string ContestName,
    int? RoundNumber, DateTime IssuedAt);

/// <summary>
/// Certificates for published prizes only: an individual prize of a published round, or a collective prize of a
/// published unit ranking. Issuing is idempotent: the same winner always gets the same code.
/// </summary>
public sealed class CertificateStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // No 0/O, 1/I: codes are read aloud and typed from paper.
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string NewCode()
    {
        Span<char> c = stackalloc char[14];
        for (var i = 0; i < 14; i++)
        {
            c[i] = i is 4 or 9 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(c);
    }

    /// <summary>Upper-cased, trimmed, dashes put back: "abcd efgh jkmn" and "ABCDEFGHJKMN" both find ABCD-EFGH-JKMN.</summary>
    public static string NormalizeCode(string? input)
    {
        var raw = new string([.. (input ?? "").ToUpperInvariant().Where(char.IsLetterOrDigit)]);
        return raw.Length == 12 ? $"{raw[..4]}-{raw[4..8]}-{raw[8..]}" : raw;
    }

    private const string Columns = """
        code, kind, contest_id, round_id, participant_id, unit_id, recipient_name, unit_name, prize_name, contest_name, round_number, issued_at
        """;

    /// <returns>Null when the participant won no prize in that round, the round is not published, or the unit is out of scope.</returns>
    public async Task<Certificate?> IssueIndividualAsync(long roundId, long participantId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Certificate>(new CommandDefinition($"""
            WITH winner AS (
                SELECT r.contest_id, rr.round_id, rr.participant_id, rr.unit_id, p.full_name, u.name AS unit_name, rr.prize_name, c.name AS contest_name, r.number
                FROM round_results rr
                JOIN contest_rounds r ON r.id = rr.round_id
                JOIN contests c ON c.id = r.contest_id
                JOIN participants p ON p.id = rr.participant_id
                JOIN units u ON u.id = rr.unit_id
                WHERE rr.round_id = @roundId AND rr.participant_id = @participantId AND rr.prize_code IS NOT NULL
                  AND r.results_published_at IS NOT NULL AND {UnitScope.Filter("rr.unit_id")}
            ),
            issued AS (
                INSERT INTO certificates ({Columns})
                SELECT @code, 'individual', contest_id, round_id, participant_id, unit_id, full_name, unit_name, prize_name, contest_name, number, @now FROM winner
                ON CONFLICT (round_id, participant_id) WHERE kind = 'individual' DO NOTHING
                RETURNING {Columns}
            )
            SELECT {Columns} FROM issued
            UNION ALL
            SELECT {Columns} FROM certificates
            WHERE kind = 'individual' AND round_id = @roundId AND participant_id = @participantId AND EXISTS (SELECT 1 FROM winner)
            LIMIT 1
            """, new { roundId, participantId, ScopeRoot = scope.RootUnitId, code = NewCode(), now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <returns>Null when the unit won no collective prize, the ranking is not published, or the unit is out of scope.</returns>
    public async Task<Certificate?> IssueCollectiveAsync(long contestId, int unitId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Certificate>(new CommandDefinition($"""
            WITH winner AS (
                SELECT p.contest_id, p.unit_id, u.name AS unit_name, p.prize_name, c.name AS contest_name
                FROM unit_prizes p
                JOIN unit_ranking_settings s ON s.contest_id = p.contest_id AND s.published_at IS NOT NULL
                JOIN contests c ON c.id = p.contest_id
                JOIN units u ON u.id = p.unit_id
                WHERE p.contest_id = @contestId AND p.unit_id = @unitId AND p.prize_code IS NOT NULL AND {UnitScope.Filter("p.unit_id")}
            ),
            issued AS (
                INSERT INTO certificates ({Columns})
                SELECT @code, 'collective', contest_id, NULL, NULL, unit_id, unit_name, unit_name, prize_name, contest_name, NULL, @now FROM winner
                ON CONFLICT (contest_id, unit_id) WHERE kind = 'collective' DO NOTHING
                RETURNING {Columns}
            )
            SELECT {Columns} FROM issued
            UNION ALL
            SELECT {Columns} FROM certificates
            WHERE kind = 'collective' AND contest_id = @contestId AND unit_id = @unitId AND EXISTS (SELECT 1 FROM winner)
            LIMIT 1
            """, new { contestId, unitId, ScopeRoot = scope.RootUnitId, code = NewCode(), now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<CertificateCheck?> CheckAsync(string? code, CancellationToken ct = default)
    {
        var normalized = NormalizeCode(code);
        if (normalized.Length != 14)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var c = await connection.QuerySingleOrDefaultAsync<Certificate>(new CommandDefinition(
            $"SELECT {Columns} FROM certificates WHERE code = @normalized", new { normalized }, cancellationToken: ct));
        return c is null ? null : new CertificateCheck(c.Code, c.Kind,
            c.Kind == CertificateKinds.Individual ? Participants.PersonName.Mask(c.RecipientName) : c.RecipientName,
            c.UnitName, c.PrizeName, c.ContestName, c.RoundNumber, c.IssuedAt);
    }
}
