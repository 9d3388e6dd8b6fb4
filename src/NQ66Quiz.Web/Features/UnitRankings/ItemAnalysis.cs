using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.UnitRankings;

/// <summary>
/// How one question (one version of it) behaved in a contest. Facility: share correct. PointBiserial: correlation of
/// being right with the rest of the attempt's score (the question itself left out, so it does not correlate with
/// itself). Upper/Lower: share correct among the top and bottom 27 % of attempts by score; Discrimination = Upper − Lower.
/// A question is flagged <paramref name="SuspectedMiskey"/> when, among the top 27 %, one wrong option is chosen more
/// often than the key (single-choice questions, with enough top answers to say so).
/// </summary>
public sealed record ItemStatistics(long QuestionVersionId, string QuestionId, int Version, string Kind, string StemMd, long Answers,
    double Facility, double? PointBiserial, long UpperAnswers, double? Upper, double? Lower, double? Discrimination,
    long KeyChosenByUpper, int? TopWrongOptionId, long TopWrongChosenByUpper, string? TopWrongOptionMd, bool SuspectedMiskey);

public sealed class ItemAnalysis(NpgsqlDataSource dataSource)
{
    /// <summary>Fewer top-group answers than this cannot tell a miskey from noise.</summary>
    public const int MinUpperAnswers = 20;

    public static readonly string Sql = $"""
        WITH scored AS (
            -- Attempts ranked by share correct; cume_dist puts ties in the same group.
            SELECT a.id, a.score, cume_dist() OVER (ORDER BY a.score::double precision / a.question_count) AS cd,
                   cume_dist() OVER (ORDER BY a.score::double precision / a.question_count DESC) AS cd_desc
            FROM contest_rounds r
            JOIN attempts a ON a.round_id = r.id AND a.status <> 'in_progress'
            JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
            WHERE r.contest_id = @contestId AND {UnitScope.Filter("e.unit_id")}
        ),
        answers AS (
            SELECT aq.question_version_id, aq.chosen, aq.is_correct, s.score, s.cd_desc <= 0.27 AS upper, s.cd <= 0.27 AS lower
            FROM scored s JOIN attempt_questions aq ON aq.attempt_id = s.id
            WHERE aq.is_correct IS NOT NULL
        ),
        keys AS (
            SELECT qv.id, array_agg((o->>'id')::smallint ORDER BY (o->>'id')::smallint) AS key
            FROM question_versions qv, jsonb_array_elements(qv.options) o
            WHERE (o->>'correct')::boolean AND qv.id IN (SELECT question_version_id FROM answers)
            GROUP BY qv.id
        ),
        stats AS (
            SELECT question_version_id,
                   count(*) AS answers,
                   avg(is_correct::int)::double precision AS facility,
                   corr(is_correct::int, score - is_correct::int) AS point_biserial,
                   count(*) FILTER (WHERE upper) AS upper_answers,
                   avg(is_correct::int) FILTER (WHERE upper)::double precision AS upper,
                   avg(is_correct::int) FILTER (WHERE lower)::double precision AS lower
            FROM answers GROUP BY 1
        ),
        upper_choices AS (
            -- Single-choice answers of the top group, per option chosen.
            SELECT x.question_version_id, x.chosen[1] AS option_id, count(*) AS n
            FROM answers x WHERE x.upper AND cardinality(x.chosen) = 1
            GROUP BY 1, 2
        ),
        top_wrong AS (
            SELECT DISTINCT ON (c.question_version_id) c.question_version_id, c.option_id, c.n
            FROM upper_choices c JOIN keys k ON k.id = c.question_version_id
            WHERE NOT (c.option_id = ANY (k.key))
            ORDER BY c.question_version_id, c.n DESC, c.option_id
        )
        SELECT qv.id AS question_version_id, qv.question_id, qv.version, qv.kind, qv.stem_md, s.answers, s.facility, s.point_biserial,
               s.upper_answers, s.upper, s.lower, s.upper - s.lower AS discrimination,
               coalesce((SELECT sum(c.n) FROM upper_choices c WHERE c.question_version_id = qv.id AND c.option_id = ANY (k.key)), 0)::bigint AS key_chosen_by_upper,
               w.option_id::integer AS top_wrong_option_id, coalesce(w.n, 0) AS top_wrong_chosen_by_upper,
               (SELECT o->>'md' FROM jsonb_array_elements(qv.options) o WHERE (o->>'id')::smallint = w.option_id) AS top_wrong_option_md,
               false AS suspected_miskey
        FROM stats s
        JOIN question_versions qv ON qv.id = s.question_version_id
        JOIN keys k ON k.id = qv.id
        LEFT JOIN top_wrong w ON w.question_version_id = qv.id
        ORDER BY qv.question_id, qv.version
        """;

    public async Task<IReadOnlyList<ItemStatistics>> ReadAsync(long contestId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ItemStatistics>(new CommandDefinition(Sql, new { contestId, ScopeRoot = scope.RootUnitId },
            commandTimeout: 120, cancellationToken: ct));
        return [.. rows.Select(r => r with { SuspectedMiskey = IsSuspectedMiskey(r) })];
    }

    /// <summary>The miskey rule: the strongest participants prefer one wrong option to the key.</summary>
    public static bool IsSuspectedMiskey(ItemStatistics item) =>
        item.Kind == "single" && item.UpperAnswers >= MinUpperAnswers && item.TopWrongChosenByUpper > item.KeyChosenByUpper;
}
