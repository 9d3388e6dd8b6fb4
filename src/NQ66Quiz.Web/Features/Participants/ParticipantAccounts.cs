using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace NQ66Quiz.Web.Features.Participants;

public sealed record ParticipantProfile(
    long Id, string FullName, string Phone, string? NationalId, DateOnly DateOfBirth, int UnitId, string UnitName,
    string ParticipantType, string? GuardianName, bool ConsentPublishIfWinner, bool IdentityLocked);

public sealed record SignInRequest(string? Phone, string? Password);

public sealed record UpdateProfileRequest(string? FullName, int? UnitId, string? NationalId);

/// <summary>A participant account for the password hasher's generic parameter (it hashes nothing from it).</summary>
public sealed record ParticipantAccount(long Id);

public abstract record AccountResult
{
    public sealed record Ok(ParticipantProfile Profile) : AccountResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : AccountResult;

    public sealed record Refused(string Message) : AccountResult;

    public sealed record Throttled(string Message) : AccountResult;
}

/// <summary>Registration, sign-in and profile of participants (người dự thi).</summary>
public sealed class ParticipantAccounts(NpgsqlDataSource dataSource, TimeProvider clock, SignInThrottle throttle)
{
    public const string ClaimType = "participant_id";

    private static readonly PasswordHasher<ParticipantAccount> Hasher = new();

    private sealed record CredentialRow(long Id, string PasswordHash);

    internal const string ProfileSql = """
        SELECT p.id, p.full_name, p.phone, p.national_id, p.date_of_birth, p.unit_id, u.name AS unit_name,
               p.participant_type, p.guardian_name,
               EXISTS (SELECT 1 FROM participant_consents c WHERE c.participant_id = p.id AND c.purpose = 'publish_if_winner') AS consent_publish_if_winner,
               EXISTS (SELECT 1 FROM round_entries e WHERE e.participant_id = p.id) AS identity_locked
        FROM participants p JOIN units u ON u.id = p.unit_id
        WHERE p.id = @id
        """;

    public async Task<AccountResult> RegisterAsync(RegisterRequest request, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var (registration, errors) = RegistrationRules.Validate(request, VietnamTime.Today(clock));
        if (registration is null)
        {
            return new AccountResult.Invalid(errors);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM units WHERE id = @UnitId)", registration, cancellationToken: ct)))
        {
            return new AccountResult.Invalid(new(StringComparer.Ordinal) { ["unitId"] = ["Đơn vị đã chọn không có trong danh sách; vui lòng chọn lại."] });
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO participants (phone, national_id, full_name, date_of_birth, unit_id, participant_type, guardian_name,
                                          password_hash, created_at, updated_at)
                VALUES (@Phone, @NationalId, @FullName, @DateOfBirth::date, @UnitId, @ParticipantType, @GuardianName, @PasswordHash, @Now, @Now)
                RETURNING id
                """, new
            {
                registration.Phone,
                registration.NationalId,
                registration.FullName,
                DateOfBirth = registration.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                registration.UnitId,
                registration.ParticipantType,
                registration.GuardianName,
                PasswordHash = Hasher.HashPassword(new ParticipantAccount(0), registration.Password),
                Now = now,
            }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return new AccountResult.Invalid(e.ConstraintName == "participants_national_id_key"
                ? new(StringComparer.Ordinal) { ["nationalId"] = ["Số CCCD này đã được dùng để đăng ký. Mỗi người chỉ có một tài khoản; hãy đăng nhập."] }
                : new(StringComparer.Ordinal) { ["phone"] = ["Số điện thoại này đã được đăng ký. Mỗi số chỉ có một tài khoản; hãy đăng nhập."] });
        }
        var purposes = new List<string> { "participation" };
        if (registration.ConsentPublishIfWinner)
        {
            purposes.Add("publish_if_winner");
        }
        if (registration.GuardianName is not null)
        {
            purposes.Add("guardian");
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO participant_consents (participant_id, purpose, wording_version, consented_at)
            SELECT @id, purpose, @Version, @now FROM unnest(@purposes) AS purpose
            """, new { id, Version = ConsentWording.Version, now, purposes = purposes.ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new AccountResult.Ok((await GetAsync(id, ct))!);
    }

    public async Task<AccountResult> VerifyAsync(SignInRequest request, CancellationToken ct = default)
    {
        const string wrong = "Số điện thoại hoặc mật khẩu không đúng.";
        var (phone, _) = PhoneNumber.Normalize(request.Phone);
        if (phone is null || string.IsNullOrEmpty(request.Password))
        {
            return new AccountResult.Refused(wrong);
        }
        if (await throttle.IsBlockedAsync(phone))
        {
            return new AccountResult.Throttled($"Đăng nhập sai quá {SignInThrottle.MaxFailures} lần; vui lòng thử lại sau "
                + $"{SignInThrottle.Window.TotalMinutes:0} phút.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            "SELECT id, password_hash FROM participants WHERE phone = @phone", new { phone }, cancellationToken: ct));
        if (row is null)
        {
            // Hash anyway, so a wrong phone and a wrong password take the same time.
            Hasher.HashPassword(new ParticipantAccount(0), request.Password);
            await throttle.FailedAsync(phone);
            return new AccountResult.Refused(wrong);
        }
        var verdict = Hasher.VerifyHashedPassword(new ParticipantAccount(row.Id), row.PasswordHash, request.Password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await throttle.FailedAsync(phone);
            return new AccountResult.Refused(wrong);
        }
        await throttle.SucceededAsync(phone);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE participants SET password_hash = @hash WHERE id = @Id",
                new { hash = Hasher.HashPassword(new ParticipantAccount(row.Id), request.Password), row.Id }, cancellationToken: ct));
        }
        return new AccountResult.Ok((await GetAsync(row.Id, ct))!);
    }

    public async Task<ParticipantProfile?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Npgsql reads a date column as DateOnly, so the profile record maps straight from the row.
        return await connection.QuerySingleOrDefaultAsync<ParticipantProfile>(new CommandDefinition(ProfileSql, new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// Name and unit are what prizes are verified against, so they are frozen once the person has entered a round; a
    /// national ID may still be added (some contests require one) but not changed.
    /// </summary>
    public async Task<AccountResult> UpdateAsync(long id, UpdateProfileRequest request, CancellationToken ct = default)
    {
        var current = await GetAsync(id, ct);
        if (current is null)
        {
            return new AccountResult.Refused("Không tìm thấy tài khoản; hãy đăng nhập lại.");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (name, nameError) = PersonName.Normalize(request.FullName);
        if (nameError is not null)
        {
            errors["fullName"] = [nameError];
        }
        var (nationalId, idError) = NationalId.Normalize(request.NationalId, current.DateOfBirth);
        if (idError is not null)
        {
            errors["nationalId"] = [idError];
        }
        if (request.UnitId is null or <= 0)
        {
            errors["unitId"] = ["Vui lòng chọn đơn vị trong danh sách."];
        }
        if (errors.Count > 0)
        {
            return new AccountResult.Invalid(errors);
        }
        if (current.NationalId is not null && nationalId != current.NationalId)
        {
            return new AccountResult.Invalid(new(StringComparer.Ordinal) { ["nationalId"] = ["Số CCCD đã khai không thể thay đổi; liên hệ Ban tổ chức nếu khai nhầm."] });
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Locks the row: a concurrent attempt start (which reads it FOR SHARE) waits, so it sees either the old
        // identity with no entry yet or the new one; never an entry made under a name that then changes.
        var locked = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM round_entries WHERE participant_id = @id)
            FROM participants WHERE id = @id FOR UPDATE
            """, new { id }, tx, cancellationToken: ct));
        if (locked && (name != current.FullName || request.UnitId != current.UnitId))
        {
            return new AccountResult.Refused("Bạn đã dự thi nên không thể đổi họ tên hoặc đơn vị (đây là thông tin dùng để xác minh khi trao giải). "
                + "Nếu khai nhầm, hãy liên hệ Ban tổ chức.");
        }
        try
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE participants SET full_name = @name, unit_id = @UnitId, national_id = coalesce(@nationalId, national_id), updated_at = @now
                WHERE id = @id AND EXISTS (SELECT 1 FROM units WHERE id = @UnitId)
                """, new { id, name, request.UnitId, nationalId, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return new AccountResult.Invalid(new(StringComparer.Ordinal) { ["unitId"] = ["Đơn vị đã chọn không có trong danh sách; vui lòng chọn lại."] });
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new AccountResult.Invalid(new(StringComparer.Ordinal) { ["nationalId"] = ["Số CCCD này đã được dùng cho một tài khoản khác."] });
        }
        await tx.CommitAsync(ct);
        return new AccountResult.Ok((await GetAsync(id, ct))!);
    }

    public static async Task SignInAsync(HttpContext http, ParticipantProfile profile)
    {
        // The cookie carries the account's session stamp: a password change bumps it and signs other browsers out.
        var stamp = await http.RequestServices.GetRequiredService<ParticipantSessions>().StampAsync(profile.Id, http.RequestAborted) ?? 0;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimType, profile.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Name, profile.FullName),
             new Claim(ParticipantSessions.StampClaim, stamp.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The signed-in participant's id, or null for anyone else.</summary>
    public static long? IdOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimType), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The participant behind a page or endpoint that requires the participant policy (so one is signed in).</summary>
    public static long Me(ClaimsPrincipal user) => IdOf(user) ?? throw new InvalidOperationException("participant policy let an anonymous user through");
}
