using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// N players on WebSockets, as phones in a live round: they connect, answer each question at a scheduled instant
/// (spread over a window or in a burst) and wait for the leaderboard the host's close triggers. The same swarm drives
/// the bare hub and the app's, so both see the same arrivals.
/// </summary>
public sealed class HubSwarm(Wire wire, Uri hubUrl, Func<int, string?> cookieOf) : IAsyncDisposable
{
    private readonly List<HubConnection> _players = [];
    private readonly ConcurrentDictionary<string, long[]> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<HubConnection> Players => _players;

    public HubConnection Build(string? cookie) => new HubConnectionBuilder()
        .WithUrl(hubUrl, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            if (cookie is not null)
            {
                o.Headers["Cookie"] = cookie;
            }
        })
        .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)])
        .WithServerTimeout(TimeSpan.FromSeconds(60))
        .Build();

    /// <summary>Connects <paramref name="count"/> players, 64 at a time; each connection's set-up time is recorded.</summary>
    public async Task ConnectAsync(int count, IReadOnlyList<string> broadcasts, Func<HubConnection, int, Task>? joined, CancellationToken ct)
    {
        foreach (var b in broadcasts)
        {
            _seen[b] = new long[count];
        }
        var connections = new HubConnection[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct }, async (i, c) =>
        {
            var connection = Build(cookieOf(i));
            foreach (var b in broadcasts)
            {
                var seen = _seen[b];
                connection.On<object?>(b, _ => Volatile.Write(ref seen[i], Stopwatch.GetTimestamp()));
            }
            connection.Reconnecting += _ =>
            {
                Interlocked.Increment(ref wire.Reconnects);
                return Task.CompletedTask;
            };
            var started = Stopwatch.GetTimestamp();
            await connection.StartAsync(c);
            wire.RecordConnect(Stopwatch.GetElapsedTime(started));
            if (joined is not null)
            {
                await joined(connection, i);
            }
            connections[i] = connection;
        });
        _players.AddRange(connections);
    }

    public void ResetSeen(string broadcast) => Array.Clear(_seen[broadcast]);

    /// <summary>The first arrival of <paramref name="broadcast"/> since <paramref name="sinceTicks"/> (<see cref="long.MaxValue"/> if none).</summary>
    public long FirstSeen(string broadcast, long sinceTicks)
    {
        var first = long.MaxValue;
        foreach (ref var t in _seen[broadcast].AsSpan())
        {
            var seen = Volatile.Read(ref t);
            if (seen >= sinceTicks && seen < first)
            {
                first = seen;
            }
        }
        return first;
    }

    /// <summary>Waits until every player has seen <paramref name="broadcast"/> since <paramref name="sinceTicks"/>; returns the last arrival, or null on timeout.</summary>
    public async Task<(TimeSpan? Last, int Missing)> WaitAllSeenAsync(string broadcast, long sinceTicks, TimeSpan timeout, CancellationToken ct)
    {
        var seen = _seen[broadcast];
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var missing = 0;
            long last = 0;
            for (var i = 0; i < seen.Length; i++)
            {
                var t = Volatile.Read(ref seen[i]);
                if (t < sinceTicks)
                {
                    missing++;
                }
                else if (t > last)
                {
                    last = t;
                }
            }
            if (missing == 0)
            {
                return (Stopwatch.GetElapsedTime(sinceTicks, last), 0);
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return (null, missing);
            }
            await Task.Delay(5, ct);
        }
    }

    /// <summary>
    /// Every player answers once, at <c>start + offset</c>, offsets uniform over <paramref name="window"/> (a burst is a
    /// window of 100 ms). Each ack's latency counts from the scheduled instant, so a queue in the generator is charged.
    /// </summary>
    public async Task<(int Acked, int Failed)> AnswerAllAsync(IterationContext ctx, string step, TimeSpan window, Func<HubConnection, int, CancellationToken, Task> answer,
        TimeSpan timeout, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
        var acked = 0;
        var failed = 0;
        var tasks = new Task[_players.Count];
        for (var i = 0; i < _players.Count; i++)
        {
            var player = i;
            var at = start + (long)(Random.Shared.NextDouble() * window.TotalSeconds * Stopwatch.Frequency);
            tasks[i] = Task.Run(async () =>
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(timeout);
                try
                {
                    await answer(_players[player], player, cts.Token);
                    ctx.Record(step, Stopwatch.GetElapsedTime(at), Reply.Success());
                    Interlocked.Increment(ref acked);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    ctx.Record(step, Stopwatch.GetElapsedTime(at), Reply.Fail("no ack within " + Format.Duration(timeout)), timedOut: true);
                    Interlocked.Increment(ref failed);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ctx.Record(step, Stopwatch.GetElapsedTime(at), Reply.Fail(e.GetType().Name + ": " + e.Message));
                    Interlocked.Increment(ref failed);
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(tasks);
        return (acked, failed);
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_players, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
        _players.Clear();
    }

    /// <summary>Resident set size of a process in KiB (Linux /proc), 0 where it cannot be read.</summary>
    private static readonly HashSet<int> Held = [];

    /// <summary>
    /// Whether none of these processes has held a room of this run yet. Memory per player is read only then: a later
    /// room joins a heap the first one grew and the runtime has not given back, and its difference (often below zero)
    /// says nothing about a player.
    /// </summary>
    public static bool FirstRoomOn(IEnumerable<int> pids)
    {
        lock (Held)
        {
            var first = true;
            foreach (var pid in pids)
            {
                first &= Held.Add(pid);
            }
            return first;
        }
    }

    public static long RssKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
