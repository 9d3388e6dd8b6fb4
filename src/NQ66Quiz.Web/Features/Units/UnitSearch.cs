using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Units;

/// <summary>A unit as registration shows it; <see cref="Label"/> names the parent of a sub-unit ("Trường THCS … — Phường Hoàn Kiếm").</summary>
public sealed record UnitSummary(int Id, string Code, string Name, string Kind, string Type, int? ParentId = null, string? ParentName = null)
{
    public string Label => ParentName is null ? Name : $"{Name} — {ParentName}";
}

/// <summary>
/// The searchable unit list behind the registration form: any unit of the tree below the city. Every word typed must
/// start a word of the unit's name or of its parent's, accents ignored: "hoan kiem" finds "Phường Hoàn Kiếm" and then
/// the schools of that ward, "so tu" finds "Sở Tư pháp". Units whose own name matches come first; each group is sorted
/// for Vietnamese. With nothing typed, the top level (communes, wards, departments) is listed.
/// </summary>
public sealed class UnitSearch(NpgsqlDataSource dataSource)
{
    public const int MaxResults = 200;

    public async Task<IReadOnlyList<UnitSummary>> SearchAsync(string? query, int limit = 30, CancellationToken ct = default)
    {
        // Folded words are [a-z0-9] only, so they are safe inside LIKE patterns without escaping.
        var words = VietnameseText.Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The parent is named only for units below a commune, ward or department: their parent is the city.
        var rows = await connection.QueryAsync<(int Id, string Code, string Name, string Kind, string Type, int? ParentId, string? ParentName, bool OwnMatch)>(
            new CommandDefinition("""
            SELECT u.id, u.code, u.name, u.kind, u.type, u.parent_id, CASE WHEN p.kind <> 'city' THEN p.name END AS parent_name,
                   (SELECT coalesce(bool_and((' ' || u.search_key) LIKE '% ' || w || '%'), true) FROM unnest(@Words) AS w) AS own_match
            FROM units u LEFT JOIN units p ON p.id = u.parent_id
            WHERE u.kind <> 'city'
              AND (cardinality(@Words) > 0 OR p.id IS NULL OR p.kind = 'city')
              AND (SELECT coalesce(bool_and((' ' || u.search_key || ' ' || coalesce(p.search_key, '')) LIKE '% ' || w || '%'), true)
                   FROM unnest(@Words) AS w)
            """, new { Words = words }, cancellationToken: ct));
        return [.. rows.OrderByDescending(u => u.OwnMatch).ThenBy(u => u.Name, VietnameseText.Comparer).ThenBy(u => u.ParentName ?? "", VietnameseText.Comparer)
            .Take(Math.Clamp(limit, 1, MaxResults))
            .Select(u => new UnitSummary(u.Id, u.Code, u.Name, u.Kind, u.Type, u.ParentId, u.ParentName))];
    }

    public async Task<UnitSummary?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UnitSummary>(new CommandDefinition(
            """
            SELECT u.id, u.code, u.name, u.kind, u.type, u.parent_id, CASE WHEN p.kind <> 'city' THEN p.name END AS parent_name
            FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = @id
            """, new { id }, cancellationToken: ct));
    }
}
