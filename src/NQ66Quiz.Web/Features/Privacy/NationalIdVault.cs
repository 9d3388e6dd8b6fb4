using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace NQ66Quiz.Web.Features.Privacy;

/// <summary>A national ID as stored: ciphertext, keyed look-up hash (uniqueness, "same number?") and last four digits.</summary>
public sealed record ProtectedNationalId(string Protected, string Lookup, string Last4);

/// <summary>
/// Number of a CCCD at rest: encrypted with the Data Protection API (key ring in PostgreSQL, shared by every node), so
/// the plain number is never in a table, a backup or an export. The ciphertext differs on every write, so uniqueness is
/// on an HMAC-SHA256 of the number; a plain hash of a 12-digit number would be reversed by trying all 10^12, so the
/// HMAC key is itself a secret kept protected by the key ring (<c>protected_secrets</c>).
/// </summary>
public sealed class NationalIdVault(IDataProtectionProvider provider, NpgsqlDataSource dataSource, TimeProvider clock) : IDisposable
{
    private const string LookupKeyName = "national_id_lookup";
    private readonly IDataProtector _ids = provider.CreateProtector("NQ66Quiz.Participants.NationalId");
    private readonly IDataProtector _secrets = provider.CreateProtector("NQ66Quiz.ProtectedSecrets");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _lookupKey;

    /// <summary>How a stored number is shown, to the participant and organizers alike.</summary>
    public static string Mask(string? last4) => last4 is null ? "" : "********" + last4;

    public async Task<ProtectedNationalId> ProtectAsync(string nationalId, CancellationToken ct = default) =>
        new(_ids.Protect(nationalId), await LookupAsync(nationalId, ct), nationalId[^4..]);

    public string Unprotect(string protectedId) => _ids.Unprotect(protectedId);

    public async Task<string> LookupAsync(string nationalId, CancellationToken ct = default)
    {
        var key = await LookupKeyAsync(ct);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(nationalId)));
    }

    private async Task<byte[]> LookupKeyAsync(CancellationToken ct)
    {
        if (_lookupKey is { } known)
        {
            return known;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_lookupKey is null)
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                // Two nodes starting together may both propose a key: the first insert wins and both read it back.
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO protected_secrets (name, protected, created_at) VALUES (@LookupKeyName, @value, @now)
                    ON CONFLICT (name) DO NOTHING
                    """, new { LookupKeyName, value = _secrets.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), now = clock.GetUtcNow() },
                    cancellationToken: ct));
                var stored = await connection.QuerySingleAsync<string>(new CommandDefinition(
                    "SELECT protected FROM protected_secrets WHERE name = @LookupKeyName", new { LookupKeyName }, cancellationToken: ct));
                _lookupKey = Convert.FromBase64String(_secrets.Unprotect(stored));
            }
            return _lookupKey;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Encrypts numbers stored in plain text before migration 0100; returns how many rows it moved.</summary>
    public async Task<int> EncryptLegacyAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<(long Id, string NationalId)>(new CommandDefinition(
            "SELECT id, national_id FROM participants WHERE national_id IS NOT NULL", cancellationToken: ct))).ToList();
        foreach (var (id, nationalId) in rows)
        {
            var p = await ProtectAsync(nationalId, ct);
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE participants SET national_id = NULL, national_id_protected = @Protected, national_id_lookup = @Lookup, national_id_last4 = @Last4
                WHERE id = @id AND national_id = @nationalId
                """, new { id, nationalId, p.Protected, p.Lookup, p.Last4 }, cancellationToken: ct));
        }
        return rows.Count;
    }
}

/// <summary>Runs <see cref="NationalIdVault.EncryptLegacyAsync"/> once when the app starts.</summary>
internal sealed class LegacyNationalIdEncryption(NationalIdVault vault, ILogger<LegacyNationalIdEncryption> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await vault.EncryptLegacyAsync(cancellationToken) is > 0 and var moved)
            {
                log.LogInformation("Encrypted {Count} national ID(s) stored in plain text before migration 0100", moved);
            }
        }
        catch (NpgsqlException e)
        {
            // The next start tries again; nothing new is ever written in plain text.
            log.LogWarning(e, "Could not encrypt national IDs stored in plain text; the next start retries");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
