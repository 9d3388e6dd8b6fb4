using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Features.Organizers;

public sealed record OrganizerAccount(long Id, string Email, string Name, string Role, int UnitId, string UnitName,
    DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)
{
    public string RoleLabel => OrganizerRoles.Label(Role);
}

public sealed record InviteRequest(string Email, string Name, string Role, int? UnitId);

public sealed record InvitationView(long Id, string Email, string Name, string Role, int UnitId, string UnitName,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, DateTimeOffset? RevokedAt)
{
    public string RoleLabel => OrganizerRoles.Label(Role);
}

/// <summary>A new invitation: the code is shown once, to the admin who sends it; only its hash is stored.</summary>
public sealed record InvitationCreated(InvitationView Invitation, string Code, string Path);

public sealed record AcceptRequest(string Code, string Password);

public abstract record AccountOutcome<T>
{
    public sealed record Ok(T Value) : AccountOutcome<T>;

    /// <summary>Errors by field (email, name, role, unitId, password, code), in Vietnamese.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : AccountOutcome<T>;
}

/// <summary>
/// Named organizer accounts: the first city admin (command line), invitations by admins, sign-in with e-mail and
/// password (ASP.NET Core's PasswordHasher: PBKDF2 with a per-password salt).
/// </summary>
public sealed class OrganizerAccounts(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int MinPasswordLength = OrganizerPasswords.MinLength;
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    private static readonly PasswordHasher<OrganizerAccount> Hasher = new();

    // Verifying against this when no account matches keeps a wrong e-mail as slow as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-real-password-" + Guid.NewGuid());

    private const string AccountSql = """
        SELECT a.id, a.email, a.name, a.role, a.unit_id, u.name AS unit_name, a.created_at, a.disabled_at
        FROM organizer_accounts a JOIN units u ON u.id = a.unit_id
        """;

    private const string InvitationSql = """
        SELECT i.id, i.email, i.name, i.role, i.unit_id, u.name AS unit_name, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
        FROM organizer_invitations i JOIN units u ON u.id = i.unit_id
        """;

    private sealed record AccountRow(long Id, string Email, string Name, string Role, int UnitId, string UnitName, DateTime CreatedAt, DateTime? DisabledAt)
    {
        public OrganizerAccount ToAccount() => new(Id, Email, Name, Role, UnitId, UnitName, Utc(CreatedAt), DisabledAt is { } d ? Utc(d) : null);
    }

    private sealed record InvitationRow(long Id, string Email, string Name, string Role, int UnitId, string UnitName, DateTime CreatedAt,
        DateTime ExpiresAt, DateTime? AcceptedAt, DateTime? RevokedAt)
    {
        public InvitationView ToView() => new(Id, Email, Name, Role, UnitId, UnitName, Utc(CreatedAt), Utc(ExpiresAt),
            AcceptedAt is { } a ? Utc(a) : null, RevokedAt is { } r ? Utc(r) : null);
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    /// <summary>A password of 20 letters and digits (about 119 bits), for the first admin when none is given.</summary>
    public static string GeneratePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);

    public static string? NormalizeEmail(string? email)
    {
        var e = VietnameseText.Nfc(email ?? "").Trim().ToLowerInvariant();
        return e.Length is > 3 and <= 254 && MailAddress.TryCreate(e, out var parsed) && parsed.Address == e && e.Contains('.', StringComparison.Ordinal)
            ? e : null;
    }

    public static string? PasswordError(string? password) => OrganizerPasswords.Error(password);

    public async Task<bool> AnyAdminAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM organizer_accounts WHERE role = 'city-admin' AND disabled_at IS NULL)", cancellationToken: ct));
    }

    /// <summary>A city admin, attached to the city root (created if the directory has none yet).</summary>
    public async Task<AccountOutcome<OrganizerAccount>> CreateAdminAsync(string email, string name, string password, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var normalized = NormalizeEmail(email);
        var cleanName = VietnameseText.Clean(name);
        if (normalized is null)
        {
            errors["email"] = ["Địa chỉ email không hợp lệ."];
        }
        if (cleanName.Length is < 2 or > 100)
        {
            errors["name"] = ["Họ tên cần từ 2 đến 100 ký tự."];
        }
        if (PasswordError(password) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }
        if (errors.Count > 0)
        {
            return new AccountOutcome<OrganizerAccount>.Invalid(errors);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var root = await CityRoot.EnsureAsync(connection, tx, ct);
        var id = await InsertAccountAsync(connection, tx, normalized!, cleanName, OrganizerRoles.CityAdmin, root, password, ct);
        if (id is null)
        {
            return new AccountOutcome<OrganizerAccount>.Invalid(Errors("email", "Email này đã có tài khoản ban tổ chức."));
        }
        await tx.CommitAsync(ct);
        return new AccountOutcome<OrganizerAccount>.Ok((await GetAsync(id.Value, ct))!);
    }

    public async Task<OrganizerAccount?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(AccountSql + " WHERE a.id = @id", new { id }, cancellationToken: ct));
        return row?.ToAccount();
    }

    public async Task<IReadOnlyList<OrganizerAccount>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AccountRow>(new CommandDefinition(AccountSql + " ORDER BY a.id", cancellationToken: ct));
        return [.. rows.Select(r => r.ToAccount()).OrderBy(a => a.Name, VietnameseText.Comparer)];
    }

    public async Task<IReadOnlyList<InvitationView>> InvitationsAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<InvitationRow>(new CommandDefinition(InvitationSql + " ORDER BY i.id DESC LIMIT 200", cancellationToken: ct));
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>The account whose e-mail and password match, if it is not disabled; null otherwise (which, not said).</summary>
    public async Task<OrganizerAccount?> VerifyAsync(string? email, string? password, CancellationToken ct = default)
    {
        var normalized = NormalizeEmail(email);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = normalized is null ? null : await connection.QuerySingleOrDefaultAsync<(long Id, string Hash, DateTime? DisabledAt)?>(new CommandDefinition(
            "SELECT id, password_hash, disabled_at FROM organizer_accounts WHERE email = @normalized", new { normalized }, cancellationToken: ct));
        var verdict = Hasher.VerifyHashedPassword(null!, row?.Hash ?? DummyHash, password ?? "");
        if (row is not { DisabledAt: null } found || verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE organizer_accounts SET password_hash = @hash WHERE id = @Id",
                new { hash = Hasher.HashPassword(null!, password!), found.Id }, cancellationToken: ct));
        }
        return await GetAsync(found.Id, ct);
    }

    public async Task<AccountOutcome<InvitationCreated>> InviteAsync(long invitedBy, InviteRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var email = NormalizeEmail(request.Email);
        var name = VietnameseText.Clean(request.Name);
        if (email is null)
        {
            errors["email"] = ["Địa chỉ email không hợp lệ (ví dụ: nguyenvana@hanoi.gov.vn)."];
        }
        if (name.Length is < 2 or > 100)
        {
            errors["name"] = ["Họ tên cần từ 2 đến 100 ký tự."];
        }
        if (!OrganizerRoles.IsRole(request.Role))
        {
            errors["role"] = ["Chọn một vai trò: quản trị thành phố, ban tổ chức đơn vị, biên soạn câu hỏi hoặc dẫn vòng thi trực tiếp."];
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var root = await CityRoot.EnsureAsync(connection, tx, ct);
        // City admins and question authors work city-wide; the others need the unit they will run.
        int? unit = request.Role is OrganizerRoles.CityAdmin or OrganizerRoles.QuestionAuthor ? root : request.UnitId;
        if (unit is null)
        {
            errors["unitId"] = ["Chọn đơn vị mà người này phụ trách."];
        }
        else if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM units WHERE id = @unit)", new { unit }, tx, cancellationToken: ct)))
        {
            errors["unitId"] = ["Không có đơn vị này trong danh mục."];
        }
        if (email is not null && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM organizer_accounts WHERE email = @email)", new { email }, tx, cancellationToken: ct)))
        {
            errors["email"] = ["Email này đã có tài khoản ban tổ chức."];
        }
        if (errors.Count > 0)
        {
            return new AccountOutcome<InvitationCreated>.Invalid(errors);
        }
        var code = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var now = clock.GetUtcNow();
        // A newer invitation for the same e-mail replaces the open ones, so only the latest link works.
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE organizer_invitations SET revoked_at = @now WHERE email = @email AND accepted_at IS NULL AND revoked_at IS NULL
            """, new { email, now }, tx, cancellationToken: ct));
        var id = await connection.QuerySingleAsync<long>(new CommandDefinition("""
            INSERT INTO organizer_invitations (code_sha256, email, name, role, unit_id, invited_by, created_at, expires_at)
            VALUES (@hash, @email, @name, @Role, @unit, @invitedBy, @now, @expires)
            RETURNING id
            """, new { hash = Hash(code), email, name, request.Role, unit, invitedBy, now, expires = now + InvitationLifetime }, tx, cancellationToken: ct));
        var view = (await connection.QuerySingleAsync<InvitationRow>(new CommandDefinition(InvitationSql + " WHERE i.id = @id", new { id }, tx, cancellationToken: ct))).ToView();
        await tx.CommitAsync(ct);
        return new AccountOutcome<InvitationCreated>.Ok(new InvitationCreated(view, code, "/to-chuc/loi-moi/" + code));
    }

    /// <summary>The open invitation behind <paramref name="code"/>, or the reason it cannot be used (Vietnamese).</summary>
    public async Task<(InvitationView? Invitation, string? Problem)> FindInvitationAsync(string? code, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindInvitationAsync(connection, null, code, ct);
    }

    private async Task<(InvitationView? Invitation, string? Problem)> FindInvitationAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string? code, CancellationToken ct)
    {
        var row = string.IsNullOrWhiteSpace(code) ? null : await connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(
            InvitationSql + " WHERE i.code_sha256 = @hash" + (tx is null ? "" : " FOR UPDATE OF i"), new { hash = Hash(code.Trim()) }, tx, cancellationToken: ct));
        var view = row?.ToView();
        return view switch
        {
            null => (null, "Mã mời không đúng. Kiểm tra lại đường dẫn trong thư mời."),
            { AcceptedAt: not null } => (null, "Lời mời này đã được dùng. Đăng nhập bằng email và mật khẩu đã đặt."),
            { RevokedAt: not null } => (null, "Lời mời này đã được thay bằng lời mời mới hơn. Dùng đường dẫn trong thư mời mới nhất."),
            _ when view.ExpiresAt <= clock.GetUtcNow() => (null, "Lời mời đã hết hạn. Đề nghị quản trị thành phố gửi lời mời mới."),
            _ => (view, null),
        };
    }

    public async Task<AccountOutcome<OrganizerAccount>> AcceptAsync(AcceptRequest request, CancellationToken ct = default)
    {
        if (PasswordError(request.Password) is { } passwordError)
        {
            return new AccountOutcome<OrganizerAccount>.Invalid(Errors("password", passwordError));
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (invitation, problem) = await FindInvitationAsync(connection, tx, request.Code, ct);
        if (invitation is null)
        {
            return new AccountOutcome<OrganizerAccount>.Invalid(Errors("code", problem!));
        }
        var id = await InsertAccountAsync(connection, tx, invitation.Email, invitation.Name, invitation.Role, invitation.UnitId, request.Password, ct);
        if (id is null)
        {
            return new AccountOutcome<OrganizerAccount>.Invalid(Errors("code", "Email này đã có tài khoản ban tổ chức. Hãy đăng nhập."));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organizer_invitations SET accepted_at = @now, account_id = @accountId WHERE id = @invitationId",
            new { now = clock.GetUtcNow(), accountId = id, invitationId = invitation.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new AccountOutcome<OrganizerAccount>.Ok((await GetAsync(id.Value, ct))!);
    }

    public async Task<AccountOutcome<bool>> ChangePasswordAsync(long accountId, string? current, string? next, CancellationToken ct = default)
    {
        if (PasswordError(next) is { } passwordError)
        {
            return new AccountOutcome<bool>.Invalid(Errors("newPassword", passwordError));
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var hash = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT password_hash FROM organizer_accounts WHERE id = @accountId", new { accountId }, cancellationToken: ct));
        if (hash is null || Hasher.VerifyHashedPassword(null!, hash, current ?? "") == PasswordVerificationResult.Failed)
        {
            return new AccountOutcome<bool>.Invalid(Errors("currentPassword", "Mật khẩu hiện tại không đúng."));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organizer_accounts SET password_hash = @hash, updated_at = @now WHERE id = @accountId",
            new { hash = Hasher.HashPassword(null!, next!), now = clock.GetUtcNow(), accountId }, cancellationToken: ct));
        return new AccountOutcome<bool>.Ok(true);
    }

    public async Task<bool> SetDisabledAsync(long accountId, bool disabled, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organizer_accounts SET disabled_at = CASE WHEN @disabled THEN @now END, updated_at = @now WHERE id = @accountId",
            new { disabled, now = clock.GetUtcNow(), accountId }, cancellationToken: ct)) == 1;
    }

    private async Task<long?> InsertAccountAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string email, string name, string role, int unitId,
        string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO organizer_accounts (email, name, role, unit_id, password_hash, created_at, updated_at)
            VALUES (@email, @name, @role, @unitId, @hash, @now, @now)
            ON CONFLICT (email) DO NOTHING
            RETURNING id
            """, new { email, name, role, unitId, hash = Hasher.HashPassword(null!, password), now }, tx, cancellationToken: ct));
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static Dictionary<string, string[]> Errors(string field, string message) => new(StringComparer.Ordinal) { [field] = [message] };
}
