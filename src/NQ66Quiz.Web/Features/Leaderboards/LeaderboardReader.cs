using System.Collections.Concurrent;
using System.Diagnostics;
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
/// What every reader of a board sees alike (the round, the board's size and its top <see cref="MaxTop"/> with names)
/// is read once a second per node and shared; only "me" (a rank and a score in Redis, a name in PostgreSQL) is read for
/// each request. Publishing a round, or erasing someone's personal data, forgets the boards on the node that did it; the
/// others follow within the second.
/// </summary>
public sealed class LeaderboardReader(IConnectionMultiplexer redis, LeaderboardKeys keys, ContestStore contests, NpgsqlDataSource dataSource)
{
    public const int MaxTop = 100;
    public const string Hidden = "Người dự thi (không công bố tên)";
    public const string Unavailable = "Bảng xếp hạng tạm thời chưa hiển thị được; bài thi và kết quả của bạn vẫn được lưu đầy đủ. Vui lòng xem lại sau ít phút.";

    /// <summary>How long a board's shared part is kept: a leaderboard a second old is still the leaderboard.</summary>
    private static readonly long SharedFor = Stopwatch.Frequency;

    /// <summary>Round × unit pairs kept at most; past it the cache starts over (unit ids come from the query string).</summary>
    private const int MaxShared = 2048;

    private sealed record PersonRow(long Id, string FullName, string UnitName, bool Publish, int? Score, int? DurationMs, string? PrizeName);

    private sealed record Ranked(long ParticipantId, long Rank, double Score);

    private sealed record Shared(RoundView Round, bool Final, RedisKey Key, long Total, IReadOnlyList<(long ParticipantId, LeaderboardRow Row)> Top);

    private readonly ConcurrentDictionary<(long RoundId, int? UnitId), (long Until, Task<Shared?> Value)> _shared = new();

    public async Task<LeaderboardView?> ReadAsync(long roundId, int top, int? unitId, long? me, CancellationToken ct = default)
    {
        var shared = await SharedAsync(roundId, unitId).WaitAsync(ct);
        if (shared is null)
        {
            return null;
        }
        var rows = shared.Top.Take(Math.Clamp(top, 1, MaxTop)).Select(t => t.Row with { IsMe = t.ParticipantId == me }).ToList();
        LeaderboardRow? mine = null;
        if (me is { } id)
        {
            if (!redis.IsConnected)
            {
                throw new LeaderboardUnavailableException("Redis is not connected");
            }
            var db = redis.GetDatabase();
            // Rank and score leave together (one Redis round trip); someone outside the shared top also needs their name
            // from PostgreSQL, asked at the same time rather than after.
            var known = shared.Top.FirstOrDefault(t => t.ParticipantId == id);
            var peopleTask = known.Row is null ? PeopleAsync(roundId, [id], shared.Final, ct) : null;
            var rankTask = db.SortedSetRankAsync(shared.Key, LeaderboardScore.Member(id));
            var scoreTask = db.SortedSetScoreAsync(shared.Key, LeaderboardScore.Member(id));
            // All three awaited, whatever fails (a Redis failure is the one reported).
            await Task.WhenAll(rankTask, scoreTask, peopleTask ?? Task.CompletedTask);
            if (await rankTask is { } rank && await scoreTask is { } score)
            {
                mine = known.Row is { } row
                    ? row with { Rank = (int)rank + 1, IsMe = true }
                    : Row(new Ranked(id, rank, score), await peopleTask!, shared.Final) with { IsMe = true };
            }
        }
        return new LeaderboardView(roundId, shared.Round.Number, shared.Round.ContestSlug, shared.Round.ContestName, shared.Final ? "final" : "live",
            unitId, shared.Total, rows, mine);
    }

    /// <summary>Forgets what this node keeps of every board (someone's personal data was just erased here).</summary>
    public void ForgetAll() => _shared.Clear();

    /// <summary>Forgets what this node keeps of a round's boards (its results were just published here).</summary>
    public void Forget(long roundId)
    {
        foreach (var key in _shared.Keys.Where(k => k.RoundId == roundId))
        {
            _shared.TryRemove(key, out _);
        }
    }

    private Task<Shared?> SharedAsync(long roundId, int? unitId)
    {
        var now = Stopwatch.GetTimestamp();
        if (_shared.TryGetValue((roundId, unitId), out var kept) && now < kept.Until && !kept.Value.IsFaulted && !kept.Value.IsCanceled)
        {
            return kept.Value;
        }
        if (_shared.Count >= MaxShared)
        {
            _shared.Clear();
        }
        // Shared by every request of the second: not cancelled by the one that happened to start it.
        var fresh = ReadSharedAsync(roundId, unitId);
        _shared[(roundId, unitId)] = (now + SharedFor, fresh);
        return fresh;
    }

    private async Task<Shared?> ReadSharedAsync(long roundId, int? unitId)
    {
        var round = await contests.GetRoundAsync(roundId);
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
        var topTask = db.SortedSetRangeByRankWithScoresAsync(key, 0, MaxTop - 1);
        var totalTask = db.SortedSetLengthAsync(key);
        await Task.WhenAll(topTask, totalTask);
        var ranked = (await topTask).Select((e, i) => new Ranked(LeaderboardScore.ParticipantOf(e.Element!), i, e.Score)).ToList();
        var people = await PeopleAsync(roundId, [.. ranked.Select(r => r.ParticipantId)], final, CancellationToken.None);
        return new Shared(round, final, key, await totalTask, [.. ranked.Select(r => (r.ParticipantId, Row(r, people, final)))]);
    }

    private async Task<Dictionary<long, PersonRow>> PeopleAsync(long roundId, long[] ids, bool final, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<PersonRow>(new CommandDefinition("""
            SELECT p.id, p.full_name, u.name AS unit_name,
                   EXISTS (SELECT 1 FROM participant_consents c WHERE c.participant_id = p.id AND c.purpose = 'publish_if_winner') AS publish,
                   rr.score, rr.duration_ms, rr.prize_name
            FROM participants p JOIN units u ON u.id = p.unit_id
            LEFT JOIN round_results rr ON @final AND rr.round_id = @roundId AND rr.participant_id = p.id
            WHERE p.id = ANY(@ids)
            """, new { ids, roundId, final }, cancellationToken: ct))).ToDictionary(p => p.Id);
    }

    private static LeaderboardRow Row(Ranked ranked, Dictionary<long, PersonRow> people, bool final)
    {
        var person = people.GetValueOrDefault(ranked.ParticipantId);
        var name = person is { Publish: true } ? PersonName.Mask(person.FullName) : Hidden;
        var unit = person is { Publish: true } ? person.UnitName : null;
        if (final && person is { Score: { } score, DurationMs: { } duration })
        {
            return new LeaderboardRow((int)ranked.Rank + 1, name, unit, score, duration, person.PrizeName, false);
        }
        var (points, durationMs, _) = LeaderboardScore.Decode(ranked.Score);
        return new LeaderboardRow((int)ranked.Rank + 1, name, unit, points, durationMs, null, false);
    }
}

/// <summary>Redis cannot be read; the leaderboard views answer 503 with <see cref="LeaderboardReader.Unavailable"/>.</summary>
public sealed class LeaderboardUnavailableException(string message) : Exception(message)
{
    public static bool Is(Exception e) => e is LeaderboardUnavailableException or RedisException or TimeoutException;
}
