using System.Threading.Channels;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>
/// Group commit for live answers. The hub puts each validated answer on a channel and awaits it; one loop gathers what
/// arrived within a few milliseconds (or while the previous commit ran), writes them all with one INSERT … unnest and
/// one commit, then completes every waiter. One commit per answer would cap a 2-core node at a few hundred answers a
/// second; this way a burst of thousands costs a handful of commits, and an acknowledged answer is always durable.
/// </summary>
public sealed class AnswerWriter(LiveStore store, IOptions<LiveOptions> options, ILogger<AnswerWriter> logger) : BackgroundService
{
    private sealed record Pending(LiveAnswerRow Row, TaskCompletionSource<bool> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Raised after each commit with the rounds and questions it touched (early close, host progress).</summary>
    public event Func<IReadOnlyCollection<(long Round, int Number)>, Task>? Committed;

    /// <summary>True once durable; false when the database refused (the caller must not acknowledge).</summary>
    public Task<bool> WriteAsync(LiveAnswerRow row)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(row, done)))
        {
            done.SetResult(false);
        }
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var batch = new List<Pending>(o.GroupCommitMaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            Drain(reader, batch, o.GroupCommitMaxBatch);
            if (batch.Count < o.GroupCommitMaxBatch && o.GroupCommitMilliseconds > 0 && !stoppingToken.IsCancellationRequested)
            {
                // The gathering window is wall-clock on purpose: it is about batching, not about any rule's time.
                await Task.Delay(o.GroupCommitMilliseconds, CancellationToken.None);
                Drain(reader, batch, o.GroupCommitMaxBatch);
            }
            await FlushAsync(batch);
            batch.Clear();
            if (stoppingToken.IsCancellationRequested && !reader.TryPeek(out _))
            {
                return;
            }
        }
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
        try
        {
            await store.InsertAnswersAsync([.. batch.Select(p => p.Row)], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not store {Count} live answers; they are refused and may be sent again", batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetResult(false);
            }
            return;
        }
        Telemetry.GroupCommitBatch.Record(batch.Count, Telemetry.LiveKind);
        foreach (var p in batch)
        {
            p.Done.TrySetResult(true);
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
