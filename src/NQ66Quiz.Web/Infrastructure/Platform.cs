using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

using NQ66Quiz.Web.Features.Organizers;

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
        // Before the other handlers (they run in registration order): a database outage is a 503 to retry, not a 500.
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddErrorResponses();
        services.AddOpenApi(o => o.AddApiErrorDocs());
        services.AddPlatformHealthChecks();
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Organizer", OrganizerPolicy);
            // Every other page is for signed-in participants unless its model (or its .cshtml) says [AllowAnonymous]:
            // a new page is protected until someone decides it is public.
            o.Conventions.AddFolderApplicationModelConvention("/", page =>
            {
                if (!page.ViewEnginePath.StartsWith("/Organizer/", StringComparison.Ordinal))
                {
                    page.EndpointMetadata.Add(new AuthorizeAttribute(ParticipantPolicy));
                }
            });
        });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                // Pages send people to a sign-in page (the organizer one under /to-chuc); APIs and hubs answer 401/403.
                o.Events.OnRedirectToLogin = c => Deny(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => Deny(c, StatusCodes.Status403Forbidden);
                o.Cookie.Name = "nq66";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/dang-nhap";
                o.AccessDeniedPath = "/loi/403";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
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

    /// <summary>
    /// The one organizer API group, <c>/api/organizer</c>, behind the organizer policy. Features map their organizer
    /// endpoints into it; an endpoint open to anyone (sign-in) says <c>AllowAnonymous</c> itself. Every endpoint in it
    /// is audited and kept to the caller's unit subtree (Features/Organizers: OrganizerAuditFilter, ScopeFilter), so a
    /// new organizer endpoint gets both by default.
    /// </summary>
    public static RouteGroupBuilder MapOrganizerApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/organizer").RequireAuthorization(OrganizerPolicy).WithAuditAndScope();

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        // Only a page can show a sign-in page; everything else (APIs, SignalR hubs, files) gets the status code.
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is null)
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        // A signed-in organizer whose role does not cover a console page is told so, not sent to sign in again.
        var signIn = !context.Request.Path.StartsWithSegments("/to-chuc") ? "/dang-nhap"
            : status == StatusCodes.Status403Forbidden && context.HttpContext.User.IsInRole(OrganizerClaims.AnyOrganizerRole) ? "/to-chuc/khong-du-quyen"
            : "/to-chuc/dang-nhap";
        context.Response.Redirect($"{signIn}?ReturnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        return Task.CompletedTask;
    }
}
