using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Infrastructure;

public static class Redis
{
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var connection = sp.GetRequiredService<IOptions<ConnectionOptions>>().Value.Redis;
            var options = ConfigurationOptions.Parse(connection);
            // Start even when Redis is down: /health/ready reports it and the multiplexer reconnects by itself.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 3000;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<RedisKeys>();
        services.AddSingleton<FailureThrottle>();
        return services;
    }
}

/// <summary>Builds every Redis key the app uses, under the configured prefix.</summary>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    public string Prefix { get; } = options.Value.KeyPrefix;

    public RedisKey For(string name) => Prefix + name;
}
