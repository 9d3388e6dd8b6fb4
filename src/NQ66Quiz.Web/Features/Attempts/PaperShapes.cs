using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>What never changes about an attempt once started: whose it is, its deadline and each question's option order.</summary>
public sealed record PaperShape(long AttemptId, Guid PaperKey, long ParticipantId, DateTimeOffset Deadline, int QuestionCount,
    IReadOnlyDictionary<int, (short[] Order, string Kind)> Questions);

/// <summary>
/// Papers of attempts in progress, kept in this node's memory so an answer is saved with one statement and no read.
/// Safe on several nodes: nothing here changes after the start, and every write checks the paper key, so an entry
/// that is not the attempt's own (ids reused) never writes; the caller then reloads it.
/// </summary>
public sealed class PaperShapes(NpgsqlDataSource dataSource)
{
    // An attempt lasts at most an hour; at 2,000 starts/s a node sees ~7 million, so the cache is bounded and simply
    // starts over when full (a miss costs one read).
    private const int Capacity = 200_000;
    private readonly ConcurrentDictionary<long, PaperShape> _shapes = new();

    // ConcurrentDictionary.Count takes every bucket's lock, and Remember runs on every start: the bound keeps its own
    // count instead (approximate under races, which a bound can afford).
    private int _count;

    private sealed class Row
    {
        public Guid PaperKey { get; init; }
        public long ParticipantId { get; init; }
        public DateTimeOffset DeadlineAt { get; init; }
        public int QuestionCount { get; init; }
        public short? Position { get; init; }
        public short[]? OptionOrder { get; init; }
        public string? Kind { get; init; }
    }

    public async Task<PaperShape?> GetAsync(long attemptId, CancellationToken ct)
    {
        if (_shapes.TryGetValue(attemptId, out var shape))
        {
            return shape;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT a.paper_key, a.participant_id, a.deadline_at, a.question_count, aq.position, aq.option_order, v.kind
            FROM attempts a
            LEFT JOIN attempt_questions aq ON aq.attempt_id = a.id
            LEFT JOIN question_versions v ON v.id = aq.question_version_id
            WHERE a.id = @attemptId
            """, new { attemptId }, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return null;
        }
        var first = rows[0];
        shape = new PaperShape(attemptId, first.PaperKey, first.ParticipantId, first.DeadlineAt, first.QuestionCount,
            rows.Where(r => r.Position is not null).ToDictionary(r => (int)r.Position!.Value, r => (r.OptionOrder!, r.Kind!)));
        Remember(shape);
        return shape;
    }

    /// <summary>Keeps the paper of an attempt just started (committed), so its first answer needs no read either.</summary>
    public void Remember(PaperShape shape)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            _shapes.Clear();
            Volatile.Write(ref _count, 0);
        }
        if (_shapes.TryAdd(shape.AttemptId, shape))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _shapes[shape.AttemptId] = shape;
        }
    }

    public void Forget(long attemptId)
    {
        if (_shapes.TryRemove(attemptId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
