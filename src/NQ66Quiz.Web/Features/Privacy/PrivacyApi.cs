using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Privacy;

public sealed record EraseRequest(string? Password);

/// <summary>
/// Personal data (Law 91/2025/QH15): <c>GET /api/me/data</c> downloads it, <c>POST /api/me/erase</c> erases it (the
/// password confirms), <c>privacy purge</c> erases whoever is past retention. The privacy page is /quyen-rieng-tu.
/// </summary>
public static class PrivacyApi
{
    public const string PolicyPath = "/quyen-rieng-tu";

    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section)
            .Validate(o => o.UnusedAccountDays is >= 30 and <= 3650, "Privacy:UnusedAccountDays must be between 30 and 3650 (days after an unused account's last use).")
            .ValidateOnStart();
        services.AddSingleton<PrivacyTexts>();
        services.AddSingleton<NationalIdVault>();
        services.AddSingleton<PersonalData>();
        services.AddHostedService<LegacyNationalIdEncryption>();
        services.AddVerb<PurgeVerb>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Participants").RequireAuthorization(Platform.ParticipantPolicy);
        me.MapGet("/data", DownloadAsync).WithSummary("Tải toàn bộ dữ liệu cá nhân của người dự thi (JSON).");
        me.MapPost("/erase", EraseAsync).WithSummary("Xoá dữ liệu cá nhân (xác nhận bằng mật khẩu); các lượt thi được giữ ở dạng ẩn danh.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> DownloadAsync(ClaimsPrincipal user, PersonalData data, CancellationToken ct) =>
        await data.ExportAsync(ParticipantAccounts.Me(user), ct) is { } export
            ? TypedResults.File(PersonalData.ToJson(export), "application/json; charset=utf-8", "du-lieu-ca-nhan.json")
            : TypedResults.NotFound();

    public static async Task<Results<NoContent, ProblemHttpResult>> EraseAsync(EraseRequest request, HttpContext http, PersonalData data, CancellationToken ct)
    {
        if (await data.EraseOnRequestAsync(ParticipantAccounts.Me(http.User), request.Password, ct) is { } refusal)
        {
            return TypedResults.Problem(title: refusal, statusCode: StatusCodes.Status400BadRequest);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }
}

/// <summary><c>privacy purge [--dry-run]</c>: erases the personal data of everyone past their contests' retention.</summary>
internal sealed class PurgeVerb(Migrator migrator, PersonalData data, OrganizerAudit audit) : ICommandVerb
{
    public string Name => "privacy purge";
    public string Usage => "privacy purge [--dry-run]    erase personal data past each contest's retention (attempts kept, anonymised)";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var dryRun = args is ["--dry-run"];
        if (args.Length > 0 && !dryRun)
        {
            await output.WriteLineAsync("usage: privacy purge [--dry-run]");
            return 2;
        }
        await migrator.MigrateAsync(ct);
        if (dryRun)
        {
            var due = await data.PastRetentionAsync(ct);
            await output.WriteLineAsync($"{due.Count} participant(s) past retention would be erased" + (due.Count > 0 ? ": ids " + string.Join(", ", due) : "."));
            return 0;
        }
        var erased = await data.PurgeAsync(ct);
        await audit.WriteAsync(null, "privacy purge", null, new { erased }, null, ct);
        await output.WriteLineAsync($"Erased the personal data of {erased} participant(s) past retention; their attempts stay, anonymised.");
        return 0;
    }
}
