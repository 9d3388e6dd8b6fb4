using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;
using BackplaneOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>Live rounds: SignalR hubs on the Redis backplane, the engine, group commit, tick, organizer API.</summary>
public static class LiveRoundsModule
{
    /// <summary>Largest hub message a client may send: a join or an answer is well under 1 KB.</summary>
    public const int MaxMessageBytes = 4096;

    public static IServiceCollection AddLiveRounds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LiveStore>();
        services.AddSingleton<LiveState>();
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<AnswerWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AnswerWriter>());
        services.AddSingleton<LiveEngine>();
        services.AddSingleton<LiveHubFilter>();
        services.AddHostedService<LiveTicker>();
        services.AddSingleton<LiveQr>();

        services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = MaxMessageBytes;
                o.AddFilter<LiveHubFilter>();
            })
            .AddStackExchangeRedis();
        // The backplane gets its own connection (it owns and disposes it) to the same Redis, under this app's key prefix,
        // so test runs and deployments sharing a Redis never hear each other's messages.
        services.AddOptions<BackplaneOptions>().Configure<IOptions<ConnectionOptions>, LiveState>((o, connection, state) =>
        {
            o.Configuration = ConfigurationOptions.Parse(connection.Value.Redis);
            o.Configuration.AbortOnConnectFail = false;
            o.Configuration.ChannelPrefix = RedisChannel.Literal(state.SignalRChannelPrefix);
        });
        return services;
    }

    public static WebApplication MapLiveRounds(this WebApplication app, RouteGroupBuilder organizerApi)
    {
        // Browsers send Origin on the WebSocket upgrade and on negotiate: only the site itself and the listed origins may
        // open a hub, so another site cannot drive a signed-in organizer's hub connection (cross-site WebSocket hijacking).
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.Use(async (context, next) =>
        {
            if (!OriginAllowed(context, context.RequestServices.GetRequiredService<IOptions<LiveOptions>>().Value))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(context);
        }));
        app.MapHub<LivePlayerHub>(LiveRoutes.PlayerHub);
        app.MapHub<LiveHostHub>(LiveRoutes.HostHub).RequireAuthorization(Organizers.OrganizerPolicies.LiveRounds);
        LiveRoundsApi.Map(organizerApi);
        return app;
    }

    public static bool OriginAllowed(HttpContext context, LiveOptions options)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            // Not a browser (the .NET client, the load harness): Origin protects browsers' ambient cookies only.
            return true;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return options.AllowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}
