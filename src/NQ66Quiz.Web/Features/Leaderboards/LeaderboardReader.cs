using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Participants;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Leaderboards;

public sealed record LeaderboardRow(int Rank, string Name, string? UnitName, int Score, int DurationMs, string? Prize, bool IsMe);

public sealed record LeaderboardView(
    long RoundId, int RoundNumber, string ContestSlug, string ContestName, string Board, int? UnitId, long Total,
    IReadOnlyList<LeaderboardRow> Top, LeaderboardRow? Me);

/// <summary>
/// Reads a round's leaderboard from Redis: the live board while the round runs and until its results are published,
/// then the final board (with prizes). Names are masked ("Nguyễn V. A.") and shown only with the person's consent.
/// </summary>
public sealed class LeaderboardReader(IConnectionMultiplexer redis, LeaderboardKeys keys, ContestStore contests, NpgsqlDataSource dataSource)
{
    public const int MaxTop = 100;
    public const string Hidden = "Người dự thi (không công bố tên)";
    public const string Unavailable = "Bảng xếp hạng tạm thời chưa hiển thị được; bài thi và kết quả của bạn vẫn được lưu đầy đủ. Vui lòng xem lại sau ít phút.";

    private sealed record PersonRow(long Id, string FullName, string UnitName, bool Publish);

    private sealed record FinalRow(long ParticipantId, int Score, int DurationMs, string? PrizeName);

    public async Task<LeaderboardView?> ReadAsync(long roundId, int top, int? unitId, long? me, CancellationToken ct = default)
    {
        var round = await contests.GetRoundAsync(roundId, ct);
        if (round is null)
        {
            return null;
        }
        if (!redis.IsConnected)
        {
            throw new LeaderboardUnavailableException("Redis is not connected");
        }
        var final = round.ResultsPublishedAt is not null;
        var key = (final, unitId) switch
        {
            (true, { } u) => keys.FinalUnit(roundId, u),
            (true, null) => keys.Final(roundId),
            (false, { } u) => keys.LiveUnit(roundId, u),
            _ => keys.Live(roundId),
        };
        var db = redis.GetDatabase();
        // All four reads leave together (one pipelined round trip instead of four in a row).
        var topTask = db.SortedSetRangeByRankWithScoresAsync(key, 0, Math.Clamp(top, 1, MaxTop) - 1);
        var totalTask = db.SortedSetLengthAsync(key);
        var rankTask = me is { } id ? db.SortedSetRankAsync(key, LeaderboardScore.Member(id)) : Task.FromResult<long?>(null);
        var scoreTask = me is { } mine ? db.SortedSetScoreAsync(key, LeaderboardScore.Member(mine)) : Task.FromResult<double?>(null);
        await Task.WhenAll(topTask, totalTask, rankTask, scoreTask);
        var topEntries = await topTask;
        var total = await totalTask;
        var myRank = await rankTask;
        var myScore = myRank is null ? null : await scoreTask;

        var ids = topEntries.Select(e => LeaderboardScore.ParticipantOf(e.Element!)).Concat(myRank is null ? [] : [me!.Value]).Distinct().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var people = (await connection.QueryAsync<PersonRow>(new CommandDefinition("""
            SELECT p.id, p.full_name, u.name AS unit_name,
                   EXISTS (SELECT 1 FROM participant_consents c WHERE c.participant_id = p.id AND c.purpose = 'publish_if_winner') AS publish
            FROM participants p JOIN units u ON u.id = p.unit_id
            WHERE p.id = ANY(@ids)
            """, new { ids }, cancellationToken: ct))).ToDictionary(p => p.Id);
        var finals = final
            ? (await connection.QueryAsync<FinalRow>(new CommandDefinition(
                "SELECT participant_id, score, duration_ms, prize_name FROM round_results WHERE round_id = @roundId AND participant_id = ANY(@ids)",
                new { roundId, ids }, cancellationToken: ct))).ToDictionary(r => r.ParticipantId)
            : [];

        LeaderboardRow Row(long participantId, long rank, double score)
        {
            var person = people.GetValueOrDefault(participantId);
            var name = person is { Publish: true } ? PersonName.Mask(person.FullName) : Hidden;
            var unit = person is { Publish: true } ? person.UnitName : null;
            if (final && finals.TryGetValue(participantId, out var f))
            {
                return new LeaderboardRow((int)rank + 1, name, unit, f.Score, f.DurationMs, f.PrizeName, participantId == me);
            }
            var (points, duration, _) = LeaderboardScore.Decode(score);
            return new LeaderboardRow((int)rank + 1, name, unit, points, duration, null, participantId == me);
        }

        var rows = topEntries.Select((e, i) => Row(LeaderboardScore.ParticipantOf(e.Element!), i, e.Score)).ToList();
        return new LeaderboardView(roundId, round.Number, round.ContestSlug, round.ContestName, final ? "final" : "live", unitId, total, rows,
            myRank is { } r ? Row(me!.Value, r, myScore!.Value) : null);
    }
}

/// <summary>Redis cannot be read; the leaderboard views answer 503 with <see cref="LeaderboardReader.Unavailable"/>.</summary>
public sealed class LeaderboardUnavailableException(string message) : Exception(message)
{
    public static bool Is(Exception e) => e is LeaderboardUnavailableException or RedisException or TimeoutException;
}
