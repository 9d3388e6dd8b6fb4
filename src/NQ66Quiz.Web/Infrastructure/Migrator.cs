using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// Applies the SQL files embedded from <c>Migrations/</c> in name order, each in its own transaction, and records them
/// in <c>schema_version</c>. Several app nodes may start at once: a PostgreSQL advisory lock lets one migrate at a time.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long AdvisoryLockKey = 66_066_066;

    public sealed record Migration(string Name, string Sql)
    {
        public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
    }

    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "NQ66Quiz.Web.Migrations.";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new Migration(n[prefix.Length..], Read(assembly, n)))];
    }

    /// <returns>The names of the migrations applied by this call (empty when the schema was current).</returns>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default) => MigrateAsync(Embedded(), ct);

    public async Task<IReadOnlyList<string>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            CREATE TABLE IF NOT EXISTS schema_version (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@AdvisoryLockKey)", new { AdvisoryLockKey }, cancellationToken: ct));
        try
        {
            var applied = (await connection.QueryAsync<(string Name, string Checksum)>(
                new CommandDefinition("SELECT name, checksum FROM schema_version", cancellationToken: ct)))
                .ToDictionary(r => r.Name, r => r.Checksum, StringComparer.Ordinal);
            var done = new List<string>();
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Name, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new MigrationException($"Migration {migration.Name} was edited after it was applied "
                            + "(checksum differs). Never edit an applied migration: add a new file that makes the change.");
                    }
                    continue;
                }
                await ApplyAsync(connection, migration, ct);
                done.Add(migration.Name);
                logger.LogInformation("Applied migration {Migration}", migration.Name);
            }
            return done;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@AdvisoryLockKey)", new { AdvisoryLockKey });
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new MigrationException($"Cannot reach PostgreSQL at {Database.Describe(dataSource)} ({e.Message}). "
                + "Start it with `.ci/services up` (the run command does this) or set ConnectionStrings__Postgres.", e);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Statement by statement, so a failure names the statement and the line in the file where it stands.
        foreach (var (offset, statement) in SqlStatements.Split(migration.Sql))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(statement, transaction: tx, cancellationToken: ct));
            }
            catch (PostgresException e)
            {
                await tx.RollbackAsync(CancellationToken.None);
                var line = LineOf(migration.Sql, offset + Math.Max(e.Position - 1, 0));
                throw new MigrationException($"Migration {migration.Name} failed and was rolled back: {e.MessageText} "
                    + $"(SQLSTATE {e.SqlState}) at line {line}, in statement:\n{statement.Trim()}", e);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_version (name, checksum) VALUES (@Name, @Checksum)",
            new { migration.Name, migration.Checksum }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    internal static int LineOf(string text, int index) => 1 + text.AsSpan(0, Math.Clamp(index, 0, text.Length)).Count('\n');

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
