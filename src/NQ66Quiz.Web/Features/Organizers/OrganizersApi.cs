using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Organizers;

/// <param name="Code">The 6-digit code of the authenticator app, or a recovery code, when the account has a second factor.</param>
public sealed record OrganizerSignInRequest(string? Email, string? Password, string? Code = null);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// Organizer accounts over HTTP: sign-in/out, who am I, invitations (admins send, invitees accept), the account list and
/// the audit log (admins). Every endpoint is on the organizer group; the anonymous ones say so.
/// </summary>
public static class OrganizersApi
{
    public static IServiceCollection AddOrganizers(this IServiceCollection services)
    {
        services.AddOrganizerPolicies();
        services.AddSingleton<OrganizerAccounts>();
        services.AddSingleton<OrganizerSignInThrottle>();
        services.AddOptions<OrganizerSessionOptions>().BindConfiguration(OrganizerSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrganizerSessions>();
        services.AddSingleton<OrganizerSecondFactor>();
        services.AddOptions<OrganizerSecondFactorOptions>().BindConfiguration(OrganizerSecondFactorOptions.Section);
        services.AddSingleton<OrganizerSignIn>();
        services.AddSingleton<OrganizerAudit>();
        services.AddSingleton<OrganizerAuditFilter>();
        services.AddSingleton<OrganizerPageAuditFilter>();
        services.AddSingleton<ScopeGuard>();
        services.AddSingleton<ScopeFilter>();
        services.AddSingleton<ScopePageFilter>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o =>
        {
            o.Filters.AddService<OrganizerPageAuditFilter>(order: 0);
            o.Filters.AddService<ScopePageFilter>(order: 1);
        });
        services.AddVerb<CreateAdminVerb>();
        // Each console section needs its duty on top of the organizer policy the whole /Organizer folder has.
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
        {
            o.Conventions.AuthorizeFolder("/Organizer/Bank", OrganizerPolicies.QuestionBank);
            o.Conventions.AuthorizeFolder("/Organizer/Contests", OrganizerPolicies.Contests);
            o.Conventions.AuthorizeFolder("/Organizer/Units", OrganizerPolicies.Contests);
            o.Conventions.AuthorizeFolder("/Organizer/Accounts", OrganizerPolicies.Admin);
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<OrganizerSessions>((o, sessions) =>
            {
                // A disabled account, or one whose role or unit changed, loses its cookie at its next request: the
                // cookie's claims are what every scope check reads, so they must still be true. So does a cookie whose
                // server-side session ended (signed out, password changed) or ran past its idle or absolute limit.
                var inner = o.Events.OnValidatePrincipal;
                o.Events.OnValidatePrincipal = async context =>
                {
                    await inner(context);
                    if (context.Principal is { } user && OrganizerScope.TryFrom(user, out var scope)
                        && !await sessions.IsCurrentAsync(scope, OrganizerSessions.IdOf(user), context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        return services;
    }

    /// <summary>
    /// What the one organizer group (<c>Platform.MapOrganizerApi</c>) runs around every endpoint: the audit filter
    /// (outermost, so refusals by scope are logged too), then the unit scope filter.
    /// </summary>
    public static RouteGroupBuilder WithAuditAndScope(this RouteGroupBuilder organizerApi) =>
        organizerApi.AddEndpointFilter<OrganizerAuditFilter>().AddEndpointFilter<ScopeFilter>();

    /// <summary>Sign-in, sign-out and accepting an invitation are open to anyone (nobody is an organizer before them).</summary>
    public static IEndpointRouteBuilder MapOrganizers(this IEndpointRouteBuilder app, RouteGroupBuilder organizerApi)
    {
        var group = organizerApi.MapGroup("").WithTags("Organizer: accounts");
        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithSummary("Đăng nhập ban tổ chức bằng email và mật khẩu.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/sign-out", async (HttpContext http, OrganizerSignIn signIn, CancellationToken ct) =>
        {
            await signIn.SignOutAsync(http, ct);
            return TypedResults.NoContent();
        }).AllowAnonymous().WithSummary("Đăng xuất: phiên kết thúc trên máy chủ, bản sao cookie cũng hết tác dụng.");
        group.MapPost("/me/second-factor", BeginSecondFactorAsync).WithSummary("Bắt đầu bật xác thực hai bước: mã bí mật và mã QR cho ứng dụng xác thực.");
        group.MapPost("/me/second-factor/confirm", ConfirmSecondFactorAsync).WithSummary("Xác nhận bằng mã 6 số đầu tiên; trả về 10 mã khôi phục (chỉ hiện một lần).");
        group.MapGet("/me", MeAsync).WithMetadata(new NotAuditedAttribute());
        group.MapPut("/me/password", ChangePasswordAsync);
        group.MapPost("/invitations/accept", AcceptAsync).AllowAnonymous().WithSummary("Nhận lời mời: đặt mật khẩu (ít nhất 12 ký tự) và đăng nhập.");

        var admin = group.MapGroup("").RequireAuthorization(OrganizerPolicies.Admin);
        admin.MapGet("/accounts", async Task<Ok<IReadOnlyList<OrganizerAccount>>> (OrganizerAccounts accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.ListAsync(ct)));
        admin.MapPost("/accounts/{id:long}/disable", async Task<Results<NoContent, NotFound>> (long id, OrganizerAccounts accounts, CancellationToken ct) =>
            await accounts.SetDisabledAsync(id, true, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        admin.MapPost("/accounts/{id:long}/enable", async Task<Results<NoContent, NotFound>> (long id, OrganizerAccounts accounts, CancellationToken ct) =>
            await accounts.SetDisabledAsync(id, false, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        admin.MapGet("/invitations", async Task<Ok<IReadOnlyList<InvitationView>>> (OrganizerAccounts accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.InvitationsAsync(ct)));
        admin.MapPost("/invitations", InviteAsync).WithSummary("Mời một người làm ban tổ chức: vai trò, đơn vị; mã mời dùng được 7 ngày.");
        admin.MapGet("/audit", async Task<Ok<IReadOnlyList<AuditEntry>>> (DateTimeOffset? from, DateTimeOffset? to, long? accountId, string? action, int? limit,
            OrganizerAudit audit, CancellationToken ct) =>
            TypedResults.Ok(await audit.ReadAsync(new(from, to, accountId, action, limit ?? 500), ct)));
        admin.MapGet("/audit.csv", async Task<FileContentHttpResult> (DateTimeOffset? from, DateTimeOffset? to, long? accountId, string? action,
            OrganizerAudit audit, CancellationToken ct) =>
            TypedResults.File(OrganizerAudit.Csv(await audit.ReadAsync(new(from, to, accountId, action, 100_000), ct)), "text/csv; charset=utf-8", "nhat-ky-thao-tac.csv"));
        return app;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignInAsync(
        OrganizerSignInRequest request, HttpContext http, OrganizerSignIn signIn, CancellationToken ct) =>
        await signIn.PasswordAsync(http, request.Email, request.Password, request.Code, ct) switch
        {
            SignInOutcome.Ok => TypedResults.NoContent(),
            SignInOutcome.Throttled => TypedResults.Problem(title: OrganizerSignInThrottle.Refusal, statusCode: StatusCodes.Status429TooManyRequests),
            SignInOutcome.NeedsCode => TypedResults.Problem(title: "Tài khoản này bật xác thực hai bước: gửi kèm mã 6 số trong ứng dụng xác thực (trường code), hoặc một mã khôi phục.",
                statusCode: StatusCodes.Status401Unauthorized, extensions: new Dictionary<string, object?> { ["secondFactorRequired"] = true }),
            SignInOutcome.WrongCode => TypedResults.Problem(title: "Mã xác thực không đúng hoặc đã dùng. Nhập mã đang hiện trong ứng dụng, hoặc một mã khôi phục chưa dùng.",
                statusCode: StatusCodes.Status401Unauthorized, extensions: new Dictionary<string, object?> { ["secondFactorRequired"] = true }),
            _ => TypedResults.Problem(title: "Mật khẩu ban tổ chức không đúng, hoặc email này chưa có tài khoản (hay đã bị khoá).",
                statusCode: StatusCodes.Status401Unauthorized),
        };

    public static Task SignInAccountAsync(HttpContext http, OrganizerAccount account) => OrganizerSignIn.StartSessionAsync(http, account, http.RequestAborted);

    public static async Task<Results<Ok<SecondFactorEnrolment>, ProblemHttpResult>> BeginSecondFactorAsync(
        OrganizerScope scope, OrganizerAccounts accounts, OrganizerSecondFactor secondFactor, CancellationToken ct) =>
        await accounts.GetAsync(scope.AccountId, ct) is { } account && await secondFactor.BeginAsync(account.Id, account.Email, ct: ct) is { } enrolment
            ? TypedResults.Ok(enrolment)
            : TypedResults.Problem(title: "Tài khoản này đã bật xác thực hai bước.", statusCode: StatusCodes.Status409Conflict);

    public sealed record SecondFactorConfirm(string? Code);

    public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

    public static async Task<Results<Ok<RecoveryCodes>, ValidationProblem>> ConfirmSecondFactorAsync(
        SecondFactorConfirm request, OrganizerScope scope, HttpContext http, OrganizerSecondFactor secondFactor, OrganizerSessions sessions,
        OrganizerAccounts accounts, CancellationToken ct)
    {
        if (await secondFactor.ConfirmAsync(scope.AccountId, request.Code, ct) is not { } codes)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["Mã không khớp. Nhập mã 6 số đang hiện trong ứng dụng xác thực vừa quét mã QR."] },
                title: "Chưa bật được xác thực hai bước.");
        }
        // Sessions opened with the password alone end; this browser continues in a new one.
        await sessions.EndAllAsync(scope.AccountId, "second-factor-changed", ct);
        if (await accounts.GetAsync(scope.AccountId, ct) is { } account)
        {
            await SignInAccountAsync(http, account);
        }
        return TypedResults.Ok(new RecoveryCodes(codes));
    }

    public static async Task<Results<Ok<OrganizerAccount>, NotFound>> MeAsync(OrganizerScope scope, OrganizerAccounts accounts, CancellationToken ct) =>
        await accounts.GetAsync(scope.AccountId, ct) is { } account ? TypedResults.Ok(account) : TypedResults.NotFound();

    public static async Task<Results<NoContent, ValidationProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, OrganizerScope scope, HttpContext http, OrganizerAccounts accounts, OrganizerSignIn signIn, CancellationToken ct)
    {
        if (await accounts.ChangePasswordAsync(scope.AccountId, request.CurrentPassword, request.NewPassword, ct) is AccountOutcome<bool>.Invalid invalid)
        {
            return TypedResults.ValidationProblem(invalid.Errors, title: "Chưa đổi được mật khẩu.");
        }
        // Every session of the account ends (a stolen cookie with it); this browser continues in a new one.
        await signIn.RenewAfterPasswordChangeAsync(http, scope.AccountId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<InvitationCreated>, ValidationProblem>> InviteAsync(
        InviteRequest request, OrganizerScope scope, OrganizerAccounts accounts, CancellationToken ct) =>
        await accounts.InviteAsync(scope.AccountId, request, ct) switch
        {
            AccountOutcome<InvitationCreated>.Ok ok => TypedResults.Created("/api/organizer/invitations", ok.Value),
            AccountOutcome<InvitationCreated>.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "Lời mời chưa hợp lệ; sửa các mục được nêu."),
            _ => throw new InvalidOperationException(),
        };

    public static async Task<Results<Created<OrganizerAccount>, ValidationProblem>> AcceptAsync(
        AcceptRequest request, HttpContext http, OrganizerAccounts accounts, OrganizerAudit audit, CancellationToken ct)
    {
        switch (await accounts.AcceptAsync(request, ct))
        {
            case AccountOutcome<OrganizerAccount>.Ok ok:
                await SignInAccountAsync(http, ok.Value);
                await audit.WriteAsync(ok.Value.Id, "invitation accepted", "organizer:" + ok.Value.Id,
                    new { ok.Value.Role, ok.Value.UnitId }, http.Connection.RemoteIpAddress, ct);
                return TypedResults.Created("/api/organizer/me", ok.Value);
            case AccountOutcome<OrganizerAccount>.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Chưa nhận được lời mời.");
            default:
                throw new InvalidOperationException();
        }
    }
}

/// <summary>
/// <c>organizers create-admin --email E --name N [--password-stdin] [--if-none]</c>: the first city admin. Prints a
/// generated one-time password unless one is read from standard input; <c>--if-none</c> does nothing when an active city
/// admin exists (what <c>.ci/serve</c> uses). There is no default account.
/// </summary>
internal sealed class CreateAdminVerb(Migrator migrator, OrganizerAccounts accounts, OrganizerAudit audit) : ICommandVerb
{
    public string Name => "organizers create-admin";
    public string Usage => "organizers create-admin --email E --name N [--password-stdin] [--if-none]   create a city admin account";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        string? email = null, name = null;
        bool fromStdin = false, ifNone = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length: email = args[++i]; break;
                case "--name" when i + 1 < args.Length: name = args[++i]; break;
                case "--password-stdin": fromStdin = true; break;
                case "--if-none": ifNone = true; break;
                default:
                    await output.WriteLineAsync($"Unknown argument \"{args[i]}\".\n{Usage}");
                    return 2;
            }
        }
        if (email is null || name is null)
        {
            await output.WriteLineAsync("Both --email and --name are required.\n" + Usage);
            return 2;
        }
        await migrator.MigrateAsync(ct);
        if (ifNone && await accounts.AnyAdminAsync(ct))
        {
            await output.WriteLineAsync("A city admin account exists already; nothing created.");
            return 0;
        }
        var password = fromStdin ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') ?? "" : OrganizerAccounts.GeneratePassword();
        switch (await accounts.CreateAdminAsync(email, name, password, ct))
        {
            case AccountOutcome<OrganizerAccount>.Ok ok:
                await audit.WriteAsync(null, "organizers create-admin", "organizer:" + ok.Value.Id, new { ok.Value.Email }, null, ct);
                await output.WriteLineAsync($"Created city admin {ok.Value.Email} ({ok.Value.Name}), unit {ok.Value.UnitName}.");
                if (!fromStdin)
                {
                    await output.WriteLineAsync($"One-time password: {password}");
                    await output.WriteLineAsync("It is shown only now. Sign in at /to-chuc/dang-nhap and change it under Tài khoản.");
                }
                return 0;
            case AccountOutcome<OrganizerAccount>.Invalid invalid:
                foreach (var (field, messages) in invalid.Errors)
                {
                    await output.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
                }
                return 1;
            default:
                return 1;
        }
    }
}
