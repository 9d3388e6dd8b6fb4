using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>A participant as an organizer sees them before issuing a reset code: enough to check the person's papers.</summary>
public sealed record ParticipantLookup(long Id, string FullName, string Phone, DateOnly DateOfBirth, string? NationalId, int UnitId, string UnitName)
{
    /// <summary>The last four digits of the CCCD, what an organizer compares with the card in front of them.</summary>
    public string? NationalIdTail => NationalId is { Length: > 4 } id ? "…" + id[^4..] : NationalId;
}

/// <summary>A reset code just issued: shown once, to the organizer who issued it; only its hash is stored.</summary>
public sealed record ResetCodeIssued(string Code, DateTimeOffset ExpiresAt, ParticipantLookup Participant);

public sealed record CodeResetRequest(string? Phone, string? Code, string? NewPassword);

public sealed record EmailResetRequest(string? Login);

public sealed record LinkResetRequest(string? Token, string? NewPassword);

public sealed record ChangeParticipantPasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record SetEmailRequest(string? Email);

public abstract record ResetOutcome
{
    public sealed record Ok(ParticipantProfile Profile) : ResetOutcome;

    /// <summary>Errors by field (phone, code, token, newPassword, currentPassword, email), in Vietnamese.</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : ResetOutcome;

    public sealed record Throttled(string Message) : ResetOutcome;
}

/// <summary>
/// Forgotten and changed passwords of participants. Two ways back in, both single use and valid for
/// <see cref="Lifetime"/>: a code an organizer issues after checking the person (in their unit subtree, written to the
/// audit log), and a link mailed to the participant's own email where SMTP is configured. Any change of password bumps
/// <c>participants.session_stamp</c>, which signs the person's other browsers out (<see cref="ParticipantSessions"/>).
/// </summary>
public sealed class PasswordResets(
    NpgsqlDataSource dataSource, TimeProvider clock, FailureThrottle throttle, SignInThrottle signInThrottle, OrganizerAudit audit,
    PasswordMail mail, IOptions<EmailOptions> email, ParticipantSessions sessions, ILogger<PasswordResets> logger)
{
    /// <summary>How long a code or a link works. Long enough to walk from the organizer's desk to a phone, short enough to be useless later.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public const int MaxCodeFailures = 5;
    public static readonly TimeSpan CodeFailureWindow = TimeSpan.FromMinutes(30);
    public const int MaxCodeFailuresPerAddress = 30;

    /// <summary>Links mailed per account and per source address in <see cref="MailWindow"/>: enough for a typo, not for a mail bomb.</summary>
    public const int MaxMailsPerAccount = 3;
    public const int MaxMailRequestsPerAddress = 20;
    public static readonly TimeSpan MailWindow = TimeSpan.FromHours(1);

    // Codes are read out or written on paper: 8 letters and digits without the look-alikes (0/O, 1/I/L), ~40 bits. The
    // per-phone throttle allows MaxCodeFailures guesses per half hour, a 1-in-2·10^11 chance.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private const int CodeLength = 8;

    private static readonly PasswordHasher<ParticipantAccount> Hasher = new();

    public static string ExpiredCode => $"Mã này đã hết hạn: mã chỉ dùng được trong {Lifetime.TotalMinutes:0} phút kể từ khi cấp. "
        + "Hãy xin Ban tổ chức đơn vị cấp mã mới.";

    public const string UsedCode = "Mã này đã được dùng để đặt mật khẩu. Nếu không phải bạn làm việc đó, hãy báo ngay cho Ban tổ chức và xin mã mới.";
    public const string ReplacedCode = "Mã này đã được thay bằng một mã cấp sau; hãy dùng mã mới nhất Ban tổ chức đưa cho bạn.";
    public const string WrongCode = "Số điện thoại hoặc mã đặt lại mật khẩu không đúng. Kiểm tra lại số điện thoại đã đăng ký và mã 8 ký tự "
        + "(ví dụ ABCD-2345) Ban tổ chức đưa cho bạn.";

    public static string CodeThrottled => $"Nhập sai mã quá {MaxCodeFailures} lần; vui lòng thử lại sau {CodeFailureWindow.TotalMinutes:0} phút, "
        + "hoặc xin Ban tổ chức cấp mã mới.";

    public const string BadLink = "Liên kết đặt lại mật khẩu không đúng hoặc không đầy đủ. Hãy mở đúng liên kết trong email, hoặc xin một liên kết mới.";
    public static string ExpiredLink => $"Liên kết này đã hết hạn (liên kết chỉ dùng được trong {Lifetime.TotalMinutes:0} phút). Hãy xin một liên kết mới.";
    public const string UsedLink = "Liên kết này đã được dùng hoặc đã được thay bằng liên kết mới hơn. Hãy xin một liên kết mới nếu vẫn cần.";

    /// <summary>What anyone who asks for a link is told, whether or not an account matches (so the form reveals no accounts).</summary>
    public static string LinkRequested => "Nếu số điện thoại hoặc email này thuộc một tài khoản đã khai email, chúng tôi vừa gửi tới email đó một liên kết "
        + $"đặt lại mật khẩu (dùng được một lần, trong {Lifetime.TotalMinutes:0} phút). Hãy xem cả hộp thư rác. Không nhận được thư? "
        + "Hãy liên hệ Ban tổ chức đơn vị của bạn.";

    public bool EmailEnabled => email.Value.Enabled;

    private sealed record ResetRow(long Id, string SecretHash, DateTime ExpiresAt, DateTime? UsedAt, DateTime? RevokedAt);

    private sealed record Account(long Id, string Phone, string PasswordHash);

    // ---- Organizer: find the person, issue a code. ----

    public async Task<IReadOnlyList<ParticipantLookup>> SearchAsync(OrganizerScope scope, string? query, CancellationToken ct = default)
    {
        var q = VietnameseText.Clean(query);
        if (q.Length < 2)
        {
            return [];
        }
        var (phone, _) = PhoneNumber.Normalize(q);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ParticipantLookup>(new CommandDefinition($"""
            SELECT p.id, p.full_name, p.phone, p.date_of_birth, p.national_id, p.unit_id, u.name AS unit_name
            FROM participants p JOIN units u ON u.id = p.unit_id
            WHERE {OrganizerScope.SqlFilter("p.unit_id")}
              AND (p.phone = @phone OR p.national_id = @q OR p.full_name ILIKE '%' || @like || '%')
            ORDER BY p.id
            LIMIT 50
            """, new { ScopeRoot = scope.SubtreeRoot, phone, q, like = q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) },
            cancellationToken: ct));
        return [.. rows.OrderBy(r => r.FullName, VietnameseText.Comparer).ThenBy(r => r.Id)];
    }

    /// <summary>A new code for a participant in the organizer's scope (null when there is none: not found for them).</summary>
    public async Task<ResetCodeIssued?> IssueCodeAsync(OrganizerScope scope, long participantId, IPAddress? ip, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var participant = await connection.QuerySingleOrDefaultAsync<ParticipantLookup>(new CommandDefinition($"""
            SELECT p.id, p.full_name, p.phone, p.date_of_birth, p.national_id, p.unit_id, u.name AS unit_name
            FROM participants p JOIN units u ON u.id = p.unit_id
            WHERE p.id = @participantId AND {OrganizerScope.SqlFilter("p.unit_id")}
            FOR UPDATE OF p
            """, new { participantId, ScopeRoot = scope.SubtreeRoot }, tx, cancellationToken: ct));
        if (participant is null)
        {
            return null;
        }
        var code = RandomNumberGenerator.GetString(CodeAlphabet, CodeLength);
        var now = clock.GetUtcNow();
        var expires = now + Lifetime;
        await RevokeOpenAsync(connection, tx, participant.Id, now, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO participant_password_resets (participant_id, kind, secret_hash, issued_by, created_at, expires_at)
            VALUES (@Id, 'organizer', @hash, @AccountId, @now, @expires)
            """, new { participant.Id, hash = Hasher.HashPassword(new ParticipantAccount(participant.Id), code), scope.AccountId, now, expires },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        // The log names who issued a code for whom and until when; never the code.
        await audit.WriteAsync(scope.AccountId, "participant password code issued", "participant:" + participant.Id,
            new { participant.UnitId, expiresAt = expires }, ip, CancellationToken.None);
        // The person stands in front of an organizer with a fresh code: earlier wrong guesses no longer hold them back.
        await throttle.SucceededAsync([CodeKey(participant.Phone)]);
        return new ResetCodeIssued(Format(code), expires, participant);
    }

    /// <summary>"ABCD2345" as "ABCD-2345", the way it is shown and read out.</summary>
    public static string Format(string code) => code.Length == CodeLength ? code[..4] + "-" + code[4..] : code;

    /// <summary>What a person typed as a code: case, spaces and dashes do not matter.</summary>
    public static string NormalizeCode(string? code) =>
        new([.. (code ?? "").Normalize(NormalizationForm.FormKC).ToUpperInvariant().Where(char.IsAsciiLetterOrDigit)]);

    // ---- Participant: use the organizer's code. ----

    public async Task<ResetOutcome> ResetWithCodeAsync(CodeResetRequest request, IPAddress? ip, CancellationToken ct = default)
    {
        var (phone, phoneError) = PhoneNumber.Normalize(request.Phone);
        var code = NormalizeCode(request.Code);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (phone is null)
        {
            errors["phone"] = [phoneError ?? "Vui lòng nhập số điện thoại đã đăng ký."];
        }
        if (code.Length == 0)
        {
            errors["code"] = ["Vui lòng nhập mã Ban tổ chức đưa cho bạn (8 ký tự, ví dụ ABCD-2345)."];
        }
        if (RegistrationRules.PasswordError(request.NewPassword, phone) is { } passwordError)
        {
            errors["newPassword"] = [passwordError];
        }
        if (errors.Count > 0)
        {
            return new ResetOutcome.Invalid(errors);
        }
        var keys = new[] { CodeKey(phone!), AddressKey("code", ip) };
        if (await throttle.IsBlockedAsync([(keys[0], MaxCodeFailures), (keys[1], MaxCodeFailuresPerAddress)]))
        {
            return new ResetOutcome.Throttled(CodeThrottled);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            "SELECT id, phone, password_hash FROM participants WHERE phone = @phone FOR UPDATE", new { phone }, tx, cancellationToken: ct));
        // The latest few codes of the account, so a code that expired, was used or was replaced gets its own message.
        var recent = account is null ? [] : (await connection.QueryAsync<ResetRow>(new CommandDefinition("""
            SELECT id, secret_hash, expires_at, used_at, revoked_at FROM participant_password_resets
            WHERE participant_id = @Id AND kind = 'organizer'
            ORDER BY id DESC LIMIT 5
            """, new { account.Id }, tx, cancellationToken: ct))).ToList();
        var match = code.Length == CodeLength
            ? recent.FirstOrDefault(r => Hasher.VerifyHashedPassword(new ParticipantAccount(account!.Id), r.SecretHash, code) != PasswordVerificationResult.Failed)
            : null;
        if (match is null)
        {
            if (account is null || recent.Count == 0)
            {
                // Same work as a real check, so an unknown phone answers as slowly as a wrong code.
                Hasher.VerifyHashedPassword(new ParticipantAccount(0), DummyHash, code);
            }
            await throttle.FailedAsync(keys, CodeFailureWindow);
            return Invalid("code", WrongCode);
        }
        var now = clock.GetUtcNow();
        var problem = match.UsedAt is not null ? UsedCode : match.RevokedAt is not null ? ReplacedCode : Utc(match.ExpiresAt) <= now ? ExpiredCode : null;
        if (problem is not null)
        {
            return Invalid("code", problem);
        }
        await SetPasswordAsync(connection, tx, account!.Id, request.NewPassword!, match.Id, now, ct);
        await tx.CommitAsync(ct);
        sessions.Forget(account!.Id);
        await throttle.SucceededAsync([keys[0]]);
        await signInThrottle.SucceededAsync(account.Phone);
        logger.LogInformation("Participant {ParticipantId} set a new password with an organizer's code", account.Id);
        return await OkAsync(account.Id, ct);
    }

    // ---- Participant: ask for and use a mailed link. ----

    /// <summary>
    /// Mails a link to every account whose email or phone is the request's login (if that account has an
    /// email). The caller always tells the person <see cref="LinkRequested"/>, whatever happened here.
    /// </summary>
    public async Task RequestLinkAsync(EmailResetRequest request, string? ipText, CancellationToken ct = default)
    {
        if (!EmailEnabled)
        {
            return;
        }
        var login = VietnameseText.Clean(request.Login);
        var (phone, _) = PhoneNumber.Normalize(login);
        var address = OrganizerAccounts.NormalizeEmail(login);
        if (phone is null && address is null)
        {
            return;
        }
        var ipKey = throttle.Key("reset:mail:ip:" + (ipText ?? "unknown"));
        if (await throttle.IsBlockedAsync([(ipKey, MaxMailRequestsPerAddress)]))
        {
            logger.LogWarning("Password reset mail requests from {Address} are throttled", ipText);
            return;
        }
        await throttle.FailedAsync([ipKey], MailWindow);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var accounts = (await connection.QueryAsync<(long Id, string FullName, string Email)>(new CommandDefinition("""
            SELECT id, full_name, email FROM participants
            WHERE email IS NOT NULL AND (phone = @phone OR email = @address)
            ORDER BY id LIMIT 5
            """, new { phone, address }, cancellationToken: ct))).ToList();
        foreach (var account in accounts)
        {
            var accountKey = throttle.Key("reset:mail:account:" + account.Id.ToString(CultureInfo.InvariantCulture));
            if (await throttle.IsBlockedAsync([(accountKey, MaxMailsPerAccount)]))
            {
                logger.LogWarning("Password reset mails for participant {ParticipantId} are throttled", account.Id);
                continue;
            }
            await throttle.FailedAsync([accountKey], MailWindow);
            var token = RandomNumberGenerator.GetHexString(32, lowercase: true);
            var now = clock.GetUtcNow();
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                await RevokeOpenAsync(connection, tx, account.Id, now, ct, kind: "email");
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO participant_password_resets (participant_id, kind, secret_hash, created_at, expires_at)
                    VALUES (@Id, 'email', @hash, @now, @expires)
                    """, new { account.Id, hash = Sha256(token), now, expires = now + Lifetime }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
            }
            mail.QueueResetLink(account.Email, account.FullName, token, now + Lifetime);
        }
    }

    /// <summary>Whether a mailed link still works (for the page that opens it), or the reason it does not.</summary>
    public async Task<string?> LinkProblemAsync(string? token, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return LinkProblem(await FindLinkAsync(connection, null, token, ct));
    }

    public async Task<ResetOutcome> ResetWithLinkAsync(LinkResetRequest request, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var link = await FindLinkAsync(connection, tx, request.Token, ct);
        if (LinkProblem(link) is { } problem)
        {
            return Invalid("token", problem);
        }
        var phone = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT phone FROM participants WHERE id = @ParticipantId FOR UPDATE", new { link!.ParticipantId }, tx, cancellationToken: ct));
        if (RegistrationRules.PasswordError(request.NewPassword, phone) is { } passwordError)
        {
            return Invalid("newPassword", passwordError);
        }
        await SetPasswordAsync(connection, tx, link.ParticipantId, request.NewPassword!, link.Id, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        sessions.Forget(link.ParticipantId);
        await signInThrottle.SucceededAsync(phone);
        logger.LogInformation("Participant {ParticipantId} set a new password with a mailed link", link.ParticipantId);
        return await OkAsync(link.ParticipantId, ct);
    }

    private sealed record LinkRow(long Id, long ParticipantId, DateTime ExpiresAt, DateTime? UsedAt, DateTime? RevokedAt);

    private static async Task<LinkRow?> FindLinkAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string? token, CancellationToken ct)
    {
        var t = (token ?? "").Trim().ToLowerInvariant();
        if (t.Length != 32 || !t.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        return await connection.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition("""
            SELECT id, participant_id, expires_at, used_at, revoked_at FROM participant_password_resets
            WHERE kind = 'email' AND secret_hash = @hash
            """ + (tx is null ? "" : " FOR UPDATE"), new { hash = Sha256(t) }, tx, cancellationToken: ct));
    }

    private string? LinkProblem(LinkRow? link) =>
        link is null ? BadLink
        : link.UsedAt is not null || link.RevokedAt is not null ? UsedLink
        : Utc(link.ExpiresAt) <= clock.GetUtcNow() ? ExpiredLink
        : null;

    // ---- Signed-in participant: change the password, set the email. ----

    public async Task<ResetOutcome> ChangePasswordAsync(long participantId, ChangeParticipantPasswordRequest request, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            "SELECT id, phone, password_hash FROM participants WHERE id = @participantId FOR UPDATE", new { participantId }, tx, cancellationToken: ct));
        if (account is null)
        {
            return Invalid("currentPassword", "Không tìm thấy tài khoản; hãy đăng nhập lại.");
        }
        // Wrong current passwords count against the same per-phone limit as sign-in: a borrowed phone with an open
        // session is not a way to guess the password.
        if (await signInThrottle.IsBlockedAsync(account.Phone))
        {
            return new ResetOutcome.Throttled($"Nhập sai mật khẩu quá {SignInThrottle.MaxFailures} lần; vui lòng thử lại sau "
                + $"{SignInThrottle.Window.TotalMinutes:0} phút.");
        }
        if (string.IsNullOrEmpty(request.CurrentPassword)
            || Hasher.VerifyHashedPassword(new ParticipantAccount(account.Id), account.PasswordHash, request.CurrentPassword) == PasswordVerificationResult.Failed)
        {
            await signInThrottle.FailedAsync(account.Phone);
            return Invalid("currentPassword", "Mật khẩu hiện tại không đúng.");
        }
        if (RegistrationRules.PasswordError(request.NewPassword, account.Phone) is { } passwordError)
        {
            return Invalid("newPassword", passwordError);
        }
        if (request.NewPassword == request.CurrentPassword)
        {
            return Invalid("newPassword", "Mật khẩu mới cần khác mật khẩu hiện tại.");
        }
        await SetPasswordAsync(connection, tx, account.Id, request.NewPassword!, null, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        sessions.Forget(account.Id);
        await signInThrottle.SucceededAsync(account.Phone);
        return await OkAsync(account.Id, ct);
    }

    public async Task<string?> EmailOfAsync(long participantId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT email FROM participants WHERE id = @participantId", new { participantId }, cancellationToken: ct));
    }

    /// <summary>Sets (or, with an empty value, removes) the email that reset links go to.</summary>
    public async Task<Dictionary<string, string[]>?> SetEmailAsync(long participantId, string? value, CancellationToken ct = default)
    {
        var cleaned = VietnameseText.Clean(value);
        var address = cleaned.Length == 0 ? null : OrganizerAccounts.NormalizeEmail(cleaned);
        if (cleaned.Length > 0 && address is null)
        {
            return new(StringComparer.Ordinal) { ["email"] = [$"\"{cleaned}\" không phải là địa chỉ email hợp lệ (ví dụ: nguyenvana@gmail.com)."] };
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE participants SET email = @address, updated_at = @now WHERE id = @participantId",
            new { participantId, address, now = clock.GetUtcNow() }, cancellationToken: ct));
        return null;
    }

    // ---- Shared. ----

    /// <summary>New hash, new session stamp (other browsers are signed out), the reset used, every other open one revoked.</summary>
    private static async Task SetPasswordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long participantId, string password, long? resetId,
        DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE participants SET password_hash = @hash, session_stamp = session_stamp + 1, updated_at = @now WHERE id = @participantId
            """, new { participantId, hash = Hasher.HashPassword(new ParticipantAccount(participantId), password), now }, tx, cancellationToken: ct));
        if (resetId is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE participant_password_resets SET used_at = @now WHERE id = @resetId", new { resetId, now }, tx, cancellationToken: ct));
        }
        await RevokeOpenAsync(connection, tx, participantId, now, ct);
    }

    private static Task<int> RevokeOpenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long participantId, DateTimeOffset now, CancellationToken ct,
        string? kind = null) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE participant_password_resets SET revoked_at = @now
            WHERE participant_id = @participantId AND used_at IS NULL AND revoked_at IS NULL AND (@kind::text IS NULL OR kind = @kind)
            """, new { participantId, now, kind }, tx, cancellationToken: ct));

    private async Task<ResetOutcome> OkAsync(long participantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var profile = await ParticipantAccounts.ReadProfileAsync(connection, participantId, ct)
            ?? throw new InvalidOperationException($"participant {participantId} vanished during a password reset");
        return new ResetOutcome.Ok(profile);
    }

    private static ResetOutcome.Invalid Invalid(string field, string message) => new(new(StringComparer.Ordinal) { [field] = [message] });

    private StackExchange.Redis.RedisKey CodeKey(string phone) => throttle.Key("reset:code:failed:" + phone);

    private StackExchange.Redis.RedisKey AddressKey(string what, IPAddress? ip) => throttle.Key($"reset:{what}:ip:{ip?.ToString() ?? "unknown"}");

    private static readonly string DummyHash = Hasher.HashPassword(new ParticipantAccount(0), "no-such-code");

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
