using Microsoft.Extensions.Options;

namespace NQ66Quiz.Web.Features.Portal;

/// <summary>The official framing: who organizes (header, footer, page titles), the emblem, the home page's open round.</summary>
public static class Portal
{
    public const string EmblemPath = "/bieu-trung";

    /// <summary>Where the privacy notice lives (its page belongs to the participants' data feature).</summary>
    public const string PrivacyPath = "/quyen-rieng-tu";

    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<HomeRounds>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        // The emblem is a file the deployment points at, outside wwwroot; 404 (the Vietnamese page) when none is set.
        app.MapGet(EmblemPath, (IOptions<PortalOptions> options) =>
            options.Value is { HasEmblem: true } o
                ? Results.File(Path.GetFullPath(o.EmblemFile!), PortalOptions.EmblemTypes[Path.GetExtension(o.EmblemFile!)], enableRangeProcessing: false)
                : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
