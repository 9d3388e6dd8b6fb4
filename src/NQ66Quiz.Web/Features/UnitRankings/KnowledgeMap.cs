using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.UnitRankings;

public static class KnowledgeDimensions
{
    public const string Viewpoint = "viewpoint";
    public const string Task = "task";

    public static string Label(string dimension, int tag) => dimension == Viewpoint ? $"Quan điểm {tag}" : $"Nhiệm vụ {tag}";

    /// <summary>The columns of the map: 5 viewpoints then 7 tasks, as the resolution numbers them.</summary>
    public static readonly IReadOnlyList<(string Dimension, int Tag)> Columns =
        [.. Enumerable.Range(1, 5).Select(t => (Viewpoint, t)), .. Enumerable.Range(1, 7).Select(t => (Task, t))];
}

/// <summary>
/// One cell: the answers of a unit's subtree to questions tagged with a viewpoint or task, and the share correct.
/// <paramref name="Weak"/> marks a cell below the city's share for that tag, with at least the minimum answers behind it.
/// </summary>
public sealed record KnowledgeCell(int UnitId, string Dimension, int Tag, long Answers, long Correct, double CityShare, bool Weak)
{
    public double? Share => Answers > 0 ? (double)Correct / Answers : null;
}

/// <summary>Answers of the whole contest per tag: the city average each cell is compared with.</summary>
public sealed record KnowledgeCityCell(string Dimension, int Tag, long Answers, long Correct)
{
    public double? Share => Answers > 0 ? (double)Correct / Answers : null;
}

public sealed record KnowledgeMapView(IReadOnlyList<KnowledgeCityCell> City, IReadOnlyList<KnowledgeCell> Cells, int MinAnswers);

/// <summary>
/// Per unit × viewpoint (1–5) and task (1–7): what its people answer correctly, from the answers of closed attempts. A
/// question tagged with two viewpoints counts in both. Counts are additive, so they are summed per unit first and only
/// then rolled up the tree: the roll-up joins a few thousand rows, not every answer.
/// </summary>
public sealed class KnowledgeMap(NpgsqlDataSource dataSource)
{
    /// <summary>Fewer answers than this say too little about a unit to flag it.</summary>
    public const int DefaultMinAnswers = 30;

    public const string ByUnitCte = """
        answers AS (
            SELECT e.unit_id, qv.viewpoints, qv.tasks, aq.is_correct
            FROM contest_rounds r
            JOIN attempts a ON a.round_id = r.id AND a.status <> 'in_progress'
            JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
            JOIN attempt_questions aq ON aq.attempt_id = a.id
            JOIN question_versions qv ON qv.id = aq.question_version_id
            WHERE r.contest_id = @contestId AND aq.is_correct IS NOT NULL
        ),
        by_unit AS (
            SELECT unit_id, 'viewpoint' AS dimension, v::integer AS tag, count(*) AS answers, count(*) FILTER (WHERE is_correct) AS correct
            FROM answers, unnest(viewpoints) AS v GROUP BY 1, 2, 3
            UNION ALL
            SELECT unit_id, 'task', t::integer, count(*), count(*) FILTER (WHERE is_correct)
            FROM answers, unnest(tasks) AS t GROUP BY 1, 2, 3
        )
        """;

    public async Task<KnowledgeMapView> ReadAsync(long contestId, UnitScope scope, int minAnswers = DefaultMinAnswers, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One statement: the city totals (unit_id null) and the scope's roll-up, both from by_unit computed once.
        var rows = (await connection.QueryAsync<(int? UnitId, string Dimension, int Tag, long Answers, long Correct)>(new CommandDefinition($"""
            WITH RECURSIVE {UnitScope.ClosureCte},
            {ByUnitCte}
            SELECT NULL::integer AS unit_id, dimension, tag, sum(answers)::bigint AS answers, sum(correct)::bigint AS correct
            FROM by_unit GROUP BY 2, 3
            UNION ALL
            SELECT c.ancestor_id, b.dimension, b.tag, sum(b.answers)::bigint, sum(b.correct)::bigint
            FROM by_unit b JOIN closure c ON c.unit_id = b.unit_id
            WHERE {UnitScope.Filter("c.ancestor_id")}
            GROUP BY 1, 2, 3
            ORDER BY 1 NULLS FIRST, 2 DESC, 3
            """, new { contestId, ScopeRoot = scope.RootUnitId }, commandTimeout: 120, cancellationToken: ct))).ToList();
        var city = rows.Where(r => r.UnitId is null).Select(r => new KnowledgeCityCell(r.Dimension, r.Tag, r.Answers, r.Correct)).ToList();
        var cityShare = city.ToDictionary(c => (c.Dimension, c.Tag), c => c.Share ?? 0);
        var cells = rows.Where(r => r.UnitId is not null)
            .Select(r =>
            {
                var share = cityShare.GetValueOrDefault((r.Dimension, r.Tag));
                return new KnowledgeCell(r.UnitId!.Value, r.Dimension, r.Tag, r.Answers, r.Correct, share,
                    r.Answers >= minAnswers && (double)r.Correct / r.Answers < share);
            }).ToList();
        return new KnowledgeMapView(city, cells, minAnswers);
    }
}
