using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace NQ66Quiz.Web.Infrastructure;

public static class Database
{
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        // Snake_case columns map onto PascalCase record members.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        UtcTimestampHandler.Register();
        // Built from the validated options when first needed, so tests and operators can override it late.
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<ConnectionOptions>>().Value.Postgres);
            // The hot statements (answer saves, submits, starts) are prepared once per connection instead of parsed and
            // planned on every call; an operator's own Max Auto Prepare setting wins.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 3;
            }
            // No session state is left on a pooled connection (transactions end, SET is LOCAL, the migrator unlocks
            // its advisory lock), so the reset statements Npgsql would send with every checkout are skipped unless
            // the operator's connection string asks for them.
            if (!builder.ConnectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)
                && !builder.ConnectionString.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            {
                builder.ConnectionStringBuilder.NoResetOnClose = true;
            }
            return builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>()).Build();
        });
        services.AddSingleton<Migrator>();
        return services;
    }

    /// <summary>"127.0.0.1:55432/nq66", for messages; never includes the password.</summary>
    public static string Describe(NpgsqlDataSource dataSource)
    {
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }
}
