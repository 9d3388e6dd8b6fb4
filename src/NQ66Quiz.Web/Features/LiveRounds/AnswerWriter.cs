using System.Threading.Channels;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>What became of one answer in a group commit.</summary>
public enum LiveWrite
{
    Stored,
    /// <summary>The player's answer to that question was in PostgreSQL already (taken there while Redis was away).</summary>
    AlreadyStored,
    Failed,
}

/// <summary>
/// Group commit for live answers. The hub puts each validated answer on a channel and awaits it; one loop gathers what
/// arrived within a few milliseconds (or while the previous commit ran), writes them all with one INSERT … unnest and
/// one commit, then completes every waiter. One commit per answer would cap a 2-core node at a few hundred answers a
/// second; this way a burst of thousands costs a handful of commits, and an acknowledged answer is always durable.
/// </summary>
public sealed class AnswerWriter(LiveStore store, IOptions<LiveOptions> options, ILogger<AnswerWriter> logger) : BackgroundService
{
    private sealed record Pending(LiveAnswerRow Row, TaskCompletionSource<LiveWrite> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Raised after each commit with the rounds and questions it touched (early close, host progress).</summary>
    public event Func<IReadOnlyCollection<(long Round, int Number)>, Task>? Committed;

    /// <summary>Stored once durable; Failed when the database refused (the caller must not acknowledge).</summary>
    public Task<LiveWrite> WriteAsync(LiveAnswerRow row)
    {
        var done = new TaskCompletionSource<LiveWrite>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(row, done)))
        {
            done.SetResult(LiveWrite.Failed);
        }
        return done.Task;
    }

    /// <summary>
    /// Commits in flight at once. One at a time made every answer of a 10,000-player burst wait for the batches ahead of
    /// it (27 batches of ~740, about a second each on a busy 2-core box: ack p99 10 s, load-tests/results/SUMMARY.md);
    /// a few at once overlap their WAL flushes. Two batches holding the same player's answer to a question are ordered by
    /// PostgreSQL's unique key: the second waits for the first's commit and writes nothing.
    /// </summary>
    private const int MaxInFlight = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var reader = _queue.Reader;
        var inFlight = new HashSet<Task>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            // A free slot first, then gather: what arrives while every slot is busy joins the next batch.
            while (inFlight.Count >= MaxInFlight)
            {
                inFlight.Remove(await Task.WhenAny(inFlight));
            }
            var batch = new List<Pending>(Math.Min(o.GroupCommitMaxBatch, 1024));
            Drain(reader, batch, o.GroupCommitMaxBatch);
            if (batch.Count < o.GroupCommitMaxBatch && o.GroupCommitMilliseconds > 0 && !stoppingToken.IsCancellationRequested)
            {
                // The gathering window is wall-clock on purpose: it is about batching, not about any rule's time.
                await Task.Delay(o.GroupCommitMilliseconds, CancellationToken.None);
                Drain(reader, batch, o.GroupCommitMaxBatch);
            }
            if (batch.Count > 0)
            {
                inFlight.Add(FlushAsync(batch));
            }
            if (stoppingToken.IsCancellationRequested && !reader.TryPeek(out _))
            {
                break;
            }
        }
        // Every answer taken off the queue is written (or refused) before the node stops.
        await Task.WhenAll(inFlight);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // Answers already queued are written before the node stops: they were validated and someone waits for them.
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private static void Drain(ChannelReader<Pending> reader, List<Pending> batch, int max)
    {
        while (batch.Count < max && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        // One row per player and question: a second answer can be in the same batch (it is sent to PostgreSQL when Redis
        // already had a mark, LiveEngine.AnswerAsync), and RETURNING would name both as written. The first one queued is
        // written; the later ones are told it was stored already.
        var first = new Dictionary<(long RoundId, int Number, long PlayerId), Pending>();
        var later = new List<Pending>();
        foreach (var p in batch)
        {
            if (!first.TryAdd((p.Row.RoundId, p.Row.Number, p.Row.PlayerId), p))
            {
                later.Add(p);
            }
        }
        HashSet<(long RoundId, int Number, long PlayerId)> inserted;
        try
        {
            inserted = await store.InsertAnswersAsync([.. first.Values.Select(p => p.Row)], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not store {Count} live answers; they are refused and may be sent again", batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetResult(LiveWrite.Failed);
            }
            return;
        }
        Telemetry.GroupCommitBatch.Record(batch.Count, Telemetry.LiveKind);
        foreach (var (key, p) in first)
        {
            p.Done.TrySetResult(inserted.Contains(key) ? LiveWrite.Stored : LiveWrite.AlreadyStored);
        }
        foreach (var p in later)
        {
            p.Done.TrySetResult(LiveWrite.AlreadyStored);
        }
        if (Committed is { } committed)
        {
            try
            {
                await committed([.. batch.Select(p => (p.Row.RoundId, p.Row.Number)).Distinct()]);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "After-commit step of live answers failed");
            }
        }
    }
}
