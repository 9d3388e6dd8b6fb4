using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Privacy;

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>An account that never entered a round (nor joined a live round) is erased this many days after its last use.</summary>
    public int UnusedAccountDays { get; set; } = 730;
}

/// <summary>
/// A participant's rights over their data: download everything (JSON) and erase it. Erasure anonymises the row instead
/// of deleting it: attempts, entries, results and live answers keep pointing at it, so every other person's rank, the
/// unit figures and published results stay exactly what they were; what identifies the person (name, phone, date of
/// birth, national ID, e-mail, representative, consents, password and open reset links, live nickname, names on
/// certificates) is gone, and every session of the account ends (its session stamp changes).
/// </summary>
public sealed class PersonalData(NpgsqlDataSource dataSource, NationalIdVault vault, PrivacyTexts texts, TimeProvider clock, IOptions<PrivacyOptions> options,
    Participants.ParticipantSessions sessions, Leaderboards.LeaderboardReader boards)
{
    /// <summary>What an erased participant is called wherever a name is shown (organizer lists, exports).</summary>
    public const string ErasedName = "Đã xoá dữ liệu cá nhân";

    private static readonly PasswordHasher<ParticipantAccount> Hasher = new();

    private sealed record PersonRow(long Id, string FullName, string Phone, string? Email, DateOnly DateOfBirth, string? NationalIdProtected, string? NationalId,
        string UnitName, string ParticipantType, string? GuardianName, string? GuardianRelationship, DateTimeOffset CreatedAt);

    /// <summary>Everything stored about the participant, as the participant may download it.</summary>
    public async Task<object?> ExportAsync(long participantId, CancellationToken ct = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var args = new { participantId };
        var person = await c.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition("""
            SELECT p.id, p.full_name, p.phone, p.email, p.date_of_birth, p.national_id_protected, p.national_id, u.name AS unit_name, p.participant_type,
                   p.guardian_name, p.guardian_relationship, p.created_at
            FROM participants p JOIN units u ON u.id = p.unit_id WHERE p.id = @participantId AND p.erased_at IS NULL
            """, args, cancellationToken: ct));
        if (person is null)
        {
            return null;
        }
        var consents = await c.QueryAsync<(string Purpose, string WordingVersion, DateTimeOffset ConsentedAt)>(new CommandDefinition(
            "SELECT purpose, wording_version, consented_at FROM participant_consents WHERE participant_id = @participantId ORDER BY purpose", args, cancellationToken: ct));
        var attempts = await c.QueryAsync(new CommandDefinition("""
            SELECT ct.name AS contest, r.number AS round, a.number AS attempt, a.status, a.started_at, a.submitted_at, a.score, a.question_count,
                   a.duration_ms, a.prediction,
                   (SELECT count(*) FROM attempt_questions q WHERE q.attempt_id = a.id AND q.chosen IS NOT NULL) AS answered
            FROM attempts a JOIN contest_rounds r ON r.id = a.round_id JOIN contests ct ON ct.id = r.contest_id
            WHERE a.participant_id = @participantId ORDER BY a.started_at
            """, args, cancellationToken: ct));
        var results = await c.QueryAsync(new CommandDefinition("""
            SELECT ct.name AS contest, r.number AS round, rr.rank, rr.prize_name, rr.score
            FROM round_results rr JOIN contest_rounds r ON r.id = rr.round_id JOIN contests ct ON ct.id = r.contest_id
            WHERE rr.participant_id = @participantId ORDER BY r.closes_at
            """, args, cancellationToken: ct));
        var live = await c.QueryAsync(new CommandDefinition("""
            SELECT lr.title AS round, lp.nickname, lp.joined_at, lp.points, lp.correct_count, lp.final_rank
            FROM live_players lp JOIN live_rounds lr ON lr.id = lp.round_id WHERE lp.participant_id = @participantId ORDER BY lp.joined_at
            """, args, cancellationToken: ct));
        var practice = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM practice_answers WHERE participant_id = @participantId", args, cancellationToken: ct));
        return new
        {
            exportedAt = clock.GetUtcNow(),
            participant = new
            {
                person.Id,
                person.FullName,
                person.Phone,
                person.Email,
                DateOfBirth = person.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                // The person's own download is the one place the whole number appears.
                NationalId = person.NationalIdProtected is { } p ? vault.Unprotect(p) : person.NationalId,
                Unit = person.UnitName,
                ParticipantType = ParticipantTypes.Names.GetValueOrDefault(person.ParticipantType, person.ParticipantType),
                Representative = person.GuardianName is null ? null : new
                {
                    Name = person.GuardianName,
                    Relationship = person.GuardianRelationship is { } r ? GuardianRelationships.Names.GetValueOrDefault(r, r) : null,
                },
                RegisteredAt = person.CreatedAt,
            },
            consents = consents.Select(x => new
            {
                x.Purpose,
                x.WordingVersion,
                Wording = texts.Versions.FirstOrDefault(v => v.Version == x.WordingVersion)?.Texts.GetValueOrDefault(x.Purpose),
                x.ConsentedAt,
            }),
            attempts,
            results,
            liveRounds = live,
            practiceAnswers = practice,
        };
    }

    // Indented and with Vietnamese written as itself: the person reads this file.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static byte[] ToJson(object export) => JsonSerializer.SerializeToUtf8Bytes(export, Json);

    /// <returns>null when erased; otherwise the Vietnamese reason it was not.</returns>
    public async Task<string?> EraseOnRequestAsync(long participantId, string? password, CancellationToken ct = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var hash = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT password_hash FROM participants WHERE id = @participantId AND erased_at IS NULL", new { participantId }, cancellationToken: ct));
        if (hash is null)
        {
            return "Không tìm thấy tài khoản; hãy đăng nhập lại.";
        }
        if (string.IsNullOrEmpty(password) || Hasher.VerifyHashedPassword(new ParticipantAccount(participantId), hash, password) == PasswordVerificationResult.Failed)
        {
            return "Mật khẩu không đúng. Nhập mật khẩu đăng nhập để xác nhận xoá dữ liệu.";
        }
        await using var tx = await c.BeginTransactionAsync(ct);
        await EraseAsync(c, tx, [participantId], ct);
        await tx.CommitAsync(ct);
        sessions.Forget(participantId);
        // The name leaves the boards this node shows now (other nodes re-read theirs within a second).
        boards.ForgetAll();
        return null;
    }

    /// <summary>
    /// Who is past retention: everyone whose every entered contest ended more than its <c>retention_days</c> ago, and
    /// accounts never used in a contest whose last use is older than <see cref="PrivacyOptions.UnusedAccountDays"/>.
    /// A contest still running (a round not yet closed) keeps its people.
    /// </summary>
    public const string PastRetentionSql = """
        WITH contest_end AS (
            SELECT c.id, max(r.closes_at) + make_interval(days => c.retention_days) AS keep_until
            FROM contests c JOIN contest_rounds r ON r.contest_id = c.id GROUP BY c.id, c.retention_days)
        SELECT p.id FROM participants p
        WHERE p.erased_at IS NULL
          AND CASE WHEN EXISTS (SELECT 1 FROM round_entries e WHERE e.participant_id = p.id)
                   THEN NOT EXISTS (SELECT 1 FROM round_entries e JOIN contest_rounds r ON r.id = e.round_id JOIN contest_end ce ON ce.id = r.contest_id
                                    WHERE e.participant_id = p.id AND ce.keep_until > @now)
                   ELSE greatest(p.created_at, (SELECT max(lp.joined_at) FROM live_players lp WHERE lp.participant_id = p.id))
                        < @now - make_interval(days => @unusedDays)
              END
        ORDER BY p.id
        """;

    public async Task<IReadOnlyList<long>> PastRetentionAsync(CancellationToken ct = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<long>(new CommandDefinition(PastRetentionSql,
            new { now = clock.GetUtcNow(), unusedDays = options.Value.UnusedAccountDays }, cancellationToken: ct))];
    }

    /// <summary>Erases everyone past retention in one transaction; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var ids = (await c.QueryAsync<long>(new CommandDefinition(PastRetentionSql + " FOR UPDATE OF p",
            new { now = clock.GetUtcNow(), unusedDays = options.Value.UnusedAccountDays }, tx, cancellationToken: ct))).ToArray();
        await EraseAsync(c, tx, ids, ct);
        await tx.CommitAsync(ct);
        foreach (var id in ids)
        {
            sessions.Forget(id);
        }
        boards.ForgetAll();
        return ids.Length;
    }

    private async Task EraseAsync(NpgsqlConnection c, NpgsqlTransaction tx, long[] ids, CancellationToken ct)
    {
        var args = new { ids, name = ErasedName, now = clock.GetUtcNow() };
        // unit_id and participant_type stay: they are what unit figures count, and alone they identify nobody.
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE participants SET full_name = @name, phone = NULL, date_of_birth = NULL, national_id = NULL, national_id_protected = NULL,
                   national_id_lookup = NULL, national_id_last4 = NULL, guardian_name = NULL, guardian_relationship = NULL,
                   email = NULL, password_hash = '!erased', session_stamp = session_stamp + 1, erased_at = @now, updated_at = @now
            WHERE id = ANY(@ids);
            UPDATE participant_password_resets SET revoked_at = @now WHERE participant_id = ANY(@ids) AND used_at IS NULL AND revoked_at IS NULL;
            DELETE FROM participant_consents WHERE participant_id = ANY(@ids);
            UPDATE live_players SET nickname = 'Ẩn danh ' || id, nickname_key = 'ẩn danh ' || id WHERE participant_id = ANY(@ids);
            UPDATE certificates SET recipient_name = @name WHERE participant_id = ANY(@ids);
            DELETE FROM attempt_origins WHERE attempt_id IN (SELECT id FROM attempts WHERE participant_id = ANY(@ids));
            """, args, tx, cancellationToken: ct));
    }
}
