using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NQ66Quiz.LoadTests.Harness;

public sealed record MachineFacts(int Cores, double MemoryGiB, string Os, string Runtime, string Generator, string ProcessorArchitecture)
{
    public static MachineFacts Now(bool sharesHost) => new(
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        sharesHost ? "shares the host with the app, PostgreSQL and Redis (every figure includes the generator's own CPU use)" : "separate host",
        RuntimeInformation.ProcessArchitecture.ToString());
}

/// <summary>The baseline a step is compared with: rate ratio (higher is better) and p99 ratio (lower is better).</summary>
public sealed record Ratio(string Step, string Baseline, double RateRatio, double P99Ratio);

public sealed record WireFacts(long BytesOut, long BytesIn, long ConnectionsOpened, long Reconnects, double ConnectP50Us, double ConnectP99Us, double ConnectMaxUs);

public sealed record ScenarioReport(
    string Name, string Description, IReadOnlyList<string> Load, double WarmUpSeconds, double WindowSeconds, double OfferedRate,
    double IterationRate, long IterationsStarted, long IterationsCompleted, long IterationsFailed, int PeakCopies,
    IReadOnlyList<StepSummary> Steps, IReadOnlyDictionary<string, double> Checks, IReadOnlyDictionary<string, double> Facts,
    WireFacts Wire, IReadOnlyList<Ratio> Ratios, IReadOnlyDictionary<string, double> Server);

public sealed record ThresholdResult(string Expression, double? Actual, bool Passed, string Note);

public sealed record RunReport(string Command, DateTimeOffset StartedAt, MachineFacts Machine, IReadOnlyList<ScenarioReport> Scenarios,
    IReadOnlyList<ThresholdResult> Thresholds)
{
    public int Passed => Thresholds.Count(t => t.Passed);
    public int Failed => Thresholds.Count(t => !t.Passed);
}

/// <summary>
/// Pass/fail rules: <c>[scenario/]step.metric OP value</c>. Metrics: p50 p75 p95 p99 p99.9 max (ms), rate (/s), ok,
/// failed, timeouts, errors (failed + timeouts); <c>check.NAME</c> and <c>fact.NAME</c> for the scenario's own
/// numbers; <c>ratio.STEP.rate</c> / <c>ratio.STEP.p99</c> against the step's baseline. OP: &lt; &lt;= &gt; &gt;= ==.
/// </summary>
public static partial class Thresholds
{
    [GeneratedRegex(@"^\s*(?:(?<scenario>[\w-]+)/)?(?<lhs>[\w.\-]+?)\s*(?<op><=|>=|==|<|>)\s*(?<value>[0-9.]+)\s*(?<unit>ms|s|/s)?\s*$")]
    private static partial Regex Rule();

    public static IReadOnlyList<ThresholdResult> Evaluate(IEnumerable<string> rules, IReadOnlyList<ScenarioReport> scenarios)
    {
        var results = new List<ThresholdResult>();
        foreach (var rule in rules)
        {
            var m = Rule().Match(rule);
            if (!m.Success)
            {
                results.Add(new(rule, null, false, "cannot read this rule (expected e.g. save.p99<=50ms, submit.rate>=2000, check.lost_submissions==0)"));
                continue;
            }
            var scenario = m.Groups["scenario"].Success ? m.Groups["scenario"].Value : null;
            var lhs = m.Groups["lhs"].Value;
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture) * (m.Groups["unit"].Value == "s" ? 1000 : 1);
            var candidates = scenarios.Where(s => scenario is null || s.Name == scenario).ToList();
            double? actual = null;
            foreach (var s in candidates)
            {
                actual ??= Lookup(s, lhs);
            }
            if (actual is null)
            {
                results.Add(new(rule, null, false, $"no measured value named '{lhs}'" + (scenario is null ? "" : $" in {scenario}")));
                continue;
            }
            var op = m.Groups["op"].Value;
            var passed = op switch
            {
                "<" => actual < value,
                "<=" => actual <= value,
                ">" => actual > value,
                ">=" => actual >= value,
                _ => Math.Abs(actual.Value - value) < 1e-9,
            };
            results.Add(new(rule, actual, passed, ""));
        }
        return results;
    }

    private static double? Lookup(ScenarioReport s, string lhs)
    {
        if (lhs.StartsWith("check.", StringComparison.Ordinal))
        {
            return s.Checks.TryGetValue(lhs[6..], out var c) ? c : null;
        }
        if (lhs.StartsWith("fact.", StringComparison.Ordinal))
        {
            return s.Facts.TryGetValue(lhs[5..], out var f) ? f : null;
        }
        if (lhs.StartsWith("ratio.", StringComparison.Ordinal))
        {
            var rest = lhs[6..];
            var dot = rest.LastIndexOf('.');
            var r = s.Ratios.FirstOrDefault(x => x.Step == rest[..dot]);
            return r is null ? null : rest[(dot + 1)..] == "rate" ? r.RateRatio : r.P99Ratio;
        }
        foreach (var metric in new[] { "p99.9", "p50", "p75", "p95", "p99", "max", "rate", "ok", "failed", "timeouts", "errors", "mean" })
        {
            if (!lhs.EndsWith("." + metric, StringComparison.Ordinal))
            {
                continue;
            }
            var step = s.Steps.FirstOrDefault(x => x.Name == lhs[..^(metric.Length + 1)]);
            // No success, no latency or rate: a step that never succeeded must not pass "p99 <= x" with a zero.
            if (step is null || (step.Ok == 0 && metric is not ("ok" or "failed" or "timeouts" or "errors")))
            {
                return null;
            }
            return metric switch
            {
                "p50" => step.P50 / 1000,
                "p75" => step.P75 / 1000,
                "p95" => step.P95 / 1000,
                "p99" => step.P99 / 1000,
                "p99.9" => step.P999 / 1000,
                "max" => step.Max / 1000,
                "mean" => step.Mean / 1000,
                "rate" => step.Rate,
                "ok" => step.Ok,
                "failed" => step.Failed,
                "timeouts" => step.TimedOut,
                _ => step.Failed + step.TimedOut,
            };
        }
        return null;
    }
}

/// <summary>Console table, Markdown and JSON of one run.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Console(RunReport report)
    {
        var sb = new StringBuilder();
        foreach (var s in report.Scenarios)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"== {s.Name}: {string.Join(", ", s.Load)}; measured {s.WindowSeconds:0.#} s after {s.WarmUpSeconds:0.#} s warm-up");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"   iterations {s.IterationsCompleted}/{s.IterationsStarted} ({s.IterationsFailed} failed), {s.IterationRate:0.#}/s achieved")
                + (s.OfferedRate > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {s.OfferedRate:0.#}/s offered") : $", {s.PeakCopies} copies"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"   {"step",-22} {"ok",9} {"fail",6} {"t/o",5} {"rate/s",9} {"p50",8} {"p75",8} {"p95",8} {"p99",8} {"p99.9",8} {"max",8} {"naive99",8}");
            foreach (var st in s.Steps)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"   {st.Name,-22} {st.Ok,9} {st.Failed,6} {st.TimedOut,5} {st.Rate,9:0.#} {Format.Ms(st.P50),8} {Format.Ms(st.P75),8} {Format.Ms(st.P95),8} "
                    + $"{Format.Ms(st.P99),8} {Format.Ms(st.P999),8} {Format.Ms(st.Max),8} {Format.Ms(st.NaiveP99),8}"));
            }
            foreach (var st in s.Steps)
            {
                foreach (var (error, count) in st.Errors)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"   error {st.Name}: {count} × {error}");
                }
            }
            foreach (var r in s.Ratios)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"   ratio {r.Step} / {r.Baseline}: rate {r.RateRatio:0.###}, p99 {r.P99Ratio:0.##}");
            }
            foreach (var (k, v) in s.Checks)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"   check {k} = {v:0.###}");
            }
            foreach (var (k, v) in s.Facts)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"   fact {k} = {v:0.###}");
            }
        }
        foreach (var t in report.Thresholds)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{(t.Passed ? "PASS" : "FAIL")} {t.Expression} (measured {(t.Actual is { } a ? a.ToString("0.###", CultureInfo.InvariantCulture) : "nothing")}) {t.Note}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"{report.Passed} passed, {report.Failed} failed");
        return sb.ToString();
    }

    public static string Markdown(RunReport report)
    {
        var sb = new StringBuilder();
        var m = report.Machine;
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Load run {report.StartedAt:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Command: `{report.Command}`");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m.Cores} cores, {m.MemoryGiB} GiB, {m.Os}, {m.Runtime} ({m.ProcessorArchitecture}); generator {m.Generator}.");
        sb.AppendLine();
        sb.AppendLine("Latencies in milliseconds. Open-model latencies count from the scheduled send time (coordinated omission corrected); "
            + "`naive p99` counts from the actual send and is shown only as a diagnostic. Only successful requests enter the percentiles.");
        foreach (var s in report.Scenarios)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {s.Name}");
            sb.AppendLine();
            if (s.Description.Length > 0)
            {
                sb.AppendLine(s.Description);
                sb.AppendLine();
            }
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Load: {string.Join(", ", s.Load)}; warm-up {s.WarmUpSeconds:0.#} s excluded; measured window {s.WindowSeconds:0.#} s. ")
                + string.Create(CultureInfo.InvariantCulture, $"Iterations {s.IterationsCompleted} of {s.IterationsStarted} started ({s.IterationsFailed} failed): {s.IterationRate:0.#}/s achieved")
                + (s.OfferedRate > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s.OfferedRate:0.#}/s offered.") : $", up to {s.PeakCopies} copies."));
            sb.AppendLine();
            sb.AppendLine("| step | ok | failed | timeouts | rate/s | p50 | p75 | p95 | p99 | p99.9 | max | naive p50 | naive p99 | bytes out | bytes in |");
            sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var st in s.Steps)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {st.Name} | {st.Ok} | {st.Failed} | {st.TimedOut} | {st.Rate:0.#} | {Format.Ms(st.P50)} | {Format.Ms(st.P75)} | {Format.Ms(st.P95)} | "
                    + $"{Format.Ms(st.P99)} | {Format.Ms(st.P999)} | {Format.Ms(st.Max)} | {Format.Ms(st.NaiveP50)} | {Format.Ms(st.NaiveP99)} | {Format.Bytes(st.BytesOut)} | {Format.Bytes(st.BytesIn)} |"));
            }
            var errors = s.Steps.SelectMany(st => st.Errors.Select(e => (st.Name, e.Key, e.Value))).ToList();
            if (errors.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine("Errors (most frequent):");
                foreach (var (step, error, count) in errors)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {step}: {count} × {error}");
                }
            }
            sb.AppendLine();
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Wire: {Format.Bytes(s.Wire.BytesOut)} out, {Format.Bytes(s.Wire.BytesIn)} in; {s.Wire.ConnectionsOpened} connections opened "
                + $"(set-up p50 {Format.Ms(s.Wire.ConnectP50Us)} ms, p99 {Format.Ms(s.Wire.ConnectP99Us)} ms, max {Format.Ms(s.Wire.ConnectMaxUs)} ms), {s.Wire.Reconnects} reconnects."));
            if (s.Ratios.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine("| step | baseline | rate ÷ baseline rate | p99 ÷ baseline p99 |");
                sb.AppendLine("|---|---|--:|--:|");
                foreach (var r in s.Ratios)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Step} | {r.Baseline} | {r.RateRatio:0.###} | {r.P99Ratio:0.##} |");
                }
            }
            Table(sb, "Checks against the database", s.Checks);
            Table(sb, "Facts", s.Facts);
            Table(sb, "Server-side (Prometheus scrape of the app, change over the measured window)", s.Server);
        }
        sb.AppendLine();
        sb.AppendLine("## Thresholds");
        sb.AppendLine();
        foreach (var t in report.Thresholds)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {(t.Passed ? "PASS" : "FAIL")} `{t.Expression}`: measured {(t.Actual is { } a ? a.ToString("0.###", CultureInfo.InvariantCulture) : "nothing")} {t.Note}");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{report.Passed} passed, {report.Failed} failed");
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, string title, IReadOnlyDictionary<string, double> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{title}:");
        sb.AppendLine();
        sb.AppendLine("| name | value |");
        sb.AppendLine("|---|--:|");
        foreach (var (k, v) in values)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {v:0.###} |");
        }
    }

    /// <returns>The Markdown file's path.</returns>
    public static async Task<string> WriteAsync(RunReport report, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, name);
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(report, Json));
        await File.WriteAllTextAsync(stem + ".md", Markdown(report));
        return stem + ".md";
    }
}
