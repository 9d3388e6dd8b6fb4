using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Practice;

/// <summary>One practice set a participant played: when (UTC; Npgsql reads timestamptz as DateTime), what, how well.</summary>
public sealed record PracticeSetResult(Guid SetId, string Scope, DateTime StartedAt, long Answered, long Correct);

/// <summary>Reads for the practice page and API: questions available per scope, and a participant's history.</summary>
public static class PracticeHistory
{
    // A question counts once towards each of its tags, so a question on viewpoint 2 and task 3 shows in both lines.
    private const string TagsOfVersion = """
        CROSS JOIN LATERAL (
            SELECT 'quan-diem-' || x FROM unnest(v.viewpoints) AS x
            UNION ALL SELECT 'nhiem-vu-' || x FROM unnest(v.tasks) AS x
            UNION ALL SELECT x FROM unnest(v.topics) AS x
        ) AS t(tag)
        """;

    private sealed record TagCount(string Tag, long Count);

    private sealed record TagScore(string Tag, long Answered, long Correct);

    /// <summary>How many live questions each scope can draw from; a scope with none is missing from the result.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> AvailableAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<TagCount>(new CommandDefinition($"""
            SELECT t.tag, count(*) AS count
            FROM {QuestionSql.CurrentVersions}
            {TagsOfVersion}
            WHERE q.retired_at IS NULL
            GROUP BY t.tag
            """, cancellationToken: ct));
        return rows.ToDictionary(r => r.Tag, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>"Điểm yếu của tôi": per viewpoint, task and topic, answered and right, weakest first.</summary>
    public static async Task<IReadOnlyList<WeakPoint>> WeakPointsAsync(NpgsqlDataSource db, long participantId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<TagScore>(new CommandDefinition($"""
            SELECT t.tag, count(*) AS answered, count(*) FILTER (WHERE a.correct) AS correct
            FROM practice_answers a
            JOIN question_versions v ON v.question_id = a.question_id AND v.version = a.version
            {TagsOfVersion}
            WHERE a.participant_id = @ParticipantId
            GROUP BY t.tag
            """, new { ParticipantId = participantId }, cancellationToken: ct));
        return PracticeRules.WeakestFirst(rows
            .Select(r => Tag.TryParse(r.Tag, out var scope) ? new WeakPoint(scope.Slug, scope.Label, r.Answered, r.Correct) : null)
            .OfType<WeakPoint>());
    }

    public static async Task<IReadOnlyList<PracticeSetResult>> RecentSetsAsync(NpgsqlDataSource db, long participantId, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<PracticeSetResult>(new CommandDefinition("""
            SELECT set_id, scope, min(answered_at) AS started_at, count(*) AS answered, count(*) FILTER (WHERE correct) AS correct
            FROM practice_answers
            WHERE participant_id = @ParticipantId
            GROUP BY set_id, scope
            ORDER BY min(answered_at) DESC
            LIMIT @Limit
            """, new { ParticipantId = participantId, Limit = limit }, cancellationToken: ct))];
    }
}
