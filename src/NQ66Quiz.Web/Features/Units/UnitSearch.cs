using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Units;

public sealed record UnitSummary(int Id, string Code, string Name, string Kind, string Type);

/// <summary>
/// The searchable unit list behind the registration form. Every word typed must start a word of the unit's name,
/// accents ignored: "hoan kiem" finds "Phường Hoàn Kiếm", "so tu" finds "Sở Tư pháp". Results sorted for Vietnamese.
/// </summary>
public sealed class UnitSearch(NpgsqlDataSource dataSource)
{
    public const int MaxResults = 200;

    public async Task<IReadOnlyList<UnitSummary>> SearchAsync(string? query, int limit = 30, CancellationToken ct = default)
    {
        // Folded words are [a-z0-9] only, so they are safe inside LIKE patterns without escaping.
        var words = VietnameseText.Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<UnitSummary>(new CommandDefinition("""
            SELECT id, code, name, kind, type
            FROM units
            WHERE (SELECT coalesce(bool_and((' ' || search_key) LIKE '% ' || w || '%'), true) FROM unnest(@Words) AS w)
            """, new { Words = words }, cancellationToken: ct));
        return [.. rows.OrderBy(u => u.Name, VietnameseText.Comparer).Take(Math.Clamp(limit, 1, MaxResults))];
    }

    public async Task<UnitSummary?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UnitSummary>(new CommandDefinition(
            "SELECT id, code, name, kind, type FROM units WHERE id = @id", new { id }, cancellationToken: ct));
    }
}
