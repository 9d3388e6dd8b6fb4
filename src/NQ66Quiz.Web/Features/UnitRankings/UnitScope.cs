using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Features.UnitRankings;

/// <summary>
/// The subtree a unit-rankings query reads: a unit's (<see cref="RootUnitId"/>) or the whole city (null). What an
/// organizer may see is not decided here: it is <see cref="OrganizerScope"/> (one home for scope), and a request may only
/// narrow it (<see cref="UnitRankingsModule.ResolveScopeAsync"/>). The SQL filter is <see cref="OrganizerScope.SqlFilter"/>
/// over <c>unit_subtree</c> (migration 0020), bound to <c>@ScopeRoot</c>.
/// </summary>
public sealed record UnitScope(int? RootUnitId)
{
    public static readonly UnitScope All = new((int?)null);

    /// <summary>Everything the signed-in organizer may see.</summary>
    public static UnitScope Of(OrganizerScope scope) => new(scope.SubtreeRoot);

    /// <summary>The scope condition on <paramref name="unitColumn"/> (parameter <c>@ScopeRoot</c> = <see cref="RootUnitId"/>).</summary>
    public static string Filter(string unitColumn) => OrganizerScope.SqlFilter(unitColumn);

    /// <summary>
    /// Every unit with its ancestors (itself included): the closure the roll-ups join on. This is the tree's shape, not a
    /// scope: filter its <c>ancestor_id</c> with <see cref="Filter"/>. Small (units × depth), so recomputed per query
    /// rather than stored and kept in step with imports.
    /// </summary>
    public const string ClosureCte = """
        closure AS (
            SELECT id AS ancestor_id, id AS unit_id, 0 AS distance FROM units
            UNION ALL
            SELECT c.ancestor_id, u.id, c.distance + 1 FROM closure c JOIN units u ON u.parent_id = c.unit_id
        )
        """;
}
