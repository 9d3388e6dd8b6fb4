using System.Diagnostics;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// One iteration of a scenario. Steps run in order; the first step's latency counts from the iteration's scheduled
/// start (open model), each later step's from the end of the one before, so time spent queued in the generator is
/// charged to the server's figure and not hidden (coordinated omission).
/// </summary>
public sealed class IterationContext(ScenarioStats stats, long scheduledTicks, int copy, long number, TimeSpan stepTimeout, CancellationToken ct)
{
    private long _intendedTicks = scheduledTicks;

    public int Copy { get; } = copy;
    public long Number { get; } = number;
    public CancellationToken Cancellation { get; } = ct;
    public bool Recording => stats.Recording;

    /// <summary>Runs a step; throws <see cref="StepFailedException"/> when it fails or times out, which ends the iteration.</summary>
    public async Task StepAsync(string name, Func<CancellationToken, Task<Reply>> action)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(stepTimeout);
        var started = Stopwatch.GetTimestamp();
        Reply reply;
        var timedOut = false;
        try
        {
            reply = await action(timeout.Token);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            timedOut = true;
            reply = Reply.Fail($"timeout after {Format.Duration(stepTimeout)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reply = Reply.Fail(e.GetType().Name + ": " + e.Message);
        }
        var ended = Stopwatch.GetTimestamp();
        if (stats.Recording)
        {
            stats.Step(name).Record(Stopwatch.GetElapsedTime(_intendedTicks, ended), Stopwatch.GetElapsedTime(started, ended), reply, timedOut);
        }
        _intendedTicks = ended;
        if (!reply.Ok)
        {
            throw new StepFailedException(name, reply.Error ?? "failed");
        }
    }

    /// <summary>Records a latency measured elsewhere (a broadcast seen by the last player, an ack of a hub message).</summary>
    public void Record(string name, TimeSpan latency, Reply reply, bool timedOut = false)
    {
        if (stats.Recording)
        {
            stats.Step(name).Record(latency, latency, reply, timedOut);
        }
    }
}

/// <summary>Runs a scenario's load simulations, bounded in time and count, and prints a progress line.</summary>
public static class Engine
{
    /// <summary>Hard upper bounds whatever the command line asks for: a harness must not run away on a shared machine.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(15);
    public const long MaxIterations = 5_000_000;

    public sealed record Outcome(ScenarioStats Stats, TimeSpan Window, TimeSpan WarmUp, double OfferedRate, int PeakCopies);

    /// <param name="measuring">Called once, when the measured window starts (after the warm-up, or at once without one).</param>
    public static async Task<Outcome> RunAsync(Scenario scenario, TextWriter progress, CancellationToken ct, Action? measuring = null)
    {
        var total = scenario.Load.Aggregate(TimeSpan.Zero, (t, s) => t + s.During) + scenario.WarmUp;
        if (total > MaxDuration)
        {
            throw new ArgumentException($"{scenario.Name}: warm-up plus load last {Format.Duration(total)}; the harness stops at {Format.Duration(MaxDuration)}.");
        }
        var stats = new ScenarioStats { Recording = scenario.WarmUp == TimeSpan.Zero };
        if (stats.Recording)
        {
            measuring?.Invoke();
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        var progressTask = ProgressAsync(scenario, stats, clock, progress, stop.Token);
        TimeSpan measuredFrom = TimeSpan.Zero;
        var peak = 0;
        var plan = new List<LoadSimulation>(scenario.Load);
        if (scenario.WarmUp > TimeSpan.Zero)
        {
            // The warm-up repeats the first simulation's shape at its own length.
            plan.Insert(0, scenario.Load[0] switch
            {
                LoadSimulation.InjectPerSec i => i with { During = scenario.WarmUp },
                LoadSimulation.RampPerSec r => new LoadSimulation.InjectPerSec(r.Rate / 2, scenario.WarmUp),
                LoadSimulation.KeepConstant k => k with { During = scenario.WarmUp },
                LoadSimulation.Ramp r => new LoadSimulation.KeepConstant(Math.Max(1, r.Copies / 2), scenario.WarmUp),
                _ => new LoadSimulation.Once(),
            });
        }
        long scheduledMeasured = 0;
        var inFlight = new List<Task>();
        var closedCopies = new List<(CancellationTokenSource Stop, Task Loop)>();
        double rate = 0;
        var copiesNow = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            var sim = plan[i];
            var warm = scenario.WarmUp > TimeSpan.Zero && i == 0;
            if (!warm && !stats.Recording)
            {
                stats.Recording = true;
                measuredFrom = clock.Elapsed;
                measuring?.Invoke();
            }
            var phaseStart = clock.Elapsed;
            switch (sim)
            {
                case LoadSimulation.Once:
                    await RunIterationAsync(scenario, stats, Stopwatch.GetTimestamp(), 0, 0, stop.Token);
                    Interlocked.Increment(ref scheduledMeasured);
                    peak = Math.Max(peak, 1);
                    break;
                case LoadSimulation.KeepConstant or LoadSimulation.Ramp:
                {
                    var target = sim is LoadSimulation.KeepConstant k ? k.Copies : ((LoadSimulation.Ramp)sim).Copies;
                    var from = copiesNow;
                    var end = phaseStart + sim.During;
                    while (clock.Elapsed < end && !stop.IsCancellationRequested)
                    {
                        var want = sim is LoadSimulation.Ramp
                            ? (int)Math.Round(from + (target - from) * Math.Min(1, (clock.Elapsed - phaseStart) / sim.During))
                            : target;
                        while (closedCopies.Count < want)
                        {
                            var copyStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                            var copy = closedCopies.Count;
                            closedCopies.Add((copyStop, Task.Run(() => CopyLoopAsync(scenario, stats, copy, copyStop.Token, stop.Token), CancellationToken.None)));
                        }
                        while (closedCopies.Count > want)
                        {
                            var last = closedCopies[^1];
                            closedCopies.RemoveAt(closedCopies.Count - 1);
                            await last.Stop.CancelAsync();
                            inFlight.Add(last.Loop);
                        }
                        copiesNow = closedCopies.Count;
                        peak = Math.Max(peak, copiesNow);
                        await Delay(TimeSpan.FromMilliseconds(50), stop.Token);
                    }
                    break;
                }
                case LoadSimulation.InjectPerSec or LoadSimulation.RampPerSec:
                {
                    // Stop closed copies left from an earlier phase: one model at a time.
                    foreach (var c in closedCopies)
                    {
                        await c.Stop.CancelAsync();
                        inFlight.Add(c.Loop);
                    }
                    closedCopies.Clear();
                    var target = sim is LoadSimulation.InjectPerSec inj ? inj.Rate : ((LoadSimulation.RampPerSec)sim).Rate;
                    // The schedule runs on a thread of its own, not behind the thread pool's queue (which the iterations'
                    // own continuations fill under load), so each iteration leaves close to its instant.
                    var fromRate = rate;
                    var phase = await Task.Factory.StartNew(() => Schedule(scenario, stats, sim, fromRate, target, warm, inFlight, stop.Token),
                        CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    scheduledMeasured += phase.Measured;
                    rate = phase.Rate;
                    peak = Math.Max(peak, phase.Peak);
                    break;
                }
            }
        }
        foreach (var c in closedCopies)
        {
            await c.Stop.CancelAsync();
            inFlight.Add(c.Loop);
        }
        var measuredUntil = clock.Elapsed;
        // Iterations already started finish (bounded by their step timeouts); their results count.
        try
        {
            await Task.WhenAll(inFlight).WaitAsync(scenario.StepTimeout * 3, ct);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Reported as the difference between started and completed.
        }
        await stop.CancelAsync();
        await progressTask;
        var window = measuredUntil - measuredFrom;
        var offered = plan.Any(p => p.IsOpen) && window.TotalSeconds > 0 ? scheduledMeasured / window.TotalSeconds : 0;
        return new Outcome(stats, window, scenario.WarmUp, offered, peak);
    }

    /// <summary>A closed-model copy: stopping it lets the iteration under way finish, so no answer is cut off after the server took it.</summary>
    private static async Task CopyLoopAsync(Scenario scenario, ScenarioStats stats, int copy, CancellationToken stopLooping, CancellationToken abort)
    {
        long n = 0;
        while (!stopLooping.IsCancellationRequested && Interlocked.Read(ref stats.Started) < MaxIterations)
        {
            await RunIterationAsync(scenario, stats, Stopwatch.GetTimestamp(), copy, n++, abort);
        }
    }

    /// <summary>
    /// One open-model phase: every iteration due by now is started at its own instant, on this (dedicated) thread up to
    /// its first wait; then a 1 ms sleep. Returns the iterations scheduled outside the warm-up, the last rate and the
    /// most iterations in flight.
    /// </summary>
    private static (long Measured, double Rate, int Peak) Schedule(Scenario scenario, ScenarioStats stats, LoadSimulation sim, double fromRate, double target,
        bool warm, List<Task> inFlight, CancellationToken stop)
    {
        var gate = new SemaphoreSlim(scenario.MaxInFlight);
        var startTicks = Stopwatch.GetTimestamp();
        double due = 0;
        long n = 0;
        long measured = 0;
        var rate = fromRate;
        var peak = 0;
        while (!stop.IsCancellationRequested)
        {
            var t = Stopwatch.GetElapsedTime(startTicks);
            if (t >= sim.During)
            {
                break;
            }
            rate = sim is LoadSimulation.RampPerSec ? fromRate + (target - fromRate) * (t / sim.During) : target;
            while (due <= t.TotalSeconds && n < MaxIterations)
            {
                var scheduledAt = startTicks + (long)(due * Stopwatch.Frequency);
                var number = n++;
                if (!warm)
                {
                    measured++;
                }
                Interlocked.Increment(ref stats.Scheduled);
                // Started here, not queued to the thread pool; what lag remains is reported (dispatch_lag_*) and charged.
                inFlight.Add(ScheduledAsync(scenario, stats, gate, scheduledAt, number, stop));
                due += 1.0 / Math.Max(rate, 0.001);
            }
            peak = Math.Max(peak, scenario.MaxInFlight - gate.CurrentCount);
            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(x => x.IsCompleted);
            }
            Thread.Sleep(1);
        }
        return (measured, rate, peak);
    }

    private static async Task ScheduledAsync(Scenario scenario, ScenarioStats stats, SemaphoreSlim gate, long scheduledAt, long number, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        if (stats.Recording)
        {
            stats.RecordDispatchLag(Stopwatch.GetElapsedTime(scheduledAt));
        }
        try
        {
            await RunIterationAsync(scenario, stats, scheduledAt, (int)(number % int.MaxValue), number, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task RunIterationAsync(Scenario scenario, ScenarioStats stats, long scheduledTicks, int copy, long number, CancellationToken ct)
    {
        // Iterations started during the warm-up are not counted, like their steps.
        var counted = stats.Recording;
        if (counted)
        {
            Interlocked.Increment(ref stats.Started);
        }
        var context = new IterationContext(stats, scheduledTicks, copy, number, scenario.StepTimeout, ct);
        try
        {
            await scenario.Run(context);
        }
        catch (StepFailedException)
        {
            if (counted)
            {
                Interlocked.Increment(ref stats.IterationsFailed);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            if (counted)
            {
                Interlocked.Increment(ref stats.IterationsFailed);
            }
            if (stats.Recording)
            {
                stats.Step("iteration").Record(TimeSpan.Zero, TimeSpan.Zero, Reply.Fail(e.GetType().Name + ": " + e.Message), false);
            }
        }
        if (counted)
        {
            Interlocked.Increment(ref stats.Completed);
        }
    }

    private static async Task ProgressAsync(Scenario scenario, ScenarioStats stats, Stopwatch clock, TextWriter progress, CancellationToken ct)
    {
        long lastOk = 0;
        var last = clock.Elapsed;
        while (!ct.IsCancellationRequested)
        {
            await Delay(TimeSpan.FromSeconds(2), ct);
            var ok = stats.TotalOk;
            var now = clock.Elapsed;
            var rate = (ok - lastOk) / Math.Max(0.001, (now - last).TotalSeconds);
            var inFlight = Interlocked.Read(ref stats.Started) - Interlocked.Read(ref stats.Completed);
            var worst = stats.Steps.Select(s => s.Summarise(TimeSpan.Zero)).OrderByDescending(s => s.P99).FirstOrDefault();
            await progress.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"[{scenario.Name}] {now.TotalSeconds,5:0}s {(stats.Recording ? "measuring" : "warm-up  ")} steps ok {ok,9} failed {stats.TotalFailed,6} "
                + $"{rate,8:0}/s in flight {inFlight,5}{(worst is null ? "" : $" worst p99 {worst.Name} {Format.Ms(worst.P99)} ms")}"));
            lastOk = ok;
            last = now;
        }
    }

    private static async Task Delay(TimeSpan t, CancellationToken ct)
    {
        try
        {
            await Task.Delay(t, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
