using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.AntiCheat;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Attempts;

/// <param name="Paper">A new attempt's paper, made from what the start already holds (null when resumed: read it back).</param>
public sealed record StartedAttempt(long AttemptId, bool Resumed, AttemptPaper? Paper = null);

/// <summary>
/// Starting (or resuming) an attempt. All of one participant's starts in a round queue on their round entry row,
/// so the attempt count read, the new attempt and the count increment happen as one step even when a phone sends
/// "Vào thi" several times at once; the database's own trigger and unique number are the backstop.
/// </summary>
public sealed class AttemptStart(NpgsqlDataSource dataSource, TimeProvider clock, LeaderboardWriter boards, IOptions<ContestOptions> options, BankSnapshot bank,
    PaperShapes shapes)
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

    private sealed class VersionRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string StemHtml { get; init; } = "";
        public string Options { get; init; } = "";
    }

    /// <param name="origin">Where the start came from (<see cref="AttemptOrigins.Of"/>), stored with a new attempt in its transaction.</param>
    public async Task<Outcome<StartedAttempt>> StartAsync(long participantId, long roundId, AttemptOrigin origin, CancellationToken ct = default)
    {
        // PostgreSQL keeps microseconds: the paper made here shows the times exactly as a read of the attempt would.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
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
            (_, closedBest) = await AttemptClosing.CloseAsync(connection, tx, attempt, AttemptStatus.Expired, attempt.Deadline, prediction: null, ct);
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

        // A version is read once per bank snapshot, not on every start.
        var missing = paper.Select(p => p.Question.VersionId).Where(v => !drawable.Versions.ContainsKey(v)).ToArray();
        if (missing.Length > 0)
        {
            foreach (var row in await connection.QueryAsync<VersionRow>(new CommandDefinition(
                "SELECT id, kind, stem_html, options::text AS options FROM question_versions WHERE id = ANY(@missing)",
                new { missing }, tx, cancellationToken: ct)))
            {
                drawable.Versions[row.Id] = new DrawnVersion(row.Kind, row.StemHtml, AttemptQueries.Options(row.Options));
            }
        }
        var rows = paper.Select((p, i) =>
        {
            // Each attempt shows the options in its own order; the order is stored, so a reload shows the same paper.
            var version = drawable.Versions[p.Question.VersionId];
            var order = version.OptionIds.ToArray();
            Random.Shared.Shuffle(order);
            return new { position = i + 1, versionId = p.Question.VersionId, order, version };
        }).ToList();
        // The attempt, its paper, where it came from and the entry's count in one statement (the paper's rows name the
        // new attempt's id).
        var (attemptId, paperKey) = await connection.QuerySingleAsync<(long, Guid)>(new CommandDefinition($"""
            WITH attempt AS (
                INSERT INTO attempts (round_id, participant_id, number, started_at, deadline_at, question_count)
                VALUES (@roundId, @participantId, @number, @now, @deadline, @count)
                RETURNING id, paper_key
            ), origin AS (
                {AttemptOrigins.InsertForNewAttempt}
            ), paper AS (
                INSERT INTO attempt_questions (attempt_id, position, question_version_id, option_order)
                SELECT attempt.id, (q->>'position')::smallint, (q->>'versionId')::bigint,
                       ARRAY(SELECT jsonb_array_elements_text(q->'order')::smallint)
                FROM attempt, jsonb_array_elements(@rows::jsonb) AS q
            ), counted AS (
                UPDATE round_entries SET attempts_used = attempts_used + 1, updated_at = clock_timestamp()
                WHERE round_id = @roundId AND participant_id = @participantId
            )
            SELECT id, paper_key FROM attempt
            """, new
        {
            roundId, participantId, number = used + 1, now, deadline, count = paper.Count, network = origin.Network, device = origin.DeviceHash,
            rows = JsonSerializer.Serialize(rows.Select(r => new { r.position, r.versionId, r.order }), JsonSerializerOptions.Web),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        await boards.RecordAsync(closedBest is null ? [] : [closedBest]);
        // What a read of the new attempt would return, from what this start holds: its answers would need no read either.
        shapes.Remember(new PaperShape(attemptId, paperKey, participantId, deadline, rows.Count,
            rows.ToDictionary(r => r.position, r => (r.order, r.version.Kind))));
        var started = new AttemptPaper(attemptId, roundId, round.ContestSlug, round.ContestName, round.Number, used + 1, round.AttemptsAllowed,
            AttemptStatus.InProgress, now, deadline, AttemptQueries.RemainingSeconds(AttemptStatus.InProgress, deadline, now),
            PredictionKinds.Question(round.PredictionKind), Prediction: null,
            [.. rows.Select(r => AttemptQueries.PaperQuestionOf(r.position, r.version.Kind, r.version.StemHtml, r.version.Options, r.order, chosen: null))]);
        return new Outcome<StartedAttempt>.Ok(new StartedAttempt(attemptId, Resumed: false, started));
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
