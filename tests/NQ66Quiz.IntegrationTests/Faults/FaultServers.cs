using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Faults;

// Servers of the fault tests' own: these tests kill and restart them, so they never touch the shared PostgreSQL and
// Redis of .ci/services. Ports come from FreePorts; data lives under a temp folder. The app process is
// AppProcess (Infrastructure), shared with the cluster tests.

/// <summary>A PostgreSQL cluster of the test's own (initdb into a temp folder; run as user postgres when we are root).</summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _dir = Path.Combine("/tmp", "nq66-faults-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
        .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
        ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (.ci/services installs them).");

    public int Port { get; } = FreePorts.Next();
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

    public int Port { get; } = FreePorts.Next();
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
