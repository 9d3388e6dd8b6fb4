using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using StackExchange.Redis;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// Who spent the machine's CPU over a measured window, read from /proc: the app's processes (with nginx and its
/// workers in a two-node run), the target PostgreSQL (its postmaster, every backend and what exited backends spent),
/// the target Redis, this generator, and the machine as a whole. On a box past its knee the rates and tails of two
/// builds differ from run to run by more than a change moves them; the CPU each iteration costs does not.
/// </summary>
public sealed class CpuTime
{
    // Linux reports process and machine times in clock ticks of USER_HZ, 100 on every mainstream build (x86-64, arm64).
    private const double TicksPerSecond = 100;

    // Of the "cpu" line of /proc/stat: user, nice, system, irq, softirq, steal (idle and iowait are 4 and 5).
    private static readonly int[] BusyFields = [1, 2, 3, 6, 7, 8];

    private readonly IReadOnlyList<int> _app;
    private readonly int? _postmaster;
    private readonly int? _redis;

    private CpuTime(IReadOnlyList<int> app, int? postmaster, int? redis)
    {
        _app = app;
        _postmaster = postmaster;
        _redis = redis;
    }

    public sealed record Sample(double App, double Postgres, double Redis, double Generator, double MachineBusy, long At);

    /// <summary>Finds the target's PostgreSQL and Redis processes; null where there is no /proc to read.</summary>
    public static async Task<CpuTime?> ResolveAsync(Target target, CancellationToken ct)
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }
        int? postmaster = null;
        try
        {
            await using var connection = new NpgsqlConnection(target.Postgres);
            await connection.OpenAsync(ct);
            var backend = await connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()");
            postmaster = Processes().TryGetValue(backend, out var p) ? p.Parent : null;
        }
        catch (NpgsqlException)
        {
            // As for Redis: PostgreSQL's share then shows under "other".
        }
        int? redis = null;
        try
        {
            var options = ConfigurationOptions.Parse(target.Redis);
            options.AllowAdmin = true; // INFO is an admin command to the client library
            await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
            var info = await mux.GetServer(mux.GetEndPoints()[0]).InfoAsync("server");
            var id = info.SelectMany(g => g).FirstOrDefault(kv => kv.Key == "process_id").Value;
            redis = int.TryParse(id, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is RedisException or RedisCommandException)
        {
            // Without the pid the report still has every other figure; Redis's share then shows under "other".
        }
        return new CpuTime(target.ServerPids, postmaster, redis);
    }

    /// <summary>The same sources with other processes in the app's place: the baseline server, for the baselines it serves.</summary>
    public CpuTime WithApp(IReadOnlyList<int> pids) => new(pids, _postmaster, _redis);

    public Sample Read()
    {
        var processes = Processes();
        var children = processes.ToLookup(p => p.Value.Parent, p => p.Key);
        // An app in the generator's own process (the test suite's smoke runs) is counted once, as the generator.
        return new Sample(_app.Where(pid => pid != Environment.ProcessId).Sum(pid => Tree(processes, children, pid)), _postmaster is { } pm ? Tree(processes, children, pm) : 0,
            _redis is { } r ? Tree(processes, children, r) : 0, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, MachineBusy(),
            Stopwatch.GetTimestamp());
    }

    /// <summary>The window's figures as facts: seconds of CPU by owner, the machine's busy share, and CPU per iteration.</summary>
    public static Dictionary<string, double> Facts(Sample before, Sample after, double iterationsPerSecond)
    {
        var seconds = Stopwatch.GetElapsedTime(before.At, after.At).TotalSeconds;
        var facts = new Dictionary<string, double>(StringComparer.Ordinal);
        if (seconds <= 0)
        {
            return facts;
        }
        var owners = new (string Name, double Used)[]
        {
            ("app", after.App - before.App), ("postgres", after.Postgres - before.Postgres), ("redis", after.Redis - before.Redis),
            ("generator", after.Generator - before.Generator),
        };
        // /proc/stat charges each whole tick to what the CPU was doing at that instant, while a process's times add up
        // what it really ran: on a lightly loaded box (a room waiting between questions: many short wake-ups) the
        // machine can read less busy than the processes on it. The machine is then at least their sum, and "other" 0.
        var busy = Math.Max(after.MachineBusy - before.MachineBusy, owners.Sum(o => o.Used));
        foreach (var (name, used) in owners)
        {
            facts[$"cpu_{name}_cores"] = Math.Round(used / seconds, 3);
        }
        facts["cpu_other_cores"] = Math.Round((busy - owners.Sum(o => o.Used)) / seconds, 3);
        facts["cpu_machine_busy_share"] = Math.Round(busy / seconds / Environment.ProcessorCount, 3);
        if (iterationsPerSecond > 0)
        {
            // Cores used ÷ iterations a second = CPU seconds per iteration; shown in ms.
            var server = owners.Where(o => o.Name is not "generator").ToList();
            foreach (var (name, used) in server.Append(("server", server.Sum(o => o.Used))))
            {
                facts[$"cpu_{name}_ms_per_iteration"] = Math.Round(used / seconds / iterationsPerSecond * 1000, 3);
            }
        }
        return facts;
    }

    private readonly record struct Proc(int Parent, double Own, double ReapedChildren);

    /// <summary>A process's own time, its live descendants' and what its exited children spent (once it reaped them).</summary>
    private static double Tree(Dictionary<int, Proc> processes, ILookup<int, int> children, int root) =>
        processes.TryGetValue(root, out var top) ? top.Own + top.ReapedChildren + children[root].Sum(c => Tree(processes, children, c)) : 0;

    private static Dictionary<int, Proc> Processes()
    {
        var all = new Dictionary<int, Proc>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // The name in parentheses may hold spaces: the fields that follow are counted from its closing one.
                var stat = File.ReadAllText($"{dir}/stat");
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                double Ticks(int field) => double.Parse(rest[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
                all[pid] = new Proc(int.Parse(rest[4 - 3], CultureInfo.InvariantCulture), Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
            }
            catch (IOException)
            {
                // The process exited while the folder was read.
            }
        }
        return all;
    }

    /// <summary>The machine's busy time since boot: user, nice, system, irq, softirq and steal (guest time is inside user).</summary>
    private static double MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return BusyFields.Sum(i => double.Parse(fields[i], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
