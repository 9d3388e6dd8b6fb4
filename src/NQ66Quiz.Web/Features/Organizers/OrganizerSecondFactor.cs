using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using OtpNet;
using QRCoder;

namespace NQ66Quiz.Web.Features.Organizers;

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
