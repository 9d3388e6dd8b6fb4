using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Participants;

public sealed record LinkRequested(string Message);

public sealed record ParticipantEmail(string? Email);

/// <summary>
/// Forgotten and changed passwords over HTTP. Participants: <c>/api/participants/password-reset/*</c> (anyone) and
/// <c>/api/me/password</c>, <c>/api/me/email</c>. Organizers: find a participant and issue a one-time code, in the one
/// organizer group, kept to the organizer's unit subtree.
/// </summary>
public static class PasswordResetsApi
{
    public static IServiceCollection AddPasswordResets(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ParticipantSessions>();
        services.AddSingleton<PasswordMail>();
        services.AddSingleton<PasswordResets>();
        services.AddHostedService<PasswordMailSender>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<ParticipantSessions>((o, sessions) =>
            {
                var inner = o.Events.OnValidatePrincipal;
                o.Events.OnValidatePrincipal = async context =>
                {
                    await inner(context);
                    await sessions.ValidateAsync(context);
                };
            });
        return services;
    }

    public static IEndpointRouteBuilder MapPasswordResets(this IEndpointRouteBuilder app, RouteGroupBuilder organizerApi)
    {
        var reset = app.MapGroup("/api/participants/password-reset").WithTags("Participants").AddEndpointFilter(NoStore)
            .RequireRateLimiting(RateLimits.SignIn); // resetting is signing in: the same per-address budget
        reset.MapPost("/code", ResetWithCodeAsync)
            .WithSummary("Đặt mật khẩu mới bằng mã Ban tổ chức cấp (dùng một lần, trong 30 phút), rồi đăng nhập.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        reset.MapPost("/email", RequestLinkAsync)
            .WithSummary("Gửi liên kết đặt lại mật khẩu tới email của tài khoản (nếu có); trả lời như nhau dù tài khoản có hay không.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reset.MapPost("/link", ResetWithLinkAsync).WithSummary("Đặt mật khẩu mới bằng liên kết trong email, rồi đăng nhập.");

        var me = app.MapGroup("/api/me").WithTags("Participants").RequireAuthorization(Platform.ParticipantPolicy);
        me.MapPut("/password", ChangePasswordAsync)
            .WithSummary("Đổi mật khẩu (cần mật khẩu hiện tại); các trình duyệt khác đang đăng nhập tài khoản này bị đăng xuất.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        me.MapGet("/email", async Task<Ok<ParticipantEmail>> (ClaimsPrincipal user, PasswordResets resets, CancellationToken ct) =>
            TypedResults.Ok(new ParticipantEmail(await resets.EmailOfAsync(ParticipantAccounts.Me(user), ct))));
        me.MapPut("/email", async Task<Results<NoContent, ValidationProblem>> (SetEmailRequest request, ClaimsPrincipal user, PasswordResets resets, CancellationToken ct) =>
            await resets.SetEmailAsync(ParticipantAccounts.Me(user), request.Email, ct) is { } errors
                ? TypedResults.ValidationProblem(errors, title: "Email chưa hợp lệ.")
                : TypedResults.NoContent())
            .WithSummary("Khai (hoặc xoá, với giá trị rỗng) email nhận liên kết đặt lại mật khẩu.");

        var organizer = organizerApi.MapGroup("/participants").WithTags("Organizer: participants").RequireAuthorization(OrganizerPolicies.Contests);
        organizer.MapGet("/", async Task<Ok<IReadOnlyList<ParticipantLookup>>> (string? q, OrganizerScope scope, PasswordResets resets, CancellationToken ct) =>
            TypedResults.Ok(await resets.SearchAsync(scope, q, ct)))
            .WithSummary("Tìm người dự thi của đơn vị mình (và các đơn vị trực thuộc) theo số điện thoại, số CCCD hoặc họ tên.");
        organizer.MapPost("/{participantId:long}/password-reset-code", IssueCodeAsync).AddEndpointFilter(NoStore)
            .WithSummary("Cấp mã đặt lại mật khẩu cho người dự thi sau khi đã kiểm tra giấy tờ: mã hiện một lần, dùng một lần, trong 30 phút.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<ParticipantProfile>, ValidationProblem, ProblemHttpResult>> ResetWithCodeAsync(
        CodeResetRequest request, PasswordResets resets, HttpContext http, CancellationToken ct) =>
        await SignInOrProblemAsync(http, await resets.ResetWithCodeAsync(request, http.Connection.RemoteIpAddress, ct));

    public static async Task<Results<Accepted<LinkRequested>, ProblemHttpResult>> RequestLinkAsync(
        EmailResetRequest request, PasswordResets resets, HttpContext http, CancellationToken ct)
    {
        if (!resets.EmailEnabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "Trang web này chưa gửi được email. Để lấy lại mật khẩu, hãy liên hệ Ban tổ chức đơn vị của bạn và xin mã đặt lại mật khẩu.");
        }
        await resets.RequestLinkAsync(request, http.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.Accepted((string?)null, new LinkRequested(PasswordResets.LinkRequested));
    }

    public static async Task<Results<Ok<ParticipantProfile>, ValidationProblem, ProblemHttpResult>> ResetWithLinkAsync(
        LinkResetRequest request, PasswordResets resets, HttpContext http, CancellationToken ct) =>
        await SignInOrProblemAsync(http, await resets.ResetWithLinkAsync(request, ct));

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangeParticipantPasswordRequest request, ClaimsPrincipal user, PasswordResets resets, HttpContext http, CancellationToken ct)
    {
        switch (await resets.ChangePasswordAsync(ParticipantAccounts.Me(user), request, ct))
        {
            case ResetOutcome.Ok ok:
                // This browser stays signed in with the new stamp; the others are signed out at their next request.
                await ParticipantAccounts.SignInAsync(http, ok.Profile);
                return TypedResults.NoContent();
            case ResetOutcome.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Chưa đổi được mật khẩu; sửa các mục được nêu.");
            case ResetOutcome.Throttled throttled:
                return TypedResults.Problem(title: throttled.Message, statusCode: StatusCodes.Status429TooManyRequests);
            default:
                throw new InvalidOperationException();
        }
    }

    public static async Task<Results<Created<ResetCodeIssued>, NotFound>> IssueCodeAsync(
        long participantId, OrganizerScope scope, PasswordResets resets, HttpContext http, CancellationToken ct) =>
        await resets.IssueCodeAsync(scope, participantId, http.Connection.RemoteIpAddress, ct) is { } issued
            ? TypedResults.Created((string?)null, issued)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<ParticipantProfile>, ValidationProblem, ProblemHttpResult>> SignInOrProblemAsync(HttpContext http, ResetOutcome outcome)
    {
        switch (outcome)
        {
            case ResetOutcome.Ok ok:
                await ParticipantAccounts.SignInAsync(http, ok.Profile);
                return TypedResults.Ok(ok.Profile);
            case ResetOutcome.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Chưa đặt được mật khẩu mới; sửa các mục được nêu.");
            case ResetOutcome.Throttled throttled:
                return TypedResults.Problem(title: throttled.Message, statusCode: StatusCodes.Status429TooManyRequests);
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>
    /// Codes and passwords are never cached, and these responses are not compressed: a secret compressed next to text
    /// an attacker can influence is what BREACH-style attacks read byte by byte.
    /// </summary>
    internal static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        if (context.HttpContext.Features.Get<IHttpsCompressionFeature>() is { } compression)
        {
            compression.Mode = HttpsCompressionMode.DoNotCompress;
        }
        return await next(context);
    }
}
