using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using OtpNet;
using QRCoder;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>Whether city admins must enrol a second factor before the console lets them do anything (ASVS 6.3.3).</summary>
public sealed class OrganizerSecondFactorOptions
{
    public const string Section = "Organizers:SecondFactor";

    /// <summary>On by default. Off only for a test suite's own app, where hundreds of admin sign-ins would each need a code.</summary>
    public bool RequiredForCityAdmins { get; set; } = true;
}

/// <summary>
/// A city admin signed in with the password alone, where a second factor is required, carries
/// <see cref="PendingClaim"/>: until they enrol, the console, the organizer API and the host hub answer only the
/// enrolment, their own account, a password change and sign-out. Pages send them to the enrolment page; API and hub
/// callers get a Vietnamese 403 saying what to do.
/// </summary>
public static class SecondFactorSetup
{
    public const string PendingClaim = "nq66:second-factor-pending";
    public const string EnrolPage = "/to-chuc/xac-thuc-hai-buoc";
    public const string Refusal = "Tài khoản quản trị thành phố phải bật xác thực hai bước trước khi làm việc khác. Vào trang “Xác thực hai bước” (/to-chuc/xac-thuc-hai-buoc), quét mã QR bằng ứng dụng xác thực và nhập mã 6 số.";

    private static readonly string[] Allowed =
    [
        EnrolPage, "/to-chuc/dang-xuat", "/to-chuc/dang-nhap", "/to-chuc/mat-khau",
        "/api/organizer/me", "/api/organizer/sign-in", "/api/organizer/sign-out",
    ];

    public static bool IsPending(ClaimsPrincipal user) => user.HasClaim(PendingClaim, "1");

    /// <summary>Whether a session started now for this account starts pending (a city admin without a second factor).</summary>
    public static async Task<bool> StartsPendingAsync(IServiceProvider services, OrganizerAccount account, CancellationToken ct) =>
        account.Role == OrganizerRoles.CityAdmin
        && services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OrganizerSecondFactorOptions>>().Value.RequiredForCityAdmins
        && !await services.GetRequiredService<OrganizerSecondFactor>().IsEnabledAsync(account.Id, ct);

    /// <summary>After authentication: a pending admin reaches only what enrolment needs.</summary>
    public static IApplicationBuilder UseSecondFactorSetup(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var guarded = path.StartsWithSegments("/to-chuc") || path.StartsWithSegments("/api/organizer") || path.StartsWithSegments(LiveRounds.LiveRoutes.HostHub);
        if (!guarded || !IsPending(context.User) || Allowed.Any(a => path.StartsWithSegments(a, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        if (path.StartsWithSegments("/to-chuc") && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Redirect($"{EnrolPage}?ReturnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
            return;
        }
        await Results.Problem(title: Refusal, statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["secondFactorSetupRequired"] = true }).ExecuteAsync(context);
    });
}

/// <summary>A started enrolment: the secret for manual entry, the otpauth URI and its QR code (SVG) for the app.</summary>
public sealed record SecondFactorEnrolment(string Secret, string Uri, string QrSvg);

/// <summary>
/// TOTP second factor (RFC 6238: 30-second steps, 6 digits, SHA-1, what every authenticator app reads from the QR code)
/// with ten single-use recovery codes. The secret is stored encrypted with the Data Protection API; a code is accepted
/// one step either side of now (phone clocks drift) and never twice (the last accepted step is kept).
/// </summary>
public sealed class OrganizerSecondFactor(NpgsqlDataSource dataSource, TimeProvider clock, IDataProtectionProvider protection)
{
    public const int RecoveryCodeCount = 10;
    private const string Issuer = "NQ66Quiz Hà Nội";

    private readonly IDataProtector _protector = protection.CreateProtector("NQ66Quiz.Organizers.Totp.v1");

    public async Task<bool> IsEnabledAsync(long accountId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT totp_enabled_at IS NOT NULL FROM organizer_accounts WHERE id = @accountId", new { accountId }, cancellationToken: ct));
    }

    /// <summary>A new secret, pending until <see cref="ConfirmAsync"/> sees a code made from it (replaces a pending one).</summary>
    /// <param name="keepPending">Show the pending secret again (a mistyped code) instead of making a new one.</param>
    public async Task<SecondFactorEnrolment?> BeginAsync(long accountId, string email, bool keepPending = false, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var pending = keepPending ? await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT totp_secret_protected FROM organizer_accounts WHERE id = @accountId AND totp_enabled_at IS NULL", new { accountId }, cancellationToken: ct)) : null;
        var secret = pending is null ? KeyGeneration.GenerateRandomKey(20) : Convert.FromBase64String(_protector.Unprotect(pending));
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE organizer_accounts SET totp_secret_protected = @secret WHERE id = @accountId AND totp_enabled_at IS NULL
            """, new { secret = _protector.Protect(Convert.ToBase64String(secret)), accountId }, cancellationToken: ct));
        if (updated == 0)
        {
            return null;
        }
        var base32 = Base32Encoding.ToString(secret);
        var uri = new OtpUri(OtpType.Totp, base32, email, Issuer).ToString();
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SecondFactorEnrolment(base32, uri, new SvgQRCode(data).GetGraphic(6));
    }

    /// <summary>Turns the pending secret on when <paramref name="code"/> matches it; returns the recovery codes (shown once).</summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(long accountId, string? code, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var secret = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT totp_secret_protected FROM organizer_accounts WHERE id = @accountId AND totp_enabled_at IS NULL FOR UPDATE
            """, new { accountId }, tx, cancellationToken: ct));
        if (secret is null || Step(secret, code, null) is not { } step)
        {
            return null;
        }
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => RecoveryCode()).ToList();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE organizer_accounts SET totp_enabled_at = @now, totp_last_step = @step WHERE id = @accountId;
            DELETE FROM organizer_recovery_codes WHERE account_id = @accountId;
            INSERT INTO organizer_recovery_codes (account_id, code_sha256) SELECT @accountId, unnest(@hashes);
            """, new { now = clock.GetUtcNow(), step, accountId, hashes = codes.Select(Hash).ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return codes;
    }

    /// <summary>Whether <paramref name="code"/> is the current TOTP code (not used before) or an unused recovery code.</summary>
    public async Task<bool> VerifyAsync(long accountId, string? code, CancellationToken ct = default)
    {
        var clean = Clean(code);
        if (clean.Length == 0)
        {
            return false;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Secret, long? LastStep)?>(new CommandDefinition("""
            SELECT totp_secret_protected, totp_last_step FROM organizer_accounts
            WHERE id = @accountId AND totp_enabled_at IS NOT NULL FOR UPDATE
            """, new { accountId }, tx, cancellationToken: ct));
        if (row is not { } found)
        {
            return false;
        }
        bool ok;
        if (clean.Length == 6 && clean.All(char.IsAsciiDigit))
        {
            var step = Step(found.Secret, clean, found.LastStep);
            ok = step is not null && await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE organizer_accounts SET totp_last_step = @step WHERE id = @accountId", new { step, accountId }, tx, cancellationToken: ct)) == 1;
        }
        else
        {
            ok = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE organizer_recovery_codes SET used_at = @now WHERE account_id = @accountId AND code_sha256 = @hash AND used_at IS NULL
                """, new { now = clock.GetUtcNow(), accountId, hash = Hash(clean) }, tx, cancellationToken: ct)) == 1;
        }
        await tx.CommitAsync(ct);
        return ok;
    }

    /// <summary>The time step <paramref name="code"/> matches (one step of drift either side), if later than <paramref name="after"/>.</summary>
    private long? Step(string protectedSecret, string? code, long? after)
    {
        var clean = Clean(code);
        if (clean.Length != 6)
        {
            return null;
        }
        var totp = new Totp(Convert.FromBase64String(_protector.Unprotect(protectedSecret)));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, clean, out var step, new VerificationWindow(previous: 1, future: 1))
            && (after is null || step > after) ? step : null;
    }

    // Codes are read off a phone or a printout: spaces and dashes between groups are allowed.
    private static string Clean(string? code) =>
        new((code ?? "").Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToLowerInvariant).ToArray());

    // Ten characters from an alphabet without look-alikes (about 50 bits), shown as two groups of five.
    private static string RecoveryCode()
    {
        var raw = RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 10);
        return raw[..5] + "-" + raw[5..];
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Clean(code))));
}
