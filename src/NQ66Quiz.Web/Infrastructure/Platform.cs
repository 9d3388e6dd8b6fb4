using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>Wiring shared by every feature: options, PostgreSQL, Redis, time, auth, errors, health, OpenAPI.</summary>
public static class Platform
{
    public const string OrganizerPolicy = "organizer";
    public const string ParticipantPolicy = "participant";

    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddOptions<ConnectionOptions>().Bind(configuration.GetSection(ConnectionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ContentOptions>().Bind(configuration.GetSection(ContentOptions.Section));
        services.AddDatabase();
        services.AddRedis(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSharedDataProtection();

        if (builder.Environment.IsProduction())
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        // Vietnamese text is written as itself in pages, not as &#x...; entities for every accented letter.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddProblemDetails();
        // Before any other handler: a database outage is a 503 to retry, not a 500.
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddOpenApi();
        services.AddPlatformHealthChecks();
        services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/Organizer", OrganizerPolicy));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                // Organizer pages send people to the organizer sign-in; everything else to the participant one.
                o.Events.OnRedirectToLogin = c => c.Request.Path.StartsWithSegments("/to-chuc")
                    ? Redirect(c, "/to-chuc/dang-nhap")
                    : Deny(c, StatusCodes.Status401Unauthorized);
                o.Cookie.Name = "nq66";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/dang-nhap";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                // APIs answer 401/403 instead of redirecting to a sign-in page.
                o.Events.OnRedirectToAccessDenied = c => Deny(c, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(OrganizerPolicy, p => p.RequireRole("organizer"))
            .AddPolicy(ParticipantPolicy, p => p.RequireClaim("participant_id"));

        services.AddVerb<MigrateVerb>();
        services.AddVerb<ContentImportVerb>();
        return builder;
    }

    /// <summary>Migrates, then imports content when the run command asked for it. Fails start-up with a clear message.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        // Reading the options validates them now, with the operator-facing messages, before anything connects.
        _ = app.Services.GetRequiredService<IOptions<ConnectionOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
        await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        var contentRoot = app.Services.GetRequiredService<IOptions<ContentOptions>>().Value.ImportOnStart;
        if (!string.IsNullOrWhiteSpace(contentRoot)
            && !await Content.ImportAllAsync(app.Services, contentRoot, Console.Out, CancellationToken.None))
        {
            throw new MigrationException($"Content in {contentRoot} has errors; nothing was imported. "
                + $"Run `dotnet run --project src/NQ66Quiz.Web -- content check {contentRoot}` to see them.");
        }
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context, string signInPath)
    {
        context.Response.Redirect($"{signInPath}?ReturnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        return Task.CompletedTask;
    }

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
