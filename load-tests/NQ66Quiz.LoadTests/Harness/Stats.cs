using System.Collections.Concurrent;
using HdrHistogram;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// Counters and latency histograms of one step. Latencies are in microseconds, 1 µs to 5 min at 3 significant digits
/// (HdrHistogram). <c>corrected</c> counts from when the request should have been sent; <c>naive</c> from when it was;
/// in a closed model both are the same.
/// </summary>
public sealed class StepStats(string name)
{
    private const long Highest = 300_000_000;
    private readonly Lock _gate = new();
    private readonly LongHistogram _corrected = new(Highest, 3);
    private readonly LongHistogram _naive = new(Highest, 3);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public long Ok { get; private set; }
    public long Failed { get; private set; }
    public long TimedOut { get; private set; }
    public long BytesOut { get; private set; }
    public long BytesIn { get; private set; }

    public void Record(TimeSpan corrected, TimeSpan naive, Reply reply, bool timedOut)
    {
        var c = Math.Clamp((long)corrected.TotalMicroseconds, 1, Highest);
        var n = Math.Clamp((long)naive.TotalMicroseconds, 1, Highest);
        lock (_gate)
        {
            BytesOut += reply.BytesOut;
            BytesIn += reply.BytesIn;
            if (timedOut)
            {
                TimedOut++;
            }
            else if (!reply.Ok)
            {
                Failed++;
            }
            else
            {
                Ok++;
                // Only successes enter the latency figures: a fast 500 must not make the path look quick.
                _corrected.RecordValue(c);
                _naive.RecordValue(n);
            }
        }
        if (!reply.Ok && reply.Error is { } error && _errors.Count < 50)
        {
            _errors.AddOrUpdate(error.Length > 160 ? error[..160] : error, 1, (_, k) => k + 1);
        }
    }

    public StepSummary Summarise(TimeSpan window)
    {
        lock (_gate)
        {
            double P(LongHistogram h, double p) => h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(p);
            return new StepSummary(Name, Ok, Failed, TimedOut, window.TotalSeconds > 0 ? Ok / window.TotalSeconds : 0,
                P(_corrected, 50), P(_corrected, 75), P(_corrected, 95), P(_corrected, 99), P(_corrected, 99.9),
                _corrected.TotalCount == 0 ? 0 : _corrected.GetMaxValue(), _corrected.TotalCount == 0 ? 0 : _corrected.GetMean(),
                P(_naive, 50), P(_naive, 99), _naive.TotalCount == 0 ? 0 : _naive.GetMaxValue(),
                BytesOut, BytesIn, _errors.OrderByDescending(e => e.Value).Take(5).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        }
    }
}

/// <summary>One step's figures; latencies in microseconds (the report prints milliseconds).</summary>
public sealed record StepSummary(
    string Name, long Ok, long Failed, long TimedOut, double Rate,
    double P50, double P75, double P95, double P99, double P999, double Max, double Mean,
    double NaiveP50, double NaiveP99, double NaiveMax,
    long BytesOut, long BytesIn, IReadOnlyDictionary<string, int> Errors)
{
    public long Count => Ok + Failed + TimedOut;
}

/// <summary>All steps of a scenario, plus whether recording is on (off during the warm-up).</summary>
public sealed class ScenarioStats
{
    private readonly ConcurrentDictionary<string, StepStats> _steps = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    private const long HighestLag = 300_000_000;
    private readonly Lock _lagGate = new();
    private readonly LongHistogram _dispatchLag = new(HighestLag, 3);

    public volatile bool Recording;
    public long Scheduled;
    public long Started;
    public long Completed;
    public long IterationsFailed;

    public StepStats Step(string name) => _steps.GetOrAdd(name, n =>
    {
        _order.Enqueue(n);
        return new StepStats(n);
    });

    public IEnumerable<StepStats> Steps => _order.Distinct(StringComparer.Ordinal).Select(n => _steps[n]);

    public long TotalOk => _steps.Values.Sum(s => s.Ok);

    /// <summary>
    /// How late the generator started each iteration after its scheduled instant (open model), the in-flight cap's wait
    /// included. It is part of the first step's corrected latency, as it must be; reported beside it so a reader can tell
    /// the generator's share from the server's.
    /// </summary>
    public void RecordDispatchLag(TimeSpan lag)
    {
        var v = Math.Clamp((long)lag.TotalMicroseconds, 1, HighestLag);
        lock (_lagGate)
        {
            _dispatchLag.RecordValue(v);
        }
    }

    /// <summary>p50 and p99 of <see cref="RecordDispatchLag"/> in ms; null when nothing was recorded.</summary>
    public (double P50Ms, double P99Ms)? DispatchLag()
    {
        lock (_lagGate)
        {
            return _dispatchLag.TotalCount == 0 ? null
                : (_dispatchLag.GetValueAtPercentile(50) / 1000.0, _dispatchLag.GetValueAtPercentile(99) / 1000.0);
        }
    }

    public long TotalFailed => _steps.Values.Sum(s => s.Failed + s.TimedOut);
}
