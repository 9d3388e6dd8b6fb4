using System.Globalization;
using System.Text.Json;
using NQ66Quiz.LoadTests.Harness;

// The load harness. `run` drives scenarios against a running app (load-tests/run starts one); `baseline-server` is the
// bare endpoint and hub the run starts in a process of its own. Exit code: 0 when every threshold passed, 1 when one
// failed, 2 for a bad command line.
namespace NQ66Quiz.LoadTests;

internal static class LoadTestsProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return args.FirstOrDefault() switch
            {
                "baseline-server" => await BaselineServer.RunAsync(int.Parse(Arg(args, "--port") ?? "0", CultureInfo.InvariantCulture), cancel.Token),
                "run" => await RunAsync(args[1..], cancel.Token),
                _ => Usage(),
            };
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
    }

    private static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        // The app and the bare hub inherit the caller's environment, and DOTNET_gcServer changes what both measure:
        // the report's command names it when it was set, so a rerun is like for like.
        var gc = Environment.GetEnvironmentVariable("DOTNET_gcServer") is { Length: > 0 } g ? $"DOTNET_gcServer={g} " : "";
        var options = Cli.Parse(args, gc + "load-tests/run " + string.Join(' ', args));
        var report = await Runner.RunAsync(options, Console.Out, ct);
        return report.Failed == 0 ? 0 : 1;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: NQ66Quiz.LoadTests run SCENARIO... [options]      (load-tests/run wraps this; see load-tests/README.md)
                   NQ66Quiz.LoadTests baseline-server --port N
            scenarios: online-attempts leaderboard-reads round-close leaderboards-rebuild live-round baselines all
            """);
        return 2;
    }
}

/// <summary>The command line (and the optional scenario file, whose values the command line overrides).</summary>
internal static class Cli
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record FileOptions(List<string>? Scenarios, List<string>? Load, List<string>? Thresholds, int? Players, int? Questions,
        int? Participants, int? Entries, int? Copies, string? Duration, string? WarmUp);

    public static RunOptions Parse(string[] args, string command)
    {
        var scenarios = new List<string>();
        var thresholds = new List<string>();
        var loads = new List<LoadSimulation>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new List<string>();
        var pids = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                scenarios.Add(a);
                continue;
            }
            if (a == "--no-baselines" || a == "--quiet")
            {
                values[a] = "true";
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{a} needs a value");
            }
            var v = args[++i];
            switch (a)
            {
                case "--threshold":
                    thresholds.Add(v);
                    break;
                case "--load":
                    loads.Add(LoadSimulation.Parse(v));
                    break;
                case "--node":
                    nodes.Add(v);
                    break;
                case "--server-pid":
                    pids.AddRange(v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
                    break;
                default:
                    values[a] = v;
                    break;
            }
        }
        FileOptions? file = null;
        if (values.TryGetValue("--file", out var path))
        {
            file = JsonSerializer.Deserialize<FileOptions>(File.ReadAllText(path), Web)
                ?? throw new ArgumentException($"{path}: empty scenario file");
            scenarios.AddRange(file.Scenarios ?? []);
            thresholds.InsertRange(0, file.Thresholds ?? []);
            if (loads.Count == 0)
            {
                loads.AddRange((file.Load ?? []).Select(LoadSimulation.Parse));
            }
        }
        if (scenarios.Count == 0)
        {
            throw new ArgumentException("name at least one scenario: " + string.Join(", ", Runner.Known) + ", all");
        }
        int Int(string name, int? fromFile, int fallback) => values.TryGetValue(name, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : fromFile ?? fallback;
        var app = Wire.Loopback(values.GetValueOrDefault("--target") ?? Environment.GetEnvironmentVariable("NQ66_LOAD_TARGET") ?? "http://127.0.0.1:5066", "--target");
        var nodeUris = nodes.Count == 0 ? [app] : nodes.Select(n => Wire.Loopback(n, "--node")).ToList();
        var metrics = values.TryGetValue("--metrics", out var m)
            ? m.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => Wire.Loopback(x, "--metrics")).ToList()
            : nodeUris.Select(n => new Uri(n, "/metrics")).ToList();
        var password = values.GetValueOrDefault("--organizer-password") ?? Environment.GetEnvironmentVariable("NQ66_ORGANIZER_PASSWORD")
            ?? (File.Exists(".data/first-admin-password") ? File.ReadAllText(".data/first-admin-password").Trim() : "");
        var email = values.GetValueOrDefault("--organizer-email") ?? Environment.GetEnvironmentVariable("NQ66_ADMIN_EMAIL") ?? "admin@nq66.local";
        var target = new Target(app, nodeUris,
            Wire.LoopbackPostgres(values.GetValueOrDefault("--postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
                ?? "Host=127.0.0.1;Port=55432;Username=nq66;Password=nq66;Database=nq66"),
            Wire.LoopbackRedis(values.GetValueOrDefault("--redis") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:56379"),
            password, metrics, pids, OrganizerEmail: email);
        var duration = Format.ParseDuration(values.GetValueOrDefault("--duration") ?? file?.Duration ?? "30s");
        return new RunOptions
        {
            Scenarios = scenarios,
            Target = target,
            Baselines = !values.ContainsKey("--no-baselines"),
            Quiet = values.ContainsKey("--quiet"),
            Copies = Int("--copies", file?.Copies, 32),
            Load = loads.Count == 0 ? null : loads,
            Duration = duration,
            WarmUp = Format.ParseDuration(values.GetValueOrDefault("--warmup") ?? file?.WarmUp ?? "5s"),
            Participants = Int("--participants", file?.Participants, 400),
            Entries = Int("--entries", file?.Entries, 1_000_000),
            Readers = Int("--readers", null, 200),
            Players = Int("--players", file?.Players, 10_000),
            Questions = Int("--questions", file?.Questions, 5),
            CopyRows = Int("--copy-rows", null, 1_000_000),
            Thresholds = thresholds,
            OutputFolder = values.GetValueOrDefault("--out") ?? "load-tests/results",
            ReportName = values.GetValueOrDefault("--name"),
            Command = command,
        };
    }
}
