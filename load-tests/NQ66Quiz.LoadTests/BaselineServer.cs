using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NQ66Quiz.LoadTests;

/// <summary>
/// The ceilings every target is compared with, served from a process of its own (as the app is): a bare minimal
/// endpoint and a bare SignalR hub that acks answers and broadcasts, with Kestrel's and SignalR's defaults, no
/// database, no auth. Loopback only.
/// </summary>
public static class BaselineServer
{
    public const string HubPath = "/hubs/bare";

    public static async Task<int> RunAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR(o => o.MaximumParallelInvocationsPerClient = 1);
        var app = builder.Build();
        app.MapGet("/ping", () => "ok");
        app.MapHub<BareHub>(HubPath);
        await app.StartAsync(ct);
        await Console.Out.WriteLineAsync($"baseline server on http://127.0.0.1:{port} (pid {Environment.ProcessId})");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    /// <summary>Players join one group; an answer is acked by returning; the host's broadcast goes to the group in one send.</summary>
    public sealed class BareHub : Hub
    {
        public async Task Join(string round) => await Groups.AddToGroupAsync(Context.ConnectionId, round);

#pragma warning disable CA1822 // SignalR dispatches to instance methods only.
        public long Answer(string round, int question, int choice) => ((long)question << 8) | (uint)choice;
#pragma warning restore CA1822

        public async Task Broadcast(string round, string method, string payload) => await Clients.Group(round).SendAsync(method, payload);
    }
}
