using System.Security.Claims;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.UnitRankings;

/// <summary>
/// Which units an organizer may see: a unit's subtree (<see cref="RootUnitId"/>) or, for the city, everything (null).
/// Every query of this feature takes a scope and filters in SQL, so a page or an endpoint cannot forget it.
/// </summary>
public sealed record UnitScope(int? RootUnitId)
{
    /// <summary>The claim a unit organizer's sign-in carries (organizer accounts, Features/Organizers).</summary>
    public const string UnitClaim = "nq66:unit";

    public static readonly UnitScope All = new((int?)null);

    /// <summary>An organizer with a unit claim sees that subtree; one without (city admin, shared password) sees all.</summary>
    public static UnitScope Of(ClaimsPrincipal user) =>
        // A city admin sees the whole city, whatever unit their account names.
        user.IsInRole(Organizers.OrganizerRoles.CityAdmin) ? All :
        user.FindFirst(UnitClaim)?.Value is { } value && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? new UnitScope(id)
            : All;

    /// <summary>
    /// Every unit with its ancestors (itself included): the closure the roll-ups join on. Small (units × depth), so
    /// recomputed per query rather than stored and kept in step with imports.
    /// </summary>
    public const string ClosureCte = """
        closure AS (
            SELECT id AS ancestor_id, id AS unit_id, 0 AS distance FROM units
            UNION ALL
            SELECT c.ancestor_id, u.id, c.distance + 1 FROM closure c JOIN units u ON u.parent_id = c.unit_id
        ),
        scoped AS (
            SELECT unit_id FROM closure WHERE @root::integer IS NULL OR ancestor_id = @root
        )
        """;

    /// <summary>Whether <paramref name="unitId"/> lies inside this scope (404 to the caller otherwise).</summary>
    public async Task<bool> ContainsAsync(NpgsqlConnection connection, int unitId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"""
            WITH RECURSIVE {ClosureCte}
            SELECT EXISTS (SELECT 1 FROM scoped WHERE unit_id = @unitId)
            """, new { root = RootUnitId, unitId }, cancellationToken: ct));
}
