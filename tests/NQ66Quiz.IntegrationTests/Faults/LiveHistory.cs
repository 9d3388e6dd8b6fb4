using System.Collections.Concurrent;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using NQ66Quiz.IntegrationTests.LiveRounds;
using NQ66Quiz.Web.Features.LiveRounds;
using StackExchange.Redis;

namespace NQ66Quiz.IntegrationTests.Faults;

/// <summary>One live answer a test player sent and what it was told: the ack's error code, or no answer at all (Unknown).</summary>
public sealed record LiveOp(string Player, long PlayerId, int Question, int Option, DateTimeOffset Sent, Outcome Outcome, string? Error);

/// <summary>
/// The history of a live round's answers under faults, checked against PostgreSQL (the record): acknowledged ⇒ stored
/// with the option sent; at most one answer per player and question; nothing stored after the question's deadline plus
/// grace; totals and final ranks equal a recomputation in SQL (the engine's rule: points, then nickname, ties share a
/// rank); the Redis leaderboard equals SQL.
/// </summary>
public sealed class LiveHistory
{
    private readonly ConcurrentQueue<LiveOp> _ops = new();

    public IReadOnlyList<LiveOp> Ops => [.. _ops.OrderBy(o => o.Sent)];

    public int Acked => _ops.Count(o => o.Outcome == Outcome.Ack);

    /// <summary>Sends an answer and records the outcome; a cut connection or a timeout is Unknown, never an exception.</summary>
    public async Task<LiveOp> AnswerAsync(string name, LivePlayer player, int question, int option)
    {
        var sent = DateTimeOffset.UtcNow;
        LiveOp op;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(8));
            var ack = await player.Connection.InvokeAsync<AnswerAck>(LivePlayerMethods.Answer, new AnswerRequest(question, option), timeout.Token);
            op = new(name, player.Joined!.PlayerId, question, option, sent, ack.Accepted ? Outcome.Ack : Outcome.Refused, ack.Error);
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or OperationCanceledException or IOException
            or System.Net.WebSockets.WebSocketException)
        {
            op = new(name, player.Joined?.PlayerId ?? 0, question, option, sent, Outcome.Unknown, e.GetType().Name + ": " + e.Message);
        }
        _ops.Enqueue(op);
        return op;
    }

    public string Summary() => string.Join("; ", Ops.GroupBy(o => (o.Outcome, o.Error)).Select(g => $"{g.Key.Outcome}/{g.Key.Error ?? "-"}: {g.Count()}"));

    public async Task CheckAsync(string connectionString, long roundId, int timeLimitSeconds, int graceMs, string redis, string redisPrefix)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        var stored = (await c.QueryAsync<(long PlayerId, short Number, short Option)>(
            "SELECT player_id, number, option FROM live_answers WHERE round_id = @roundId", new { roundId }))
            .ToDictionary(a => (a.PlayerId, (int)a.Number), a => (int)a.Option);
        foreach (var op in Ops.Where(o => o.Outcome == Outcome.Ack))
        {
            Assert.True(stored.TryGetValue((op.PlayerId, op.Question), out var option), $"acknowledged answer of {op.Player} to question {op.Question} is not stored");
            Assert.Equal(op.Option, option);
        }
        // A refusal that says "already answered" is only right when an answer is stored.
        foreach (var op in Ops.Where(o => o.Error == LiveErrors.AlreadyAnswered))
        {
            Assert.True(stored.ContainsKey((op.PlayerId, op.Question)), $"{op.Player} was told question {op.Question} was answered, but nothing is stored");
        }
        Assert.Equal(0, await c.QuerySingleAsync<int>(
            "SELECT count(*)::int FROM (SELECT 1 FROM live_answers WHERE round_id = @roundId GROUP BY number, player_id HAVING count(*) > 1) d", new { roundId }));
        var late = await c.QueryAsync<string>("""
            SELECT a.player_id || '/' || a.number || ' at ' || a.received_at FROM live_answers a
            JOIN live_round_questions q ON q.round_id = a.round_id AND q.number = a.number
            WHERE a.round_id = @roundId AND a.received_at > q.opened_at + make_interval(secs => @timeLimitSeconds) + make_interval(secs => @graceMs / 1000.0)
            """, new { roundId, timeLimitSeconds, graceMs });
        Assert.Empty(late);
        // Totals are what the answers add up to; final ranks follow the engine's rule, recomputed here in SQL.
        var mismatched = await c.QueryAsync<string>("""
            WITH sums AS (SELECT p.id, p.points, coalesce(sum(a.points + a.streak_bonus), 0) AS from_answers
                          FROM live_players p LEFT JOIN live_answers a ON a.player_id = p.id AND a.round_id = p.round_id
                          WHERE p.round_id = @roundId AND p.removed_at IS NULL GROUP BY p.id, p.points)
            SELECT id || ': ' || points || ' vs ' || from_answers FROM sums WHERE points <> from_answers
            """, new { roundId });
        Assert.Empty(mismatched);
        var ranks = (await c.QueryAsync<(long Id, int? FinalRank, long SqlRank)>("""
            SELECT id, final_rank, rank() OVER (ORDER BY points DESC) AS sql_rank FROM live_players WHERE round_id = @roundId AND removed_at IS NULL
            """, new { roundId })).ToList();
        Assert.All(ranks, r => Assert.Equal(r.SqlRank, (long?)r.FinalRank));
        var points = (await c.QueryAsync<(long Id, long Points)>(
            "SELECT id, points FROM live_players WHERE round_id = @roundId AND removed_at IS NULL", new { roundId })).ToDictionary(p => p.Id, p => p.Points);
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis);
        var board = (await mux.GetDatabase().SortedSetRangeByRankWithScoresAsync(redisPrefix + $"live:r:{roundId}:lb"))
            .ToDictionary(e => long.Parse(e.Element.ToString(), System.Globalization.CultureInfo.InvariantCulture), e => (long)e.Score);
        Assert.Equal(points.OrderBy(p => p.Key), board.OrderBy(p => p.Key));
    }
}
