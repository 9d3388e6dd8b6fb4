using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NQ66Quiz.IntegrationTests.Contests;

namespace NQ66Quiz.IntegrationTests.Faults;

/// <summary>
/// Servers of the fault tests' own: these tests kill and restart them, so they never touch the shared PostgreSQL and
/// Redis of .ci/services. Ports are picked at random in 20000-29999 and checked free; data lives under a temp folder.
/// </summary>
public static class FaultPorts
{
    public static int Free()
    {
        for (var i = 0; i < 200; i++)
        {
            var port = Random.Shared.Next(20000, 30000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No free port in 20000-29999 on 127.0.0.1.");
    }
}

/// <summary>Runs a short command to the end; fails the test with its output when it fails.</summary>
internal static class Shell
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null,
        bool asPostgres = false, bool check = true)
    {
        var psi = asPostgres && IsRoot ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        psi.RedirectStandardInput = stdin is not null;
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteLineAsync(stdin);
            p.StandardInput.Close();
        }
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var text = await output + await error;
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {text}");
        }
        return text;
    }
}

/// <summary>A PostgreSQL cluster of the test's own (initdb into a temp folder; run as user postgres when we are root).</summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _dir = Path.Combine("/tmp", "nq66-faults-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
        .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
        ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (.ci/services installs them).");

    public int Port { get; } = FaultPorts.Free();
    private string Data => Path.Combine(_dir, "pg");
    private string Log => Path.Combine(_dir, "pg.log");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=60;Timeout=5;Command Timeout=15";

    public async Task InitAsync()
    {
        Directory.CreateDirectory(_dir);
        if (Shell.IsRoot)
        {
            // postgres refuses to run as root: the folder is handed to the postgres user, who must be able to enter it.
            await Shell.RunAsync("chown", ["postgres", _dir]);
            await Shell.RunAsync("chmod", ["755", _dir]);
        }
        await Shell.RunAsync(Path.Combine(_bin, "initdb"), ["-D", Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], asPostgres: true);
        await StartAsync();
    }

    public Task StartAsync() => Shell.RunAsync(Path.Combine(_bin, "pg_ctl"),
        ["-D", Data, "-l", Log, "-w", "-t", "30", "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dir} -c fsync=off -c max_connections=200", "start"],
        asPostgres: true);

    /// <summary>Fast shutdown: open transactions are rolled back, connections cut (what a restart or failover does).</summary>
    public Task StopAsync() => Shell.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "stop"], asPostgres: true);

    public async ValueTask DisposeAsync()
    {
        await Shell.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], asPostgres: true, check: false);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A redis-server of the test's own, without persistence: started again after a kill, it is empty.</summary>
public sealed class OwnRedis : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nq66-faults-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FaultPorts.Free();
    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", _dir, "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"redis-server did not listen on {ConnectionString} within 10 s.");
    }

    /// <summary>SIGKILL: Redis vanishes with everything it held.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The real app as a separate process (the Release build of NQ66Quiz.Web), so a test can kill -9 it.</summary>
public sealed class AppProcess(string postgres, string redis) : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public int Port { get; } = FaultPorts.Free();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public const string AdminEmail = "quan-tri@nq66.test";
    public const string AdminPassword = "mat-khau-quan-tri-faults";

    public static string Dll
    {
        get
        {
            var dll = Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", "bin", "Release", "net10.0", "NQ66Quiz.Web.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not found: build the solution in Release first (.ci/test does).");
        }
    }

    private Dictionary<string, string> Environment(bool importContent) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
        ["ConnectionStrings__Postgres"] = postgres,
        ["ConnectionStrings__Redis"] = redis + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000",
        ["Redis__KeyPrefix"] = "faults:",
        ["Contests__JobIntervalSeconds"] = "1",
        ["Contests__SubmitGraceSeconds"] = "2",
        ["Content__ImportOnStart"] = importContent ? TestData.ContentRoot : "",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public Task CreateAdminAsync() => Shell.RunAsync("dotnet", [Dll, "organizers", "create-admin", "--email", AdminEmail, "--name", "Quản trị Thành phố", "--password-stdin"],
        stdin: AdminPassword, env: Environment(false));

    public async Task StartAsync(bool importContent = false)
    {
        var psi = new ProcessStartInfo("dotnet", [Dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Dll)! };
        foreach (var (k, v) in Environment(importContent))
        {
            psi.Environment[k] = v;
        }
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} while starting:\n{Log}");
            }
            try
            {
                using var response = await http.GetAsync("/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"The app did not answer /health/live within 90 s:\n{Log}");
    }

    /// <summary>kill -9: no shutdown hooks, no flush; whatever was not committed is gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.Length > 20000 ? _log.ToString(_log.Length - 20000, 20000) : _log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
