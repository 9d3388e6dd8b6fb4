using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.UnitRankings;

/// <summary>
/// A unit's participation in a contest, its whole subtree included: per round (<see cref="RoundNumber"/>) or over the
/// contest (null). Participants are distinct people; entries are attempts started (lượt thi); the average best score and
/// the perfect scores count each person's best attempt once per round; winners are prizes of published rounds.
/// </summary>
public sealed record UnitFigure(int UnitId, string Code, string Name, int? ParentId, int? Headcount, int? RoundNumber,
    long Participants, long Entries, double? AverageBestScore, long PerfectScores, long Winners)
{
    public double? Rate => Headcount is > 0 ? (double)Participants / Headcount.Value : null;
}

/// <summary>New participants per day (Vietnam time) and the running total: "participation over time".</summary>
public sealed record ParticipationDay(DateOnly Day, long NewParticipants, long TotalParticipants);

/// <summary>Prizes won by the people of a unit's subtree, per prize code, in published rounds.</summary>
public sealed record UnitPrizeCount(int UnitId, string PrizeCode, long Winners);

/// <summary>Exact participation figures from PostgreSQL, rolled up the unit tree in one statement.</summary>
public sealed class UnitFigures(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// One row per person and round they entered, with the unit they entered for: online entries (attempts started), and
    /// the players of live rounds held in a contest round (<c>live_rounds.contest_round_id</c>, migration 0070). A live
    /// player counts once they answered a question, as one entry, for their own unit — and only when signed in with their
    /// participant account: a guest's nickname is no person we can tell apart from the online participants, and counting
    /// guests would let anyone with the PIN raise a unit's rate (the collective prizes go by rate). The unit a player
    /// chose in unit mode is the live round's own scoring, not where the person belongs. Live play has no best score,
    /// perfect score or prize here: average, perfect scores and winners stay the online contest's.
    /// </summary>
    public const string EntriesCte = """
        entries AS (
            SELECT r.number AS round_number, e.participant_id, e.unit_id, e.attempts_used AS attempts,
                   a.score AS best_score, coalesce(a.score = a.question_count, false) AS perfect,
                   (rr.prize_code IS NOT NULL) AS winner, rr.prize_code
            FROM round_entries e
            JOIN contest_rounds r ON r.id = e.round_id
            LEFT JOIN attempts a ON a.id = e.best_attempt_id
            LEFT JOIN round_results rr ON rr.round_id = e.round_id AND rr.participant_id = e.participant_id
                  AND rr.prize_code IS NOT NULL AND r.results_published_at IS NOT NULL
            WHERE r.contest_id = @contestId AND e.attempts_used > 0
            UNION ALL
            SELECT r.number, lp.participant_id, p.unit_id, 1, NULL::integer, false, false, NULL::text
            FROM live_rounds l
            JOIN contest_rounds r ON r.id = l.contest_round_id
            JOIN live_players lp ON lp.round_id = l.id AND lp.removed_at IS NULL
            JOIN participants p ON p.id = lp.participant_id
            WHERE r.contest_id = @contestId
              AND EXISTS (SELECT 1 FROM live_answers la WHERE la.round_id = l.id AND la.player_id = lp.id)
        )
        """;

    /// <summary>Headcount of a unit for a contest: declared for the contest, else the directory's general figure.</summary>
    public const string HeadcountSql = "coalesce(h.headcount, u.headcount)";

    public static readonly string FiguresSql = $"""
        WITH RECURSIVE {UnitScope.ClosureCte},
        {EntriesCte},
        figures AS (
            SELECT c.ancestor_id AS unit_id, x.round_number,
                   count(DISTINCT x.participant_id) AS participants,
                   sum(x.attempts)::bigint AS entries,
                   avg(x.best_score)::double precision AS average_best_score,
                   count(*) FILTER (WHERE x.perfect) AS perfect_scores,
                   count(*) FILTER (WHERE x.winner) AS winners
            FROM entries x JOIN closure c ON c.unit_id = x.unit_id
            WHERE {UnitScope.Filter("c.ancestor_id")}
            GROUP BY GROUPING SETS ((c.ancestor_id, x.round_number), (c.ancestor_id))
        )
        SELECT u.id AS unit_id, u.code, u.name, u.parent_id, {HeadcountSql} AS headcount, f.round_number,
               coalesce(f.participants, 0) AS participants, coalesce(f.entries, 0) AS entries, f.average_best_score,
               coalesce(f.perfect_scores, 0) AS perfect_scores, coalesce(f.winners, 0) AS winners
        FROM units u
        LEFT JOIN unit_headcounts h ON h.contest_id = @contestId AND h.unit_id = u.id
        LEFT JOIN figures f ON f.unit_id = u.id
        WHERE {UnitScope.Filter("u.id")}
        ORDER BY u.id, f.round_number NULLS FIRST
        """;

    public async Task<IReadOnlyList<UnitFigure>> FiguresAsync(long contestId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<UnitFigure>(new CommandDefinition(FiguresSql,
            new { contestId, ScopeRoot = scope.RootUnitId }, commandTimeout: 120, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<UnitPrizeCount>> PrizeCountsAsync(long contestId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<UnitPrizeCount>(new CommandDefinition($"""
            WITH RECURSIVE {UnitScope.ClosureCte},
            {EntriesCte}
            SELECT c.ancestor_id AS unit_id, x.prize_code, count(*) AS winners
            FROM entries x JOIN closure c ON c.unit_id = x.unit_id
            WHERE x.winner AND {UnitScope.Filter("c.ancestor_id")}
            GROUP BY 1, 2
            """, new { contestId, ScopeRoot = scope.RootUnitId }, cancellationToken: ct))];
    }

    /// <summary>The day each person of the scope first took part in the contest (an attempt started, a live answer), counted per day.</summary>
    public async Task<IReadOnlyList<ParticipationDay>> OverTimeAsync(long contestId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(DateTime Day, long New)>(new CommandDefinition($"""
            WITH firsts AS (
                SELECT person, min(at) AS first_at
                FROM (
                    SELECT a.participant_id AS person, a.started_at AS at
                    FROM attempts a
                    JOIN contest_rounds r ON r.id = a.round_id
                    JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
                    WHERE r.contest_id = @contestId AND {UnitScope.Filter("e.unit_id")}
                    UNION ALL
                    -- The same people as EntriesCte's live branch.
                    SELECT lp.participant_id, la.received_at
                    FROM live_rounds l
                    JOIN contest_rounds r ON r.id = l.contest_round_id
                    JOIN live_players lp ON lp.round_id = l.id AND lp.removed_at IS NULL
                    JOIN participants p ON p.id = lp.participant_id
                    JOIN live_answers la ON la.round_id = l.id AND la.player_id = lp.id
                    WHERE r.contest_id = @contestId AND {UnitScope.Filter("p.unit_id")}
                ) x
                GROUP BY person
            )
            SELECT (first_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*) AS new
            FROM firsts GROUP BY 1 ORDER BY 1
            """, new { contestId, ScopeRoot = scope.RootUnitId }, cancellationToken: ct));
        var total = 0L;
        return [.. rows.Select(r => new ParticipationDay(DateOnly.FromDateTime(r.Day), r.New, total += r.New))];
    }
}
