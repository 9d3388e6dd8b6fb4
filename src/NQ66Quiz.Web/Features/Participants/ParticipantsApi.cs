using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// <c>/api/participants</c>: register, sign in and out (anyone); <c>/api/me</c>: the signed-in participant's profile.
/// Errors are ProblemDetails with Vietnamese messages; validation errors name each field.
/// </summary>
public static class ParticipantsApi
{
    public static IServiceCollection AddParticipants(this IServiceCollection services)
    {
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ParticipantAccounts>();
        return services;
    }

    public static IEndpointRouteBuilder MapParticipants(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/participants").WithTags("Participants");
        accounts.MapPost("/register", RegisterAsync).RequireRateLimiting(RateLimits.Registration).WithSummary("Đăng ký tài khoản người dự thi và đăng nhập luôn.");
        accounts.MapPost("/sign-in", SignInAsync).RequireRateLimiting(RateLimits.SignIn).WithSummary("Đăng nhập bằng số điện thoại và mật khẩu.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        accounts.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        });

        var me = app.MapGroup("/api/me").WithTags("Participants").RequireAuthorization(Platform.ParticipantPolicy);
        me.MapGet("/", GetProfileAsync);
        me.MapPut("/", UpdateProfileAsync).WithSummary("Sửa họ tên, đơn vị (chỉ trước lượt thi đầu tiên) hoặc bổ sung số CCCD.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<ParticipantProfile>, ValidationProblem>> RegisterAsync(
        RegisterRequest request, ParticipantAccounts accounts, HttpContext http, CancellationToken ct)
    {
        switch (await accounts.RegisterAsync(request, ct))
        {
            case AccountResult.Ok ok:
                await ParticipantAccounts.SignInAsync(http, ok.Profile);
                return TypedResults.Created("/api/me", ok.Profile);
            case AccountResult.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Thông tin đăng ký chưa hợp lệ; sửa các mục được nêu rồi gửi lại.");
            default:
                throw new InvalidOperationException("registration neither succeeded nor failed validation");
        }
    }

    public static async Task<Results<Ok<ParticipantProfile>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, ParticipantAccounts accounts, HttpContext http, CancellationToken ct)
    {
        var result = await accounts.VerifyAsync(request, ct);
        if (result is AccountResult.Ok ok)
        {
            await ParticipantAccounts.SignInAsync(http, ok.Profile);
            return TypedResults.Ok(ok.Profile);
        }
        return result is AccountResult.Throttled throttled
            ? TypedResults.Problem(title: throttled.Message, statusCode: StatusCodes.Status429TooManyRequests)
            : TypedResults.Problem(title: ((AccountResult.Refused)result).Message, statusCode: StatusCodes.Status401Unauthorized);
    }

    public static async Task<Results<Ok<ParticipantProfile>, NotFound>> GetProfileAsync(ClaimsPrincipal user, ParticipantAccounts accounts, CancellationToken ct) =>
        await accounts.GetAsync(ParticipantAccounts.IdOf(user)!.Value, ct) is { } profile ? TypedResults.Ok(profile) : TypedResults.NotFound();

    public static async Task<Results<Ok<ParticipantProfile>, ValidationProblem, ProblemHttpResult>> UpdateProfileAsync(
        UpdateProfileRequest request, ClaimsPrincipal user, ParticipantAccounts accounts, CancellationToken ct) =>
        await accounts.UpdateAsync(ParticipantAccounts.IdOf(user)!.Value, request, ct) switch
        {
            AccountResult.Ok ok => TypedResults.Ok(ok.Profile),
            AccountResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "Thông tin chưa hợp lệ."),
            AccountResult.Refused refused => TypedResults.Problem(title: refused.Message, statusCode: StatusCodes.Status409Conflict),
            _ => throw new InvalidOperationException(),
        };
}
