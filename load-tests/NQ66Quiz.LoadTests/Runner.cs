using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NQ66Quiz.LoadTests.Harness;
using NQ66Quiz.LoadTests.Scenarios;

namespace NQ66Quiz.LoadTests;

/// <summary>Everything one run needs; the command line (or a scenario file) fills it.</summary>
public sealed record RunOptions
{
    public List<string> Scenarios { get; init; } = [];
    public required Target Target { get; init; }
    public bool Baselines { get; init; } = true;
    public int Copies { get; init; } = 32;
    public List<LoadSimulation>? Load { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    public int Participants { get; init; } = 400;
    public int Entries { get; init; } = 1_000_000;
    public int Readers { get; init; } = 200;
    public int Players { get; init; } = 10_000;
    public int Questions { get; init; } = 5;
    public int CopyRows { get; init; } = 1_000_000;
    public List<string> Thresholds { get; init; } = [];
    public string OutputFolder { get; init; } = "load-tests/results";
    public string? ReportName { get; init; }
    public string Command { get; init; } = "";
    public bool Quiet { get; init; }
}

/// <summary>Runs the chosen scenarios and the baselines they are compared with, and writes the report.</summary>
public static class Runner
{
    public static readonly string[] Known = ["online-attempts", "leaderboard-reads", "round-close", "leaderboards-rebuild", "live-round", "baselines"];

    public static async Task<RunReport> RunAsync(RunOptions o, TextWriter output, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var names = o.Scenarios.Contains("all") ? Known.ToList() : o.Scenarios;
        foreach (var n in names.Where(n => !Known.Contains(n)))
        {
            throw new ArgumentException($"unknown scenario '{n}'; known: {string.Join(", ", Known)}, all");
        }
        var wire = new Wire();
        var app = new AppClient(o.Target, wire, Math.Max(o.Copies, 64));
        var million = new Million(app, o.Entries, o.Readers);
        var needsHttpBaseline = o.Baselines && names.Any(n => n is "online-attempts" or "leaderboard-reads" or "baselines");
        var needsHubBaseline = o.Baselines && names.Any(n => n is "live-round" or "baselines");
        var needsCopyBaseline = o.Baselines && names.Any(n => n is "round-close" or "leaderboards-rebuild" or "baselines");
        using var baseline = needsHttpBaseline || needsHubBaseline ? await BaselineProcess.StartAsync(ct) : null;
        var load = o.Load ?? [new LoadSimulation.KeepConstant(o.Copies, o.Duration)];
        var plan = new List<List<Scenario>>();
        if (needsHttpBaseline)
        {
            plan.Add([Baselines.BareHttp(wire, baseline!.Url, baseline.Pid, o.Copies, o.Duration, o.WarmUp)]);
            plan.Add([Baselines.RedisZadd(o.Target.Redis, Math.Min(o.Copies, 8), TimeSpan.FromSeconds(Math.Min(10, o.Duration.TotalSeconds)), TimeSpan.FromSeconds(1))]);
        }
        if (needsCopyBaseline)
        {
            plan.Add([Baselines.PostgresCopy(o.Target.Postgres, o.CopyRows)]);
        }
        if (needsHubBaseline)
        {
            plan.Add([Baselines.BareHub(wire, baseline!.Url, baseline.Pid, o.Players, o.Questions, TimeSpan.FromSeconds(5), "spread")]);
            plan.Add([Baselines.BareHub(wire, baseline.Url, baseline.Pid, o.Players, o.Questions, TimeSpan.FromMilliseconds(100), "burst")]);
        }
        foreach (var n in names)
        {
            switch (n)
            {
                case "online-attempts":
                    plan.Add([OnlineAttempts.Create(app, o.Participants, load, o.WarmUp)]);
                    break;
                case "leaderboard-reads":
                    // The write load beside the reads: the same online attempts, a quarter of the copies or rate.
                    plan.Add([million.Reads(load, o.WarmUp), OnlineAttempts.Create(app, Math.Max(50, o.Participants / 4), [.. load.Select(Quarter)], o.WarmUp, "online-attempts-beside-reads")]);
                    break;
                case "leaderboards-rebuild":
                    plan.Add([million.Rebuild()]);
                    break;
                case "round-close":
                    plan.Add([million.Close()]);
                    break;
                case "live-round":
                    plan.Add([LiveRound.Create(app, wire, o.Players, o.Questions, TimeSpan.FromSeconds(5), "spread")]);
                    plan.Add([LiveRound.Create(app, wire, o.Players, o.Questions, TimeSpan.FromMilliseconds(100), "burst")]);
                    break;
            }
        }

        var metrics = new Prometheus(app.Http, o.Target.Metrics);
        var cpu = await CpuTime.ResolveAsync(o.Target, ct);
        var reports = new List<ScenarioReport>();
        foreach (var group in plan)
        {
            try
            {
                await RunGroupAsync(group, o, wire, metrics, group[0].ServedBy is { } servers ? cpu?.WithApp(servers) : cpu, reports, output, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One scenario that cannot run must not lose the others' figures: it is reported as failed.
                await output.WriteLineAsync($"[{string.Join(", ", group.Select(s => s.Name))}] failed: {e.GetType().Name}: {e.Message}");
                foreach (var s in group.Where(s => reports.All(r => r.Name != s.Name)))
                {
                    reports.Add(new ScenarioReport(s.Name, s.Description + $" **Did not complete: {e.GetType().Name}: {e.Message}**", [.. s.Load.Select(l => l.ToString())],
                        0, 0, 0, 0, 0, 0, 0, 0, [], new Dictionary<string, double>(StringComparer.Ordinal) { ["completed"] = 0 },
                        new Dictionary<string, double>(s.Facts, StringComparer.Ordinal), new WireFacts(0, 0, 0, 0, 0, 0, 0), [], new Dictionary<string, double>(StringComparer.Ordinal)));
                    if (s.Clean is not null)
                    {
                        try
                        {
                            await s.Clean();
                        }
                        catch (Exception cleanError)
                        {
                            await output.WriteLineAsync($"[{s.Name}] clean-up failed too: {cleanError.Message}");
                        }
                    }
                }
            }
        }
        reports = [.. reports.Select(r => r with { Ratios = Ratios(r, reports, plan.SelectMany(g => g).First(s => s.Name == r.Name)) })];
        var report = new RunReport(o.Command, startedAt, MachineFacts.Now(sharesHost: true), reports, Harness.Thresholds.Evaluate(o.Thresholds, reports));
        await output.WriteLineAsync(ReportWriter.Console(report));
        var name = o.ReportName ?? $"{string.Join("+", names)}-{startedAt:yyyyMMdd-HHmmss}";
        var path = await ReportWriter.WriteAsync(report, o.OutputFolder, name);
        await output.WriteLineAsync($"report: {path} (and .json beside it)");
        return report;
    }

    /// <summary>The 1-minute load average (/proc/loadavg), or null where the OS has none.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task RunGroupAsync(List<Scenario> group, RunOptions o, Wire wire, Prometheus metrics, CpuTime? cpu, List<ScenarioReport> reports,
        TextWriter output, CancellationToken ct)
    {
        {
            foreach (var s in group.Where(s => s.Init is not null))
            {
                await output.WriteLineAsync($"[{s.Name}] preparing");
                await s.Init!(ct);
            }
            var wireBefore = (wire.BytesOut, wire.BytesIn, wire.ConnectionsOpened, wire.Reconnects);
            // The server's figures cover the measured window, as the generator's do: scraped when the warm-up ends.
            Task<Prometheus.Sample?>? before = null;
            CpuTime.Sample? cpuBefore = null;
            // The machine's load average beside every figure: on a shared box absolute times follow it, ratios less so.
            var loadBefore = LoadAverage();
            var outcomes = await Task.WhenAll(group.Select((s, i) =>
                Engine.RunAsync(s, o.Quiet ? TextWriter.Null : output, ct, i == 0 ? () =>
                {
                    cpuBefore = cpu?.Read();
                    before = metrics.ScrapeAsync(ct);
                } : null)));
            var cpuAfter = cpu?.Read();
            var loadAfter = LoadAverage();
            foreach (var s in group.Where(_ => loadBefore is not null && loadAfter is not null))
            {
                s.Facts["load_average_1m_before"] = loadBefore!.Value;
                s.Facts["load_average_1m_after"] = loadAfter!.Value;
            }
            var after = await metrics.ScrapeAsync(ct);
            var server = Prometheus.Summarise(before is null ? null : await before, after);
            var connect = wire.ConnectTimes();
            for (var i = 0; i < group.Count; i++)
            {
                var s = group[i];
                var outcome = outcomes[i];
                var checks = s.Verify is null ? new Dictionary<string, double>(StringComparer.Ordinal) : await s.Verify(ct);
                if (s.Clean is not null)
                {
                    await s.Clean();
                }
                var window = outcome.Window;
                // The whole group's CPU (a scenario and the load beside it share the window): on the first scenario only.
                if (i == 0 && cpuBefore is not null && cpuAfter is not null)
                {
                    var rate = window.TotalSeconds > 0 ? outcome.Stats.Completed / window.TotalSeconds : 0;
                    foreach (var (k, v) in CpuTime.Facts(cpuBefore, cpuAfter, rate))
                    {
                        s.Facts[k] = v;
                    }
                }
                if (outcome.Stats.DispatchLag() is { } lag)
                {
                    s.Facts["dispatch_lag_p50_ms"] = lag.P50Ms;
                    s.Facts["dispatch_lag_p99_ms"] = lag.P99Ms;
                }
                reports.Add(new ScenarioReport(s.Name, s.Description, [.. s.Load.Select(l => l.ToString())], s.WarmUp.TotalSeconds, window.TotalSeconds,
                    outcome.OfferedRate, window.TotalSeconds > 0 ? outcome.Stats.Completed / window.TotalSeconds : 0,
                    outcome.Stats.Started, outcome.Stats.Completed, outcome.Stats.IterationsFailed, outcome.PeakCopies,
                    [.. outcome.Stats.Steps.Select(st => st.Summarise(window))], checks, new Dictionary<string, double>(s.Facts, StringComparer.Ordinal),
                    new WireFacts(wire.BytesOut - wireBefore.BytesOut, wire.BytesIn - wireBefore.BytesIn, wire.ConnectionsOpened - wireBefore.ConnectionsOpened,
                        wire.Reconnects - wireBefore.Reconnects, connect.P50, connect.P99, connect.Max),
                    [], i == 0 ? server : new Dictionary<string, double>(StringComparer.Ordinal)));
            }
        }
    }

    private static LoadSimulation Quarter(LoadSimulation l) => l switch
    {
        LoadSimulation.KeepConstant k => k with { Copies = Math.Max(1, k.Copies / 4) },
        LoadSimulation.Ramp r => r with { Copies = Math.Max(1, r.Copies / 4) },
        LoadSimulation.InjectPerSec i => i with { Rate = i.Rate / 4 },
        LoadSimulation.RampPerSec r => r with { Rate = r.Rate / 4 },
        _ => l,
    };

    private static List<Ratio> Ratios(ScenarioReport r, List<ScenarioReport> all, Scenario s)
    {
        var ratios = new List<Ratio>();
        foreach (var (step, reference) in s.Baselines)
        {
            var parts = reference.Split('/');
            var b = all.FirstOrDefault(x => x.Name == parts[0])?.Steps.FirstOrDefault(x => x.Name == parts[1]);
            var mine = r.Steps.FirstOrDefault(x => x.Name == step);
            if (b is null || mine is null)
            {
                continue;
            }
            // Once-only steps compare durations (the ceiling did 1,000,000 rows in b; this did its work in mine).
            ratios.Add(new Ratio(step, reference, b.Rate > 0 ? mine.Rate / b.Rate : 0, b.P99 > 0 ? mine.P99 / b.P99 : 0));
        }
        return ratios;
    }

    public static int FreePort()
    {
        for (var i = 0; i < 50; i++)
        {
            var port = Random.Shared.Next(20000, 30000);
            try
            {
                using var l = new TcpListener(IPAddress.Loopback, port);
                l.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException("no free port in 20000-29999");
    }
}

/// <summary>The baseline server in a child process of this program, on a free port; killed with the run.</summary>
public sealed class BaselineProcess : IDisposable
{
    private readonly Process _process;

    private BaselineProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }
    public int Pid => _process.Id;

    public static async Task<BaselineProcess> StartAsync(CancellationToken ct)
    {
        var port = Runner.FreePort();
        var dll = typeof(BaselineProcess).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("baseline-server");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the baseline server");
        // Should the harness die without disposing it, the baseline server must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };
        var url = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetStringAsync(new Uri(url, "/ping"), ct)) == "ok")
                {
                    return new BaselineProcess(process, url);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet (or a busy machine answering slowly): ask again.
                await Task.Delay(200, ct);
            }
        }
        process.Kill(true);
        throw new InvalidOperationException("the baseline server did not answer on " + url + ": " + await process.StandardError.ReadToEndAsync(ct));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
