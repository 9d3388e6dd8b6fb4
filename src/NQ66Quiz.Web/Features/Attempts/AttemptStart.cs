using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.AntiCheat;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Attempts;

public sealed record StartedAttempt(long AttemptId, bool Resumed);

/// <summary>
/// Starting (or resuming) an attempt. All of one participant's starts in a round queue on their round entry row,
/// so the attempt count read, the new attempt and the count increment happen as one step even when a phone sends
/// "Vào thi" several times at once; the database's own trigger and unique number are the backstop.
/// </summary>
public sealed class AttemptStart(NpgsqlDataSource dataSource, TimeProvider clock, LeaderboardWriter boards, IOptions<ContestOptions> options, BankSnapshot bank)
{
    private sealed class EligibilityRow
    {
        public int UnitId { get; init; }
        public string ParticipantType { get; init; } = "";
        public bool HasNationalId { get; init; }
        public string[] EligibleTypes { get; init; } = [];
        public int[] EligibleUnitIds { get; init; } = [];
        public bool NationalIdRequired { get; init; }
    }

    private sealed class OptionIdsRow
    {
        public long VersionId { get; init; }
        public short[] OptionIds { get; init; } = [];
    }

    /// <param name="origin">Where the start came from (<see cref="AttemptOrigins.Of"/>), stored with a new attempt in its transaction.</param>
    public async Task<Outcome<StartedAttempt>> StartAsync(long participantId, long roundId, AttemptOrigin origin, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var grace = options.Value.Grace;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var round = await ContestStore.GetRoundAsync(connection, roundId, tx, ct);
        if (round is null)
        {
            return Outcome<StartedAttempt>.NotFound("Không tìm thấy tuần thi này.");
        }
        if (now < round.OpensAt)
        {
            return Outcome<StartedAttempt>.Conflict($"Tuần thi {round.Number} chưa mở; mời bạn quay lại lúc {VietnamTime.Format(round.OpensAt)}.");
        }
        if (now >= round.ClosesAt)
        {
            return Outcome<StartedAttempt>.Conflict($"Tuần thi {round.Number} đã đóng lúc {VietnamTime.Format(round.ClosesAt)}.");
        }
        // FOR SHARE: a concurrent change of name or unit (which takes the row FOR UPDATE) waits until this entry exists.
        var who = await connection.QuerySingleOrDefaultAsync<EligibilityRow>(new CommandDefinition("""
            SELECT p.unit_id, p.participant_type, (p.national_id_lookup IS NOT NULL OR p.national_id IS NOT NULL) AS has_national_id,
                   c.eligible_types, c.eligible_unit_ids, c.national_id_required
            FROM participants p, contest_rounds r JOIN contests c ON c.id = r.contest_id
            WHERE p.id = @participantId AND r.id = @roundId AND p.erased_at IS NULL
            FOR SHARE OF p
            """, new { participantId, roundId }, tx, cancellationToken: ct));
        if (who is null)
        {
            return Outcome<StartedAttempt>.NotFound("Không tìm thấy tài khoản người dự thi; hãy đăng nhập lại.");
        }
        if (await RefusalAsync(connection, tx, who, ct) is { } refusal)
        {
            return Outcome<StartedAttempt>.Conflict(refusal);
        }

        // One round trip, three statements in order (each sees the one before): the entry, its lock, the open attempt.
        int used;
        long? open;
        await using (var entry = await connection.QueryMultipleAsync(new CommandDefinition("""
            INSERT INTO round_entries (round_id, participant_id, unit_id) VALUES (@roundId, @participantId, @UnitId)
            ON CONFLICT (round_id, participant_id) DO NOTHING;
            SELECT attempts_used FROM round_entries WHERE round_id = @roundId AND participant_id = @participantId FOR UPDATE;
            SELECT id FROM attempts WHERE round_id = @roundId AND participant_id = @participantId AND status = 'in_progress';
            """, new { roundId, participantId, who.UnitId }, tx, cancellationToken: ct)))
        {
            used = await entry.ReadSingleAsync<int>();
            open = await entry.ReadSingleOrDefaultAsync<long?>();
        }

        BestEntry? closedBest = null;
        if (open is { } openId)
        {
            var attempt = (await AttemptClosing.LockAsync(connection, tx, openId, ct))!;
            if (Scoring.InTime(attempt.Deadline, grace, now))
            {
                await tx.CommitAsync(ct);
                return new Outcome<StartedAttempt>.Ok(new StartedAttempt(openId, Resumed: true));
            }
            // Its time is up: close it with what was saved, then a new one may start below.
            (_, closedBest) = await AttemptClosing.CloseAsync(connection, tx, attempt, AttemptStatus.Expired, attempt.Deadline, ct);
        }
        if (used >= round.AttemptsAllowed)
        {
            await tx.CommitAsync(ct);
            await boards.RecordAsync(closedBest is null ? [] : [closedBest]);
            return Outcome<StartedAttempt>.Conflict($"Bạn đã dùng hết {round.AttemptsAllowed} lượt thi của tuần thi {round.Number}. "
                + "Lượt thi có kết quả tốt nhất được tính.");
        }

        var drawable = await bank.GetAsync(connection, tx, ct);
        var paper = Blueprint.Draw(round.Blueprint, drawable.Questions, Random.Shared);
        if (paper is null)
        {
            return Outcome<StartedAttempt>.Conflict("Tuần thi chưa đủ câu hỏi để tạo đề; Ban tổ chức đã được báo, mời bạn quay lại sau.");
        }
        var deadline = RoundRules.Deadline(now, round.TimeLimitSeconds, round.ClosesAt);

        // A version's option ids are read once per bank snapshot, not on every start.
        var missing = paper.Select(p => p.Question.VersionId).Where(v => !drawable.OptionIds.ContainsKey(v)).ToArray();
        if (missing.Length > 0)
        {
            foreach (var row in await connection.QueryAsync<OptionIdsRow>(new CommandDefinition("""
                SELECT v.id AS version_id, array_agg((o->>'id')::smallint ORDER BY (o->>'id')::smallint) AS option_ids
                FROM question_versions v, jsonb_array_elements(v.options) AS o
                WHERE v.id = ANY(@missing)
                GROUP BY v.id
                """, new { missing }, tx, cancellationToken: ct)))
            {
                drawable.OptionIds[row.VersionId] = row.OptionIds;
            }
        }
        var rows = paper.Select((p, i) =>
        {
            // Each attempt shows the options in its own order; the order is stored, so a reload shows the same paper.
            var order = drawable.OptionIds[p.Question.VersionId].ToArray();
            Random.Shared.Shuffle(order);
            return new { position = i + 1, versionId = p.Question.VersionId, order };
        });
        // The attempt, its paper and the entry's count in one statement (the paper's rows name the new attempt's id).
        var attemptId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH attempt AS (
                INSERT INTO attempts (round_id, participant_id, number, started_at, deadline_at, question_count)
                VALUES (@roundId, @participantId, @number, @now, @deadline, @count)
                RETURNING id
            ), paper AS (
                INSERT INTO attempt_questions (attempt_id, position, question_version_id, option_order)
                SELECT attempt.id, (q->>'position')::smallint, (q->>'versionId')::bigint,
                       ARRAY(SELECT jsonb_array_elements_text(q->'order')::smallint)
                FROM attempt, jsonb_array_elements(@rows::jsonb) AS q
            ), counted AS (
                UPDATE round_entries SET attempts_used = attempts_used + 1, updated_at = clock_timestamp()
                WHERE round_id = @roundId AND participant_id = @participantId
            )
            SELECT id FROM attempt
            """, new { roundId, participantId, number = used + 1, now, deadline, count = paper.Count, rows = JsonSerializer.Serialize(rows, JsonSerializerOptions.Web) },
            tx, cancellationToken: ct));
        await AttemptOrigins.RecordAsync(connection, tx, attemptId, origin, now, ct);
        await tx.CommitAsync(ct);
        await boards.RecordAsync(closedBest is null ? [] : [closedBest]);
        return new Outcome<StartedAttempt>.Ok(new StartedAttempt(attemptId, Resumed: false));
    }

    private static async Task<string?> RefusalAsync(NpgsqlConnection connection, NpgsqlTransaction tx, EligibilityRow who, CancellationToken ct)
    {
        if (who.EligibleTypes.Length > 0 && !who.EligibleTypes.Contains(who.ParticipantType, StringComparer.Ordinal))
        {
            return $"Cuộc thi này dành cho: {string.Join("; ", who.EligibleTypes.Select(t => ParticipantTypes.Names[t]))}. "
                + $"Tài khoản của bạn thuộc đối tượng \"{ParticipantTypes.Names[who.ParticipantType]}\".";
        }
        if (who.EligibleUnitIds.Length > 0 && !who.EligibleUnitIds.Contains(who.UnitId))
        {
            var names = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM units WHERE id = ANY(@EligibleUnitIds) ORDER BY name", who, tx, cancellationToken: ct));
            return $"Cuộc thi này dành cho người thuộc các đơn vị: {string.Join(", ", names)}.";
        }
        if (who.NationalIdRequired && !who.HasNationalId)
        {
            return "Cuộc thi này yêu cầu số CCCD để xác minh khi trao giải; bổ sung số CCCD ở trang Tài khoản rồi vào thi.";
        }
        return null;
    }
}
