using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using Npgsql;
using StackExchange.Redis;

using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Setup;

/// <summary>
/// README's commands must work from any folder the invoking user owns — a clone under root's mode-0700 home or in a
/// `mktemp -d` folder — where the `postgres` user cannot enter. This starts the checkout's own .ci/services from such a
/// folder on ports of its own (never the shared servers), then checks that down + deleting .data/ is a fresh start.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the scripts are for Debian
public sealed class PrivateFolderServicesTests
{
    [Fact]
    public async Task Services_come_up_from_a_mode_0700_folder_on_their_own_ports_and_start_fresh_once_data_is_deleted()
    {
        var checkout = TestData.RepositoryRoot();
        var home = Directory.CreateTempSubdirectory("nq66-private-");
        File.SetUnixFileMode(home.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = Path.Combine(home.FullName, "nq66");
        CopyFolder(Path.Combine(checkout, ".ci"), Path.Combine(clone, ".ci"));
        File.Copy(Path.Combine(checkout, "docker-compose.yml"), Path.Combine(clone, "docker-compose.yml"));
        var (pgPort, redisPort) = (FreePorts.Next(), FreePorts.Next());
        var env = new Dictionary<string, string> { ["NQ66_PG_PORT"] = $"{pgPort}", ["NQ66_REDIS_PORT"] = $"{redisPort}" };
        var pg = $"Host=127.0.0.1;Port={pgPort};Username=nq66;Password=nq66;Database=nq66;Pooling=false;Timeout=5";
        try
        {
            await RunAsync(clone, env, "up");
            await using (var connection = new NpgsqlConnection(pg))
            {
                await connection.OpenAsync();
                await connection.ExecuteAsync("CREATE TABLE left_from_first_run (x int)");
            }
            await using (var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisPort}"))
            {
                Assert.True((await redis.GetDatabase().PingAsync()) < TimeSpan.FromSeconds(5));
            }

            await RunAsync(clone, env, "down");
            await using (var stopped = new NpgsqlConnection(pg))
            {
                await Assert.ThrowsAnyAsync<Exception>(() => stopped.OpenAsync());
            }

            // README: stop, delete .data/, and the next start is a fresh one.
            Directory.Delete(Path.Combine(clone, ".data"), recursive: true);
            await RunAsync(clone, env, "up");
            await using (var connection = new NpgsqlConnection(pg))
            {
                await connection.OpenAsync();
                Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'left_from_first_run'"));
            }
        }
        finally
        {
            await RunAsync(clone, env, "clean");
            Assert.False(Directory.Exists(Path.Combine(clone, ".data")));
            Assert.False(Directory.Exists(ClusterFolderOutsideCheckout(clone)));
            home.Delete(recursive: true);
        }
    }

    // As .ci/services names it when run as root: /var/tmp/nq66-<first 12 hex of sha256(checkout path)>.
    private static string ClusterFolderOutsideCheckout(string clone) =>
        "/var/tmp/nq66-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clone)))[..12];

    private static async Task RunAsync(string clone, Dictionary<string, string> env, string verb)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(clone, ".ci", "services"), verb])
        {
            WorkingDirectory = clone,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $".ci/services {verb} exited {process.ExitCode}:\n{await output}\n{await errors}");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
