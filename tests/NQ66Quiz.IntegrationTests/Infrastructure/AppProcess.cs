using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NQ66Quiz.IntegrationTests.Contests;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>
/// Free loopback ports for servers a test starts itself (its own PostgreSQL, Redis, app nodes, nginx): picked at random
/// in 20000–29999, the machine's range for hand-started servers, and checked free. The one copy the tests use.
/// </summary>
public static class FreePorts
{
    public static int Next()
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

/// <summary>
/// The real app as a separate process (the Release build of NQ66Quiz.Web), so a test can kill -9 it: the fault tests'
/// single node and the nodes of a cluster behind nginx. <paramref name="settings"/> add to or override the defaults.
/// </summary>
public sealed class AppProcess(string postgres, string redis, IReadOnlyDictionary<string, string>? settings = null) : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public int Port { get; } = FreePorts.Next();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public const string AdminEmail = "quan-tri@nq66.test";
    public const string AdminPassword = "mat-khau-quan-tri-faults";

    public bool IsRunning => _process is { HasExited: false };

    public static string Dll
    {
        get
        {
            var dll = Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", "bin", "Release", "net10.0", "NQ66Quiz.Web.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not found: build the solution in Release first (.ci/test does).");
        }
    }

    private Dictionary<string, string> Environment(bool importContent)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
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
            // The fault and cluster tests sign their admin in with the password alone (the default is tested in Security/).
            ["Organizers__SecondFactor__RequiredForCityAdmins"] = "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }
        return env;
    }

    public Task CreateAdminAsync() => Shell.RunAsync("dotnet", [Dll, "organizers", "create-admin", "--email", AdminEmail, "--name", "Quản trị Thành phố", "--password-stdin"],
        stdin: AdminPassword, env: Environment(false));

    /// <summary>Starts the process and waits until <paramref name="readyPath"/> answers 2xx (90 s at most).</summary>
    public async Task StartAsync(bool importContent = false, string readyPath = "/health/live")
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
                using var response = await http.GetAsync(readyPath);
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
        throw new InvalidOperationException($"The app did not answer {readyPath} within 90 s:\n{Log}");
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

/// <summary>Runs a short command to the end; fails the test with its output when it fails.</summary>
internal static class Shell
{
    public static bool IsRoot => System.Environment.IsPrivilegedProcess;

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
