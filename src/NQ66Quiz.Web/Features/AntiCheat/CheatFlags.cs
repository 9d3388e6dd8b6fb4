using System.Globalization;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.AntiCheat;

/// <summary>One reason to look again at one attempt. Flags are for review by the organizers, never an automatic ban.</summary>
public sealed record CheatFlag(long AttemptId, int AttemptNumber, long ParticipantId, string FullName, string UnitName, string Kind, string Reason);

/// <summary>The flags of a round: how many attempts and people, and every flag with its reason.</summary>
public sealed record RoundFlags(long RoundId, int FlaggedAttempts, int FlaggedParticipants, IReadOnlyList<CheatFlag> Flags);

/// <summary>
/// The three signals (issue 14, item 3), their thresholds and their wording in one place. Each reads what PostgreSQL
/// holds (attempts, their answers, <c>attempt_origins</c>) when organizers review a round, before they publish it.
/// </summary>
public static class CheatRules
{
    public const string TooFast = "too-fast";
    public const string SharedDevice = "shared-device";
    public const string SharedNetwork = "shared-network";
    public const string IdenticalAnswers = "identical-answers";

    /// <summary>
    /// The fastest reading we believe: 40 characters a second (about 500 Vietnamese syllables a minute, twice a quick
    /// silent reader's 200–250). An attempt submitted sooner than its questions and options take to read at this rate
    /// was not read. The question's length is its stem and options in Markdown.
    /// </summary>
    public const int ReadingCharactersPerSecond = 40;

    /// <summary>Only attempts with at least this share of their questions answered are judged for speed.</summary>
    public const double MinAnsweredShareForSpeed = 0.5;

    /// <summary>Accounts starting attempts from one browser (device cookie) within <see cref="DeviceWindow"/>.</summary>
    public const int DeviceAccounts = 3;
    public static readonly TimeSpan DeviceWindow = TimeSpan.FromHours(24);

    /// <summary>Accounts starting attempts from one network (IPv4 /24, IPv6 /48) within <see cref="NetworkWindow"/>.</summary>
    public const int NetworkAccounts = 10;
    public static readonly TimeSpan NetworkWindow = TimeSpan.FromMinutes(10);

    /// <summary>Two people's attempts with the same answers to the same questions, at least this many and with a shared mistake.</summary>
    public const int MinIdenticalAnswers = 5;

    public static string Label(string kind) => kind switch
    {
        TooFast => "Trả lời nhanh hơn tốc độ đọc",
        SharedDevice => "Nhiều tài khoản trên một thiết bị",
        SharedNetwork => "Nhiều tài khoản từ một mạng",
        IdenticalAnswers => "Bài làm giống hệt người khác",
        _ => kind,
    };

    /// <summary>Seconds needed to read <paramref name="characters"/> at <see cref="ReadingCharactersPerSecond"/>.</summary>
    public static double ReadingSeconds(long characters) => (double)characters / ReadingCharactersPerSecond;

    public static bool IsTooFast(long characters, int answered, int questions, int durationMs) =>
        answered >= Math.Ceiling(questions * MinAnsweredShareForSpeed) && durationMs / 1000.0 < ReadingSeconds(characters);

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static string TooFastReason(long characters, int answered, int durationMs) =>
        string.Create(Vi, $"Nộp bài {answered} câu sau {durationMs / 1000.0:0.#} giây, trong khi chỉ đọc đề và phương án ({characters:N0} ký tự) đã cần ít nhất {Math.Ceiling(ReadingSeconds(characters)):0} giây ở tốc độ đọc nhanh nhất {ReadingCharactersPerSecond} ký tự/giây.");

    public static string SharedDeviceReason(long accounts) =>
        $"Thiết bị (trình duyệt) này đã vào thi bằng {accounts} tài khoản khác nhau trong {DeviceWindow.TotalHours:0} giờ.";

    public static string SharedNetworkReason(long accounts, string network) =>
        $"Mạng {network} có {accounts} tài khoản khác nhau vào thi trong {NetworkWindow.TotalMinutes:0} phút.";

    public static string IdenticalReason(int answers, int wrong, string others) =>
        $"{answers} câu trả lời giống hệt (kể cả {wrong} câu sai) với bài của {others}.";
}

/// <summary>Reads the flags of a round from PostgreSQL.</summary>
public sealed class CheatFlags(NpgsqlDataSource dataSource)
{
    private sealed record SpeedRow(long AttemptId, long Characters, int Answered, int QuestionCount, int DurationMs);

    private sealed record OriginRow(long AttemptId, long Accounts, string? Network);

    private sealed record TwinRow(long AttemptId, int Answered, int Wrong, string Others);

    private sealed record AttemptRow(long Id, int Number, long ParticipantId, string FullName, string UnitName);

    private const string RoundAttempts = """
        round_attempts AS (
            SELECT a.id, a.participant_id, a.duration_ms, a.question_count
            FROM attempts a WHERE a.round_id = @roundId AND a.status <> 'in_progress'
        )
        """;

    public async Task<RoundFlags> ReadAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var args = new { roundId, deviceWindow = CheatRules.DeviceWindow, networkWindow = CheatRules.NetworkWindow,
            CheatRules.DeviceAccounts, CheatRules.NetworkAccounts, CheatRules.MinIdenticalAnswers };
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition("""
            SELECT a.id, a.number, a.participant_id, p.full_name, u.name AS unit_name
            FROM attempts a
            JOIN participants p ON p.id = a.participant_id
            JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
            JOIN units u ON u.id = e.unit_id
            WHERE a.round_id = @roundId AND a.status <> 'in_progress'
            """, args, cancellationToken: ct))).ToDictionary(a => a.Id);

        var speed = await connection.QueryAsync<SpeedRow>(new CommandDefinition($"""
            WITH {RoundAttempts}
            SELECT r.id AS attempt_id,
                   sum(length(qv.stem_md) + (SELECT coalesce(sum(length(o->>'md')), 0) FROM jsonb_array_elements(qv.options) o))::bigint AS characters,
                   count(aq.chosen)::integer AS answered, r.question_count, r.duration_ms
            FROM round_attempts r
            JOIN attempt_questions aq ON aq.attempt_id = r.id
            JOIN question_versions qv ON qv.id = aq.question_version_id
            WHERE r.duration_ms IS NOT NULL
            GROUP BY r.id, r.question_count, r.duration_ms
            """, args, cancellationToken: ct));

        // Accounts seen on the same device (or network) within the window around each attempt's start, any round.
        var devices = await connection.QueryAsync<OriginRow>(new CommandDefinition($"""
            WITH {RoundAttempts}
            SELECT o.attempt_id, count(DISTINCT b.participant_id) AS accounts, NULL::text AS network
            FROM round_attempts r
            JOIN attempt_origins o ON o.attempt_id = r.id
            JOIN attempt_origins o2 ON o2.device = o.device AND o2.started_at BETWEEN o.started_at - @deviceWindow AND o.started_at + @deviceWindow
            JOIN attempts b ON b.id = o2.attempt_id
            GROUP BY o.attempt_id
            HAVING count(DISTINCT b.participant_id) >= @DeviceAccounts
            """, args, cancellationToken: ct));
        var networks = await connection.QueryAsync<OriginRow>(new CommandDefinition($"""
            WITH {RoundAttempts}
            SELECT o.attempt_id, count(DISTINCT b.participant_id) AS accounts, host(o.network) || '/' || masklen(o.network) AS network
            FROM round_attempts r
            JOIN attempt_origins o ON o.attempt_id = r.id
            JOIN attempt_origins o2 ON o2.network = o.network AND o2.started_at BETWEEN o.started_at - @networkWindow AND o.started_at + @networkWindow
            JOIN attempts b ON b.id = o2.attempt_id
            GROUP BY o.attempt_id, o.network
            HAVING count(DISTINCT b.participant_id) >= @NetworkAccounts
            """, args, cancellationToken: ct));

        // Identical answer sequences: the same chosen options for the same questions (option ids, so each attempt's own
        // shuffle does not hide a copy), by another person, with at least one shared mistake.
        var twins = await connection.QueryAsync<TwinRow>(new CommandDefinition($"""
            WITH {RoundAttempts},
            signatures AS (
                SELECT aq.attempt_id,
                       string_agg(aq.question_version_id::text || '=' || coalesce(array_to_string(aq.chosen, '+'), '-'), ',' ORDER BY aq.question_version_id) AS signature,
                       count(aq.chosen)::integer AS answered, count(*) FILTER (WHERE aq.is_correct = false)::integer AS wrong
                FROM round_attempts r JOIN attempt_questions aq ON aq.attempt_id = r.id
                GROUP BY aq.attempt_id
            )
            SELECT s.attempt_id, s.answered, s.wrong,
                   string_agg(DISTINCT p.full_name || ' (lượt ' || b.number || ')', ', ') AS others
            FROM signatures s
            JOIN signatures t ON t.signature = s.signature AND t.attempt_id <> s.attempt_id
            JOIN attempts a ON a.id = s.attempt_id
            JOIN attempts b ON b.id = t.attempt_id AND b.participant_id <> a.participant_id
            JOIN participants p ON p.id = b.participant_id
            WHERE s.answered >= @MinIdenticalAnswers AND s.wrong >= 1
            GROUP BY s.attempt_id, s.answered, s.wrong
            """, args, cancellationToken: ct));

        var flags = new List<CheatFlag>();
        void Add(long attemptId, string kind, string reason)
        {
            if (attempts.TryGetValue(attemptId, out var a))
            {
                flags.Add(new CheatFlag(a.Id, a.Number, a.ParticipantId, a.FullName, a.UnitName, kind, reason));
            }
        }
        foreach (var s in speed.Where(s => CheatRules.IsTooFast(s.Characters, s.Answered, s.QuestionCount, s.DurationMs)))
        {
            Add(s.AttemptId, CheatRules.TooFast, CheatRules.TooFastReason(s.Characters, s.Answered, s.DurationMs));
        }
        foreach (var d in devices)
        {
            Add(d.AttemptId, CheatRules.SharedDevice, CheatRules.SharedDeviceReason(d.Accounts));
        }
        foreach (var n in networks)
        {
            Add(n.AttemptId, CheatRules.SharedNetwork, CheatRules.SharedNetworkReason(n.Accounts, n.Network ?? ""));
        }
        foreach (var t in twins)
        {
            Add(t.AttemptId, CheatRules.IdenticalAnswers, CheatRules.IdenticalReason(t.Answered, t.Wrong, t.Others));
        }
        var ordered = flags.OrderBy(f => f.FullName, VietnameseText.Comparer).ThenBy(f => f.AttemptNumber).ThenBy(f => f.Kind, StringComparer.Ordinal).ToList();
        return new RoundFlags(roundId, ordered.Select(f => f.AttemptId).Distinct().Count(), ordered.Select(f => f.ParticipantId).Distinct().Count(), ordered);
    }
}
