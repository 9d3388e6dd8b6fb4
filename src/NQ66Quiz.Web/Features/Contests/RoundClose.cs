using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Leaderboards;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// Closing a round: once its closing time (plus the grace) has passed, close every attempt still open, compute the
/// prediction's actual value, rank everyone's best attempt and allocate the prizes. The job does this once; organizers
/// may recompute until they publish. Redis final boards (only those) are rebuilt from the stored ranking after the commit.
/// </summary>
public sealed class RoundClose(NpgsqlDataSource dataSource, ContestStore store, TimeProvider clock, LeaderboardWriter boards,
    LeaderboardRebuild rebuild, IOptions<ContestOptions> options, ILogger<RoundClose> logger)
{
    /// <summary>The final ranking, in the order of <see cref="Ranking.Final"/> (no prediction ranks after any prediction).</summary>
    public static readonly string RankingSql = $"""
        INSERT INTO round_results (round_id, rank, participant_id, unit_id, attempt_id, score, prediction, prediction_distance, duration_ms, submitted_at)
        SELECT e.round_id,
               row_number() OVER (ORDER BY {Ranking.OrderBy(Ranking.Final)}),
               e.participant_id, e.unit_id, a.id, a.score, a.prediction, abs(a.prediction::bigint - @actual), a.duration_ms, a.submitted_at
        FROM round_entries e JOIN attempts a ON a.id = e.best_attempt_id
        WHERE e.round_id = @roundId
        """;

    private const int LongCommandSeconds = 600;

    private sealed record RoundState(DateTime? ClosedAt, DateTime? ResultsPublishedAt);

    public async Task<int> CloseDueAsync(CancellationToken ct = default)
    {
        var due = new List<long>();
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due.AddRange(await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM contest_rounds WHERE closed_at IS NULL AND closes_at + @grace < @now ORDER BY closes_at",
                new { now = clock.GetUtcNow(), grace = options.Value.Grace }, cancellationToken: ct)));
        }
        var closed = 0;
        foreach (var id in due)
        {
            if (await CloseAsync(id, recompute: false, fromJob: true, ct) is SetupResult<RoundView>.Ok)
            {
                closed++;
            }
        }
        return closed;
    }

    public async Task<SetupResult<RoundView>> CloseAsync(long roundId, bool recompute, bool fromJob = false, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var grace = options.Value.Grace;
        var round = await store.GetRoundAsync(roundId, ct);
        if (round is null)
        {
            return new SetupResult<RoundView>.NotFound();
        }
        if (now <= round.ClosesAt + grace)
        {
            return new SetupResult<RoundView>.Refused($"Tuần thi {round.Number} đóng lúc {VietnamTime.Format(round.ClosesAt)}; "
                + "chỉ tổng hợp kết quả sau giờ đóng.");
        }
        if (round.ResultsPublishedAt is not null)
        {
            return new SetupResult<RoundView>.Refused("Kết quả tuần thi đã công bố; không tính lại được.");
        }
        if (round.ClosedAt is not null && !recompute)
        {
            return new SetupResult<RoundView>.Ok(round);
        }

        // Every attempt ends by the round's closing, so all still open are past deadline + grace: close them first.
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var open = await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM attempts WHERE round_id = @roundId AND status = 'in_progress'", new { roundId }, cancellationToken: ct));
            foreach (var id in open)
            {
                await AttemptClosing.ExpireIfDueAsync(dataSource, boards, id, now, grace, ct);
            }
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var state = await connection.QuerySingleOrDefaultAsync<RoundState>(new CommandDefinition(
                "SELECT closed_at, results_published_at FROM contest_rounds WHERE id = @roundId FOR NO KEY UPDATE" + (fromJob ? " SKIP LOCKED" : ""),
                new { roundId }, tx, cancellationToken: ct));
            if (state is null || state.ResultsPublishedAt is not null || (fromJob && state.ClosedAt is not null))
            {
                // Another node is closing it, or did, or it was published meanwhile.
                return new SetupResult<RoundView>.Refused("Tuần thi đang được tổng hợp hoặc đã công bố kết quả.");
            }
            // A round of a million entries sorts and inserts a million rows here: in memory, and past the 30 s default.
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL work_mem = '256MB'", transaction: tx, cancellationToken: ct));
            var stillOpen = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM attempts WHERE round_id = @roundId AND status = 'in_progress'", new { roundId }, tx, cancellationToken: ct));
            if (stillOpen > 0)
            {
                return new SetupResult<RoundView>.Refused($"Còn {stillOpen} lượt thi đang được đóng; thử lại sau ít giây.");
            }
            var actual = await connection.ExecuteScalarAsync<long>(new CommandDefinition(round.PredictionKind == PredictionKinds.Entries
                ? "SELECT count(*) FROM attempts WHERE round_id = @roundId AND status <> 'in_progress'"
                : "SELECT count(DISTINCT participant_id) FROM attempts WHERE round_id = @roundId AND status <> 'in_progress' AND " + Scoring.IsPerfectSql,
                new { roundId }, tx, cancellationToken: ct, commandTimeout: LongCommandSeconds));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM round_results WHERE round_id = @roundId", new { roundId }, tx, cancellationToken: ct,
                commandTimeout: LongCommandSeconds));
            await connection.ExecuteAsync(new CommandDefinition(RankingSql, new { roundId, actual }, tx, cancellationToken: ct, commandTimeout: LongCommandSeconds));
            await AllocatePrizesAsync(connection, tx, round, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE contest_rounds SET closed_at = @now, prediction_actual = @actual, updated_at = @now WHERE id = @roundId",
                new { roundId, now, actual = (int)actual }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        try
        {
            await rebuild.RebuildRoundAsync(roundId, finalOnly: true, ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Round {RoundId} closed, but its Redis boards were not rebuilt; run `leaderboards rebuild`", roundId);
        }
        return new SetupResult<RoundView>.Ok((await store.GetRoundAsync(roundId, ct))!);
    }

    private static async Task AllocatePrizesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, RoundView round, CancellationToken ct)
    {
        var onePrize = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT one_prize_per_person FROM contests WHERE id = @ContestId", round, tx, cancellationToken: ct));
        // Earlier rounds have precedence: a prize won in round 1 passes round 2's prize down, never the reverse.
        var alreadyWon = onePrize
            ? (await connection.QueryAsync<long>(new CommandDefinition("""
                SELECT DISTINCT rr.participant_id
                FROM round_results rr JOIN contest_rounds r ON r.id = rr.round_id
                WHERE r.contest_id = @ContestId AND r.number < @Number AND rr.prize_code IS NOT NULL
                """, round, tx, cancellationToken: ct))).ToHashSet()
            : [];
        var ranking = await connection.QueryAsync<RankedParticipant>(new CommandDefinition(
            "SELECT rank, participant_id FROM round_results WHERE round_id = @Id ORDER BY rank LIMIT @limit",
            new { round.Id, limit = Prizes.Total(round.PrizeStructure) + alreadyWon.Count }, tx, cancellationToken: ct));
        var awards = Prizes.Allocate(round.PrizeStructure, [.. ranking], alreadyWon, onePrize);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE round_results rr SET prize_code = x.code, prize_name = x.name
            FROM unnest(@ranks, @codes, @names) AS x(rank, code, name)
            WHERE rr.round_id = @Id AND rr.rank = x.rank
            """, new
        {
            round.Id,
            ranks = awards.Select(a => a.Rank).ToArray(),
            codes = awards.Select(a => a.Tier.Code).ToArray(),
            names = awards.Select(a => a.Tier.Name).ToArray(),
        }, tx, cancellationToken: ct));
    }
}
