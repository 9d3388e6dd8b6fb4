using System.Diagnostics;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>
/// Group commit of answer saves. Saves queue per partition (by attempt id, so one attempt's saves stay in order and
/// two batches never touch the same attempt); each partition writes everything queued while its previous batch was
/// committing as ONE statement (unnest, autocommit: one WAL flush for the lot), then acknowledges each save that
/// statement wrote. A save is acknowledged only after that commit, so an acknowledged answer is never lost; a failed
/// statement fails its whole batch, and nothing in it is acknowledged.
/// </summary>
public sealed class AnswerCommitter : BackgroundService
{
    /// <summary>
    /// One partition per core (2 to 8). On the 2-core box 2 partitions beat 4 in every paired run at 150–200 attempts/s
    /// (save p50 2.3–3.5 ms against 3.9–9.9 ms; load-tests/results/SUMMARY.md, 2026-12-05 evening): more batches in
    /// flight than cores only queue their commits behind one another. Counts above 2 are not measured yet.
    /// </summary>
    private static readonly int Partitions = Math.Clamp(Environment.ProcessorCount, 2, 8);
    private const int MaxBatch = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IOptions<ContestOptions> _options;
    private readonly ILogger<AnswerCommitter> _logger;
    private readonly Channel<Pending>[] _queues;

    public AnswerCommitter(NpgsqlDataSource dataSource, IOptions<ContestOptions> options, ILogger<AnswerCommitter> logger)
    {
        _dataSource = dataSource;
        _options = options;
        _logger = logger;
        _queues = [.. Enumerable.Range(0, Partitions).Select(_ => Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000) { SingleReader = true }))];
    }

    private sealed record Pending(long AttemptId, Guid PaperKey, long ParticipantId, int Position, short[] OptionIds, DateTimeOffset Now, long ArrivedTicks)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <returns>true once the answer is committed; false when the attempt is not this participant's in-progress attempt within its time.</returns>
    public async Task<bool> SaveAsync(long attemptId, Guid paperKey, long participantId, int position, short[] optionIds, DateTimeOffset now, CancellationToken ct)
    {
        var pending = new Pending(attemptId, paperKey, participantId, position, optionIds, now, Stopwatch.GetTimestamp());
        await _queues[(int)(attemptId % Partitions)].Writer.WriteAsync(pending, ct);
        // Not cancelled by the caller: once queued the write happens, and the caller's answer is only what it says.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(q => Task.Run(() => RunPartitionAsync(q.Reader, stoppingToken), CancellationToken.None)));

    private async Task RunPartitionAsync(ChannelReader<Pending> reader, CancellationToken stoppingToken)
    {
        var deferred = new List<Pending>();
        var batch = new List<Pending>(MaxBatch);
        var keys = new HashSet<(long, int)>();
        while (true)
        {
            try
            {
                if (deferred.Count == 0 && !await reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            batch.Clear();
            keys.Clear();
            // Two saves of the same question in one statement would leave either; the later waits for the next batch.
            var carried = deferred.ToList();
            deferred.Clear();
            foreach (var p in carried)
            {
                (keys.Add((p.AttemptId, p.Position)) ? batch : deferred).Add(p);
            }
            while (batch.Count < MaxBatch && reader.TryRead(out var p))
            {
                (keys.Add((p.AttemptId, p.Position)) ? batch : deferred).Add(p);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                var written = await WriteAsync(batch, stoppingToken);
                var committed = Stopwatch.GetTimestamp();
                Telemetry.GroupCommitBatch.Record(batch.Count, Telemetry.OnlineKind);
                foreach (var p in batch)
                {
                    var ok = written.Contains((p.AttemptId, p.Position));
                    if (ok)
                    {
                        Telemetry.AnswersAcked.Add(1, Telemetry.OnlineKind);
                        Telemetry.AnswerAckDuration.Record(Stopwatch.GetElapsedTime(p.ArrivedTicks, committed).TotalMilliseconds,
                            Telemetry.OnlineKind);
                    }
                    p.Done.TrySetResult(ok);
                }
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Group commit of {Count} answers failed; none of them was acknowledged", batch.Count);
                foreach (var p in batch)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>
    /// The guarded write of many answers: FOR SHARE on each attempt waits for a submission in progress (which holds it
    /// FOR UPDATE) and then sees it closed, so no answer changes after the attempt was scored.
    /// </summary>
    private async Task<HashSet<(long, int)>> WriteAsync(List<Pending> batch, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long AttemptId, short Position)>(new CommandDefinition("""
            WITH m AS (
                SELECT * FROM unnest(@attemptIds, @keys, @participants, @positions, @chosen, @nows)
                    AS m(attempt_id, paper_key, participant_id, position, chosen, now)
            ), a AS MATERIALIZED (
                SELECT a.id, a.deadline_at FROM attempts a
                WHERE a.id = ANY(@attemptIds) AND a.status = 'in_progress'
                ORDER BY a.id
                FOR SHARE
            )
            UPDATE attempt_questions aq
            SET chosen = CASE WHEN m.chosen = '{}' THEN NULL ELSE m.chosen::smallint[] END, answered_at = m.now
            FROM m JOIN a ON a.id = m.attempt_id JOIN attempts t ON t.id = m.attempt_id
            WHERE aq.attempt_id = m.attempt_id AND aq.position = m.position
              AND t.paper_key = m.paper_key AND t.participant_id = m.participant_id AND m.now <= a.deadline_at + @grace
            RETURNING aq.attempt_id, aq.position
            """, new
        {
            attemptIds = batch.Select(p => p.AttemptId).ToArray(),
            keys = batch.Select(p => p.PaperKey).ToArray(),
            participants = batch.Select(p => p.ParticipantId).ToArray(),
            positions = batch.Select(p => (short)p.Position).ToArray(),
            chosen = batch.Select(p => "{" + string.Join(',', p.OptionIds) + "}").ToArray(),
            nows = batch.Select(p => p.Now).ToArray(),
            grace = _options.Value.Grace,
        }, cancellationToken: ct));
        return [.. rows.Select(r => (r.AttemptId, (int)r.Position))];
    }
}
