using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// A row of the final ranking as organizers review and export it (personal data: organizers only). NationalId is masked
/// ("********1234"); date of birth and phone are null for a participant whose data was erased.
/// </summary>
public sealed record ResultRow(
    int Rank, string? PrizeName, string FullName, DateOnly? DateOfBirth, string? Phone, string? NationalId, string UnitName, string ParticipantType,
    int Score, int QuestionCount, int? Prediction, long? PredictionDistance, int DurationMs, DateTimeOffset SubmittedAt, bool PublishConsent);

public sealed record ScoreCount(int Score, long Entries);

public sealed record UnitCount(string UnitName, long Participants, long Entries);

/// <summary>Per-round statistics: people (người) and entries (lượt) reported separately, as the press does.</summary>
public sealed record RoundStatistics(long Participants, long Entries, long PerfectParticipants, int? PredictionActual,
    IReadOnlyList<ScoreCount> ScoreDistribution, IReadOnlyList<UnitCount> TopUnits);

public sealed record RoundResultsView(RoundView Round, RoundStatistics Statistics, long TotalRows, IReadOnlyList<ResultRow> Rows);

/// <summary>A published winner: masked name and unit, only with the winner's consent to publication.</summary>
public sealed record PublicWinner(int Rank, string PrizeName, string Name, string? UnitName, int Score, int DurationMs);

public sealed record PublicResults(long RoundId, string ContestSlug, string ContestName, int RoundNumber, DateTimeOffset ClosesAt, DateTimeOffset PublishedAt,
    string PredictionQuestion, RoundStatistics Statistics, IReadOnlyList<PublicWinner> Winners);

/// <summary>Organizers review the computed results and publish them; the public page reads only published rounds.</summary>
public sealed class RoundResults(NpgsqlDataSource dataSource, ContestStore store, TimeProvider clock, Leaderboards.LeaderboardReader boards)
{
    private sealed record ResultDbRow(
        int Rank, string? PrizeName, string FullName, DateOnly? DateOfBirth, string? Phone, string? NationalId, string UnitName, string ParticipantType,
        int Score, int QuestionCount, int? Prediction, long? PredictionDistance, int DurationMs, DateTimeOffset SubmittedAt, bool PublishConsent);

    private sealed record StatsRow(long Participants, long Entries, long PerfectParticipants);

    public const string ResultsSql = """
        SELECT rr.rank, rr.prize_name, p.full_name, p.date_of_birth, p.phone, p.national_id_last4 AS national_id, u.name AS unit_name, p.participant_type,
               rr.score, a.question_count, rr.prediction, rr.prediction_distance, rr.duration_ms, rr.submitted_at,
               EXISTS (SELECT 1 FROM participant_consents c WHERE c.participant_id = p.id AND c.purpose = 'publish_if_winner') AS publish_consent
        FROM round_results rr
        JOIN participants p ON p.id = rr.participant_id
        JOIN units u ON u.id = rr.unit_id
        JOIN attempts a ON a.id = rr.attempt_id
        WHERE rr.round_id = @roundId AND (NOT @winnersOnly OR rr.prize_code IS NOT NULL)
        ORDER BY rr.rank
        LIMIT @limit
        """;

    public async Task<RoundResultsView?> ReviewAsync(long roundId, int limit = 200, CancellationToken ct = default)
    {
        var round = await store.GetRoundAsync(roundId, ct);
        if (round is null)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM round_results WHERE round_id = @roundId", new { roundId }, cancellationToken: ct));
        return new RoundResultsView(round, await StatisticsAsync(connection, round, ct), total, await RowsAsync(roundId, winnersOnly: false, limit, ct));
    }

    public async Task<IReadOnlyList<ResultRow>> RowsAsync(long roundId, bool winnersOnly, int limit = int.MaxValue, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ResultDbRow>(new CommandDefinition(ResultsSql, new { roundId, winnersOnly, limit }, cancellationToken: ct));
        return [.. rows.Select(r => new ResultRow(r.Rank, r.PrizeName, r.FullName, r.DateOfBirth, r.Phone, r.NationalId is null ? null : Privacy.NationalIdVault.Mask(r.NationalId), r.UnitName, r.ParticipantType,
            r.Score, r.QuestionCount, r.Prediction, r.PredictionDistance, r.DurationMs, r.SubmittedAt, r.PublishConsent))];
    }

    public async Task<SetupResult<RoundView>> PublishAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE contest_rounds SET results_published_at = @now, updated_at = @now
            WHERE id = @roundId AND closed_at IS NOT NULL AND results_published_at IS NULL
            """, new { roundId, now = clock.GetUtcNow() }, cancellationToken: ct));
        // The board turns final now, here at least; other nodes follow within a second.
        boards.Forget(roundId);
        var round = await store.GetRoundAsync(roundId, ct);
        if (round is null)
        {
            return new SetupResult<RoundView>.NotFound();
        }
        if (updated == 0 && round.ClosedAt is null)
        {
            return new SetupResult<RoundView>.Refused("Tuần thi chưa tổng hợp kết quả; chỉ công bố sau khi đã đóng và tính kết quả.");
        }
        return new SetupResult<RoundView>.Ok(round);
    }

    public async Task<PublicResults?> PublishedAsync(long roundId, CancellationToken ct = default)
    {
        var round = await store.GetRoundAsync(roundId, ct);
        return round?.ResultsPublishedAt is { } published ? await PublicAsync(round, published, ct) : null;
    }

    /// <summary>
    /// What the public results page will show once published (same winners, same masking), for the confirmation before
    /// publishing. Null while the round has no computed results.
    /// </summary>
    public async Task<PublicResults?> PreviewAsync(long roundId, CancellationToken ct = default)
    {
        var round = await store.GetRoundAsync(roundId, ct);
        return round?.ClosedAt is null ? null : await PublicAsync(round, round.ResultsPublishedAt ?? clock.GetUtcNow(), ct);
    }

    private async Task<PublicResults> PublicAsync(RoundView round, DateTimeOffset published, CancellationToken ct)
    {
        var roundId = round.Id;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stats = await StatisticsAsync(connection, round, ct);
        var winners = await RowsAsync(roundId, winnersOnly: true, ct: ct);
        return new PublicResults(round.Id, round.ContestSlug, round.ContestName, round.Number, round.ClosesAt, published,
            PredictionKinds.Question(round.PredictionKind), stats,
            [.. winners.Select(w => new PublicWinner(w.Rank, w.PrizeName!, w.PublishConsent ? PersonName.Mask(w.FullName) : Leaderboards.LeaderboardReader.Hidden,
                w.PublishConsent ? w.UnitName : null, w.Score, w.DurationMs))]);
    }

    private static async Task<RoundStatistics> StatisticsAsync(NpgsqlConnection connection, RoundView round, CancellationToken ct)
    {
        var args = new { roundId = round.Id };
        var totals = await connection.QuerySingleAsync<StatsRow>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM round_entries WHERE round_id = @roundId AND best_attempt_id IS NOT NULL) AS participants,
                   (SELECT count(*) FROM attempts WHERE round_id = @roundId AND status <> 'in_progress') AS entries,
                   (SELECT count(DISTINCT participant_id) FROM attempts WHERE round_id = @roundId AND status <> 'in_progress' AND score = question_count) AS perfect_participants
            """, args, cancellationToken: ct));
        var distribution = await connection.QueryAsync<ScoreCount>(new CommandDefinition("""
            SELECT score, count(*) AS entries FROM attempts WHERE round_id = @roundId AND status <> 'in_progress' GROUP BY score ORDER BY score DESC
            """, args, cancellationToken: ct));
        // Every attempt of a closed round is closed, so a unit's entries are its people's attempt counts (no join back to attempts).
        var units = await connection.QueryAsync<UnitCount>(new CommandDefinition("""
            SELECT u.name AS unit_name, count(*) FILTER (WHERE e.best_attempt_id IS NOT NULL) AS participants, sum(e.attempts_used)::bigint AS entries
            FROM round_entries e JOIN units u ON u.id = e.unit_id
            WHERE e.round_id = @roundId
            GROUP BY u.id, u.name
            """, args, cancellationToken: ct));
        var topUnits = units.OrderByDescending(u => u.Participants).ThenByDescending(u => u.Entries).ThenBy(u => u.UnitName, VietnameseText.Comparer).Take(10);
        return new RoundStatistics(totals.Participants, totals.Entries, totals.PerfectParticipants, round.PredictionActual, [.. distribution], [.. topUnits]);
    }
}
