using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>Runs on a scratch database of its own, so the app's schema is never touched.</summary>
public sealed class MigratorTests : IAsyncLifetime
{
    private readonly string _database = $"nq66_migrate_{Guid.NewGuid():N}"[..30];
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AppFixture.AdminConnectionString))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {_database}");
        }
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(AppFixture.AdminConnectionString) { Database = _database }.ToString());
    }

    [Fact]
    public async Task Embedded_migrations_apply_once_and_a_second_run_applies_nothing()
    {
        var migrator = new Migrator(_dataSource, NullLogger<Migrator>.Instance);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(Migrator.Embedded().Select(m => m.Name), first);
        Assert.Empty(second);
        await using var connection = await _dataSource.OpenConnectionAsync();
        Assert.Equal(first.Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_and_names_its_file_line_and_statement()
    {
        var migrator = new Migrator(_dataSource, NullLogger<Migrator>.Instance);
        Migrator.Migration[] migrations =
        [
            new("9001_ok.sql", "CREATE TABLE good (id int);"),
            new("9002_bad.sql", "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT no_such_column FROM half;"),
            new("9003_never.sql", "CREATE TABLE never (id int);"),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(() => migrator.MigrateAsync(migrations));

        Assert.Contains("9002_bad.sql", error.Message);
        Assert.Contains("at line 3", error.Message);
        Assert.Contains("SELECT no_such_column FROM half", error.Message);
        await using var connection = await _dataSource.OpenConnectionAsync();
        var applied = (await connection.QueryAsync<string>("SELECT name FROM schema_version ORDER BY name")).ToList();
        Assert.Equal(["9001_ok.sql"], applied);
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT to_regclass('half')::text"));
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT to_regclass('never')::text"));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_is_refused()
    {
        var migrator = new Migrator(_dataSource, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync([new("9001_ok.sql", "CREATE TABLE good (id int);")]);

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => migrator.MigrateAsync([new("9001_ok.sql", "CREATE TABLE good (id bigint);")]));

        Assert.Contains("9001_ok.sql was edited", error.Message);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AppFixture.AdminConnectionString);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }
}
