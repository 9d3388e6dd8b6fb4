namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// How copies of a scenario are started, as in NBomber. Closed model (<see cref="Ramp"/>, <see cref="KeepConstant"/>):
/// a fixed number of copies loop, each starting its next iteration when the last ends, so a slow server slows the
/// offered load down with it. Open model (<see cref="InjectPerSec"/>, <see cref="RampPerSec"/>): iterations start on a
/// schedule whatever the server does, and their latency counts from the scheduled time (coordinated omission corrected).
/// <see cref="Once"/> runs a single iteration (set-up heavy scenarios: round close, rebuild).
/// </summary>
public abstract record LoadSimulation(TimeSpan During)
{
    public sealed record Ramp(int Copies, TimeSpan During) : LoadSimulation(During);

    public sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation(During);

    public sealed record InjectPerSec(double Rate, TimeSpan During) : LoadSimulation(During);

    public sealed record RampPerSec(double Rate, TimeSpan During) : LoadSimulation(During);

    public sealed record Once() : LoadSimulation(TimeSpan.Zero);

    public bool IsOpen => this is InjectPerSec or RampPerSec;

    public sealed override string ToString() => this switch
    {
        Ramp r => $"ramp to {r.Copies} copies over {Format.Duration(r.During)}",
        KeepConstant k => $"keep {k.Copies} copies for {Format.Duration(k.During)}",
        InjectPerSec i => $"inject {i.Rate:0.#}/s for {Format.Duration(i.During)}",
        RampPerSec r => $"ramp to {r.Rate:0.#}/s over {Format.Duration(r.During)}",
        Once => "once",
        _ => GetType().Name,
    };

    /// <summary>Parses <c>keep:32:30s</c>, <c>ramp:32:10s</c>, <c>inject:200:30s</c>, <c>ramp-inject:200:10s</c>, <c>once</c>.</summary>
    public static LoadSimulation Parse(string text)
    {
        var p = text.Split(':');
        var kind = p[0].ToLowerInvariant();
        if (kind == "once")
        {
            return new Once();
        }
        if (p.Length != 3)
        {
            throw new ArgumentException($"load '{text}': expected kind:number:duration, e.g. inject:200:30s, keep:32:30s, ramp:32:10s, ramp-inject:200:10s, or once");
        }
        var during = Format.ParseDuration(p[2]);
        var n = double.Parse(p[1].Replace("/s", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        return kind switch
        {
            "keep" => new KeepConstant((int)n, during),
            "ramp" => new Ramp((int)n, during),
            "inject" => new InjectPerSec(n, during),
            "ramp-inject" => new RampPerSec(n, during),
            _ => throw new ArgumentException($"load '{text}': unknown kind '{kind}' (keep, ramp, inject, ramp-inject, once)"),
        };
    }
}

/// <summary>What a step reports back: its payload bytes and, for failures, why.</summary>
public readonly record struct Reply(bool Ok, long BytesOut = 0, long BytesIn = 0, string? Error = null)
{
    public static Reply Success(long bytesOut = 0, long bytesIn = 0) => new(true, bytesOut, bytesIn);

    public static Reply Fail(string error, long bytesOut = 0, long bytesIn = 0) => new(false, bytesOut, bytesIn, error);
}

/// <summary>A step failed; the rest of the iteration is skipped (as NBomber does) and the next one starts.</summary>
public sealed class StepFailedException(string step, string error) : Exception($"{step}: {error}");

/// <summary>One scenario: set-up, the iteration (made of named steps), the load, and checks of what the server kept.</summary>
public sealed class Scenario
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Prepares data and clients; runs before the clock starts.</summary>
    public Func<CancellationToken, Task>? Init { get; init; }

    public required Func<IterationContext, Task> Run { get; init; }

    public IReadOnlyList<LoadSimulation> Load { get; set; } = [new LoadSimulation.Once()];

    /// <summary>Load applied before measuring; its results are thrown away (JIT, pools, caches, PostgreSQL buffers).</summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.Zero;

    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open model: at most this many iterations in flight; beyond it scheduled ones wait (and the wait counts).</summary>
    public int MaxInFlight { get; set; } = 10_000;

    /// <summary>After the load: checks against PostgreSQL (lost or duplicate answers, ...), as named numbers.</summary>
    public Func<CancellationToken, Task<IReadOnlyDictionary<string, double>>>? Verify { get; init; }

    /// <summary>Baseline per step: step name → the baseline step whose rate and p99 it is compared with.</summary>
    public IReadOnlyDictionary<string, string> Baselines { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The processes that serve this scenario, when not the app's (the baseline server): their CPU is the "app" share.</summary>
    public IReadOnlyList<int>? ServedBy { get; init; }

    /// <summary>Facts the scenario measured outside the steps (RSS per player, rows generated, ...), shown in the report.</summary>
    public Dictionary<string, double> Facts { get; } = new(StringComparer.Ordinal);

    public Func<Task>? Clean { get; init; }
}

public static class Format
{
    public static string Duration(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";

    public static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        static double N(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        if (t.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(N(t[..^2]));
        }
        if (t.EndsWith('s'))
        {
            return TimeSpan.FromSeconds(N(t[..^1]));
        }
        if (t.EndsWith('m'))
        {
            return TimeSpan.FromMinutes(N(t[..^1]));
        }
        return TimeSpan.FromSeconds(N(t));
    }

    public static string Ms(double microseconds) => microseconds >= 100_000 ? $"{microseconds / 1000:0}" : $"{microseconds / 1000:0.##}";

    public static string Bytes(long b) => b >= 10L << 20 ? $"{b / (1024.0 * 1024):0.#} MiB" : b >= 10 << 10 ? $"{b / 1024.0:0.#} KiB" : $"{b} B";
}
