using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NQ66Quiz.IntegrationTests.Contests;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server process for the mail tests: the smtp4dev .NET tool (Rnwood.Smtp4dev 3.15.0), installed into the
/// git-ignored <c>.tools/smtp4dev</c> on first use and started on free loopback ports; received messages are read
/// back through its HTTP API. A tool that cannot be installed or a server that does not come up fails the tests.
/// </summary>
public sealed class Smtp4devServer : IAsyncLifetime, IDisposable
{
    public const string Version = "3.15.0";
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _home;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public int SmtpPort { get; private set; }
    public Uri ApiAddress { get; private set; } = null!;

    public sealed record Message(string Id, string Subject, string[] To);

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(TestData.RepositoryRoot(), ".tools", "smtp4dev");
        var exe = Path.Combine(folder, "smtp4dev");
        if (!File.Exists(exe))
        {
            var (code, text) = await RunAsync("dotnet", $"tool install --tool-path \"{folder}\" Rnwood.Smtp4dev --version {Version}", TimeSpan.FromMinutes(5));
            if (code != 0 || !File.Exists(exe))
            {
                throw new InvalidOperationException($"Could not install smtp4dev {Version} into {folder} (exit {code}):\n{text}");
            }
        }
        SmtpPort = FreePort();
        var httpPort = FreePort();
        ApiAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        // Its settings and state go to a folder of this run, never to the user's home.
        _home = Directory.CreateTempSubdirectory("nq66-smtp4dev-").FullName;
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["XDG_CONFIG_HOME"] = _home, ["HOME"] = _home, ["DOTNET_CLI_HOME"] = _home },
        };
        foreach (var arg in new[] { $"--urls={ApiAddress.ToString().TrimEnd('/')}", $"--smtpport={SmtpPort}", "--imapport=0", "--pop3port=0", "--db=",
                     "--bindaddress=127.0.0.1", "--hostname=localhost", "--nousersettings", "--tlsmode=None" })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("smtp4dev did not start");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"smtp4dev exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                using var response = await _http.GetAsync(new Uri(ApiAddress, "api/messages"));
                if (response.IsSuccessStatusCode && await SmtpAcceptsAsync())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"smtp4dev did not answer on {ApiAddress} and SMTP port {SmtpPort} within 90 s:\n{Output}");
            }
            await Task.Delay(250);
        }
    }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>The messages received for <paramref name="address"/>, waiting up to <paramref name="timeout"/> for at least <paramref name="atLeast"/>.</summary>
    public async Task<IReadOnlyList<Message>> MessagesToAsync(string address, int atLeast = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var page = await _http.GetFromJsonAsync<JsonElement>(new Uri(ApiAddress, "api/messages?pageSize=500"));
            var messages = page.GetProperty("results").EnumerateArray()
                .Select(m => new Message(m.GetProperty("id").GetString()!, m.GetProperty("subject").GetString() ?? "",
                    [.. m.GetProperty("to").EnumerateArray().Select(t => t.GetString()!)]))
                .Where(m => m.To.Any(t => t.Contains(address, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (messages.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                return messages;
            }
            await Task.Delay(200);
        }
    }

    public Task<string> PlainTextAsync(Message message) => _http.GetStringAsync(new Uri(ApiAddress, $"api/messages/{message.Id}/plaintext"));

    private async Task<bool> SmtpAcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string arguments, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        if (_home is not null)
        {
            try { Directory.Delete(_home, recursive: true); } catch (IOException) { }
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _http.Dispose();
}
