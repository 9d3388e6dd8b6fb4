using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Organizers;

public sealed record OrganizerSignInRequest(string? Email, string? Password);

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
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme,
            o => o.AccessDeniedPath = "/to-chuc/khong-du-quyen");
        return services;
    }

    /// <summary>
    /// The organizer API group: the organizer policy, the audit filter (outermost, so refusals are logged too) and the
    /// unit scope filter, once. Other features map onto it.
    /// </summary>
    public static RouteGroupBuilder MapOrganizerGroup(this IEndpointRouteBuilder app, string prefix = "", string tag = "Organizer") =>
        app.MapGroup("/api/organizer" + prefix).WithTags(tag).RequireAuthorization(Platform.OrganizerPolicy)
            .AddEndpointFilter<OrganizerAuditFilter>().AddEndpointFilter<ScopeFilter>();

    public static IEndpointRouteBuilder MapOrganizers(this IEndpointRouteBuilder app)
    {
        var group = app.MapOrganizerGroup(tag: "Organizer: accounts");
        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().WithSummary("Đăng nhập ban tổ chức bằng email và mật khẩu.");
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }).AllowAnonymous();
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
        OrganizerSignInRequest request, HttpContext http, OrganizerAccounts accounts, OrganizerAudit audit, CancellationToken ct)
    {
        var account = await accounts.VerifyAsync(request.Email, request.Password, ct);
        if (account is null)
        {
            await audit.WriteAsync(null, "sign-in failed", OrganizerAccounts.NormalizeEmail(request.Email) ?? "(email không hợp lệ)", new { }, http.Connection.RemoteIpAddress, ct);
            return TypedResults.Problem(title: "Mật khẩu ban tổ chức không đúng, hoặc email này chưa có tài khoản (hay đã bị khoá).",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        await SignInAccountAsync(http, account);
        await audit.WriteAsync(account.Id, "sign-in", "organizer:" + account.Id, new { }, http.Connection.RemoteIpAddress, ct);
        return TypedResults.NoContent();
    }

    public static Task SignInAccountAsync(HttpContext http, OrganizerAccount account) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity(
            OrganizerScope.Claims(account.Id, account.Name, account.Email, account.Role, account.UnitId), CookieAuthenticationDefaults.AuthenticationScheme)));

    public static async Task<Results<Ok<OrganizerAccount>, NotFound>> MeAsync(OrganizerScope scope, OrganizerAccounts accounts, CancellationToken ct) =>
        await accounts.GetAsync(scope.AccountId, ct) is { } account ? TypedResults.Ok(account) : TypedResults.NotFound();

    public static async Task<Results<NoContent, ValidationProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, OrganizerScope scope, OrganizerAccounts accounts, CancellationToken ct) =>
        await accounts.ChangePasswordAsync(scope.AccountId, request.CurrentPassword, request.NewPassword, ct) switch
        {
            AccountOutcome<bool>.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "Chưa đổi được mật khẩu."),
            _ => TypedResults.NoContent(),
        };

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
