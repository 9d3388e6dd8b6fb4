using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>
/// Organizer sign-in with one shared password from configuration. Deliberately simple: a later issue brings organizer
/// accounts and roles; every organizer page and API already sits behind <c>Platform.OrganizerPolicy</c>, so only this
/// file changes then.
/// </summary>
public sealed class OrganizerOptions
{
    public const string Section = "Organizer";

    [Required(ErrorMessage = "Organizer:Password is not set: set Organizer__Password (at least 8 characters); .ci/serve generates one.")]
    [MinLength(8, ErrorMessage = "Organizer:Password must have at least 8 characters (Organizer__Password).")]
    public string Password { get; set; } = "";
}

public sealed record OrganizerSignInRequest(string Password);

public static class OrganizerSignIn
{
    public static IServiceCollection AddOrganizers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrganizerOptions>().Bind(configuration.GetSection(OrganizerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrganizerSignInThrottle>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrganizerSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizer").WithTags("Organizer");
        group.MapPost("/sign-in", SignInAsync).WithSummary("Đăng nhập ban tổ chức.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        });
        return app;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignInAsync(
        OrganizerSignInRequest request, HttpContext http, IOptions<OrganizerOptions> options, OrganizerSignInThrottle throttle)
    {
        // The shared password names no account; named accounts pass their name as the second argument.
        var address = http.Connection.RemoteIpAddress;
        if (await throttle.IsBlockedAsync(address, null))
        {
            return TypedResults.Problem(title: OrganizerSignInThrottle.Refusal, statusCode: StatusCodes.Status429TooManyRequests);
        }
        if (!PasswordMatches(request.Password, options.Value.Password))
        {
            await throttle.FailedAsync(address, null);
            return TypedResults.Problem(title: "Mật khẩu ban tổ chức không đúng.", statusCode: StatusCodes.Status401Unauthorized);
        }
        await throttle.SucceededAsync(address, null);
        await SignInOrganizerAsync(http);
        return TypedResults.NoContent();
    }

    public static bool PasswordMatches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    public static Task SignInOrganizerAsync(HttpContext http)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "Ban tổ chức"), new Claim(ClaimTypes.Role, "organizer")],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }
}
