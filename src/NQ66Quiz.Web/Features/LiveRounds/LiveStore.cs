using System.Text.Json;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>A round as created: immutable once it exists, so every node caches it.</summary>
public sealed record LiveRoundDef(
    long Id,
    string Title,
    string CreatedBy,
    int TimeLimitSeconds,
    int Points,
    bool StreakBonus,
    bool LeaderboardEachQuestion,
    bool UnitMode,
    bool RequireIdentity,
    long ShuffleSeed,
    IReadOnlyList<LiveQuestionDef> Questions)
{
    public int TimeLimitMs => TimeLimitSeconds * 1000;
}

/// <param name="Options">Option HTML in this round's frozen order (the wire id is the index).</param>
/// <param name="CorrectOption">The key, as an index into Options. Never serialised to a client before close.</param>
public sealed record LiveQuestionDef(int Number, long QuestionVersionId, string StemHtml, IReadOnlyList<string> Options, int CorrectOption);

public sealed record LivePlayerRow(long Id, long RoundId, string Nickname, int? UnitId, string? UnitName, long? ParticipantId, DateTime? RemovedAt);

/// <summary>One answer on its way into live_answers (built by the hot path, written by <see cref="AnswerWriter"/>).</summary>
public sealed record LiveAnswerRow(long RoundId, int Number, long PlayerId, int Option, DateTimeOffset ReceivedAt, int ElapsedMs, bool Correct, int Points);

public sealed record LiveRoundSummary(long Id, string Title, string Phase, string? Pin, DateTime CreatedAt, DateTime? EndedAt, int QuestionCount, int PlayerCount, bool UnitMode);

/// <summary>One row of the results table (and of the XLSX/CSV export).</summary>
public sealed record LiveResultRow(int? Rank, string Nickname, string? UnitName, long Points, int CorrectCount, int ScoredCount, bool Removed);

public sealed record LiveUnitResultRow(int Rank, string UnitName, int PlayerCount, long Points);

/// <summary>PostgreSQL side of live rounds: definitions, players, answers (batched), totals and results.</summary>
public sealed class LiveStore(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record QuestionPick(string QuestionId, long VersionId, string Kind, string StemHtml, string Options);

    /// <summary>The current, not retired version of each id, in the order given; unknown ids come back in Missing.</summary>
    public async Task<(IReadOnlyList<(long VersionId, string StemHtml, StoredOption[] Options, string Kind, string QuestionId)> Found, IReadOnlyList<string> Missing)> PickAsync(
        IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<QuestionPick>(new CommandDefinition("""
            SELECT q.id AS question_id, v.id AS version_id, v.kind, v.stem_html, v.options::text AS options
            FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
            WHERE q.id = ANY(@ids) AND q.retired_at IS NULL
            """, new { ids = ids.ToArray() }, cancellationToken: ct))).ToDictionary(r => r.QuestionId, StringComparer.Ordinal);
        var found = ids.Where(rows.ContainsKey).Select(id => rows[id])
            .Select(r => (r.VersionId, r.StemHtml, JsonSerializer.Deserialize<StoredOption[]>(r.Options, Json)!, r.Kind, r.QuestionId)).ToList();
        return (found, [.. ids.Where(id => !rows.ContainsKey(id))]);
    }

    /// <summary>Random single-answer questions matching one blueprint line, none of <paramref name="exclude"/>.</summary>
    public async Task<IReadOnlyList<string>> DrawAsync(LiveBlueprintLine line, IReadOnlyCollection<string> exclude, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<string>(new CommandDefinition("""
            SELECT q.id FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
            WHERE q.retired_at IS NULL AND v.kind = 'single' AND NOT (q.id = ANY(@exclude))
              AND (@viewpoint::smallint IS NULL OR @viewpoint::smallint = ANY(v.viewpoints))
              AND (@task::smallint IS NULL OR @task::smallint = ANY(v.tasks))
              AND (@topic::text IS NULL OR @topic::text = ANY(v.topics))
              AND (@difficulty::text IS NULL OR v.difficulty = @difficulty::text)
            ORDER BY random() LIMIT @count
            """, new { exclude = exclude.ToArray(), viewpoint = (short?)line.Viewpoint, task = (short?)line.Task, topic = line.Topic, difficulty = line.Difficulty, count = line.Count }, cancellationToken: ct))];
    }

    public async Task<long> CreateAsync(CreateLiveRoundRequest r, string createdBy, IReadOnlyList<(long VersionId, short[] Order, int Correct)> questions, long seed, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO live_rounds (title, created_by, time_limit_seconds, points, streak_bonus, leaderboard_each_question, unit_mode, require_identity, shuffle_seed, created_at, contest_round_id)
            VALUES (@Title, @createdBy, @TimeLimitSeconds, @Points, @StreakBonus, @LeaderboardEachQuestion, @UnitMode, @RequireIdentity, @seed, @now, @ContestRoundId)
            RETURNING id
            """, new { r.Title, createdBy, r.TimeLimitSeconds, r.Points, r.StreakBonus, r.LeaderboardEachQuestion, r.UnitMode, r.RequireIdentity, seed, now, r.ContestRoundId }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO live_round_questions (round_id, number, question_version_id, option_order, correct_option)
            SELECT @id, n, v, string_to_array(o, ',')::smallint[], k
            FROM unnest(@numbers, @versions, @orders, @keys) AS t(n, v, o, k)
            """, new
        {
            id,
            numbers = questions.Select((_, i) => (short)(i + 1)).ToArray(),
            versions = questions.Select(q => q.VersionId).ToArray(),
            orders = questions.Select(q => string.Join(',', q.Order)).ToArray(),
            keys = questions.Select(q => (short)q.Correct).ToArray(),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    private sealed record RoundRow(long Id, string Title, string CreatedBy, int TimeLimitSeconds, int Points, bool StreakBonus, bool LeaderboardEachQuestion, bool UnitMode, bool RequireIdentity, long ShuffleSeed);

    private sealed record QuestionRow(short Number, long QuestionVersionId, string StemHtml, string Options, string OptionOrder, short CorrectOption);

    public async Task<LiveRoundDef?> LoadAsync(long roundId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var round = await c.QuerySingleOrDefaultAsync<RoundRow>(new CommandDefinition("""
            SELECT id, title, created_by, time_limit_seconds, points, streak_bonus, leaderboard_each_question, unit_mode, require_identity, shuffle_seed
            FROM live_rounds WHERE id = @roundId
            """, new { roundId }, cancellationToken: ct));
        if (round is null)
        {
            return null;
        }
        var questions = await c.QueryAsync<QuestionRow>(new CommandDefinition("""
            SELECT q.number, q.question_version_id, v.stem_html, v.options::text AS options, array_to_string(q.option_order, ',') AS option_order, q.correct_option
            FROM live_round_questions q JOIN question_versions v ON v.id = q.question_version_id
            WHERE q.round_id = @roundId ORDER BY q.number
            """, new { roundId }, cancellationToken: ct));
        var defs = questions.Select(q =>
        {
            var byId = JsonSerializer.Deserialize<StoredOption[]>(q.Options, Json)!.ToDictionary(o => o.Id);
            return new LiveQuestionDef(q.Number, q.QuestionVersionId, q.StemHtml, [.. q.OptionOrder.Split(',').Select(id => byId[short.Parse(id, System.Globalization.CultureInfo.InvariantCulture)].Html)], q.CorrectOption);
        }).ToList();
        return new LiveRoundDef(round.Id, round.Title, round.CreatedBy, round.TimeLimitSeconds, round.Points, round.StreakBonus,
            round.LeaderboardEachQuestion, round.UnitMode, round.RequireIdentity, round.ShuffleSeed, defs);
    }

    public async Task<IReadOnlyList<LiveRoundSummary>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<LiveRoundSummary>(new CommandDefinition("""
            SELECT r.id, r.title, r.phase, r.pin, r.created_at, r.ended_at,
                   (SELECT count(*)::int FROM live_round_questions q WHERE q.round_id = r.id) AS question_count,
                   (SELECT count(*)::int FROM live_players p WHERE p.round_id = r.id AND p.removed_at IS NULL) AS player_count,
                   r.unit_mode
            FROM live_rounds r ORDER BY r.created_at DESC, r.id DESC LIMIT 200
            """, cancellationToken: ct))];
    }

    /// <summary>Draft → lobby with a PIN not used by another round that has not ended; null if the round is not a draft.</summary>
    public async Task<string?> OpenAsync(long roundId, Func<string> newPin, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var existing = await c.QuerySingleOrDefaultAsync<(string Phase, string? Pin)>(new CommandDefinition(
            "SELECT phase, pin FROM live_rounds WHERE id = @roundId", new { roundId }, cancellationToken: ct));
        if (existing.Phase is null)
        {
            return null;
        }
        if (existing.Phase != LivePhases.Draft)
        {
            return existing.Pin;
        }
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var pin = await c.ExecuteScalarAsync<string?>(new CommandDefinition("""
                    UPDATE live_rounds SET phase = 'lobby', pin = @pin, opened_at = @now WHERE id = @roundId AND phase = 'draft' RETURNING pin
                    """, new { roundId, pin = newPin(), now }, cancellationToken: ct));
                return pin ?? await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT pin FROM live_rounds WHERE id = @roundId", new { roundId }, cancellationToken: ct));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // The PIN belongs to another open round: draw another.
            }
        }
        throw new InvalidOperationException("Could not find a free PIN in 20 draws.");
    }

    public async Task<string?> PhaseAsync(long roundId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT phase FROM live_rounds WHERE id = @roundId", new { roundId }, cancellationToken: ct));
    }

    public async Task SetPhaseAsync(long roundId, string phase, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_rounds SET phase = @phase,
                started_at = CASE WHEN @phase = 'question' THEN coalesce(started_at, @now) ELSE started_at END,
                ended_at = CASE WHEN @phase = 'ended' THEN coalesce(ended_at, @now) ELSE ended_at END
            WHERE id = @roundId AND phase <> 'ended'
            """, new { roundId, phase, now }, cancellationToken: ct));
    }

    /// <summary>Records the open question with its clock and deadline, so answers can be taken here while Redis is away.</summary>
    public async Task MarkOpenedAsync(long roundId, int number, DateTimeOffset now, DateTimeOffset closesAt, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_round_questions SET opened_at = coalesce(opened_at, @now), clock_opened_at = coalesce(clock_opened_at, @now),
                   closes_at = coalesce(closes_at, @closesAt)
            WHERE round_id = @roundId AND number = @number;
            UPDATE live_rounds SET phase = 'question', started_at = coalesce(started_at, @now) WHERE id = @roundId AND phase <> 'ended';
            """, new { roundId, number = (short)number, now, closesAt }, cancellationToken: ct));
    }

    /// <summary>A pause or a resume of the open question, as Redis decided it (clock and deadline move on resume).</summary>
    public async Task MarkPausedAsync(long roundId, int number, DateTimeOffset? pausedAt, int? remainingMs, DateTimeOffset? clockOpenedAt, DateTimeOffset? closesAt, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_round_questions SET paused_at = @pausedAt, paused_remaining_ms = @remainingMs,
                   clock_opened_at = coalesce(@clockOpenedAt, clock_opened_at), closes_at = coalesce(@closesAt, closes_at)
            WHERE round_id = @roundId AND number = @number
            """, new { roundId, number = (short)number, pausedAt, remainingMs, clockOpenedAt, closesAt }, cancellationToken: ct));
    }

    public async Task SetLockedAsync(long roundId, bool locked, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE live_rounds SET locked = @locked WHERE id = @roundId", new { roundId, locked }, cancellationToken: ct));
    }

    /// <summary>
    /// The first step of a close: the question stops taking answers on the PostgreSQL path. It waits for answers being
    /// taken there (they hold the question row FOR SHARE), so the close then reads every answer that was acknowledged.
    /// </summary>
    public async Task StopAnswersAsync(long roundId, int number, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE live_round_questions SET closed_at = coalesce(closed_at, @now) WHERE round_id = @roundId AND number = @number",
            new { roundId, number = (short)number, now }, cancellationToken: ct));
    }

    /// <summary>
    /// The answer path while Redis is unreachable (or came back empty and is not rebuilt yet): the same checks as
    /// <see cref="LiveState.AcceptAsync"/>, made on the record, and the answer (<paramref name="row"/> of the question's
    /// clock, in Unix ms) written in the same transaction. Returns a refusal code of <see cref="LiveState"/>, or 0 and the
    /// stored row.
    /// </summary>
    public async Task<(long Code, LiveAnswerRow? Row)> AcceptAsync(LiveRoundDef def, int number, long playerId, DateTimeOffset now, int graceMs,
        Func<long, LiveAnswerRow> row, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var q = await c.QuerySingleOrDefaultAsync<(string Phase, DateTime? OpenedAt, DateTime? ClockOpenedAt, DateTime? ClosesAt, int? PausedRemainingMs, DateTime? ClosedAt, bool? Removed)>(
            new CommandDefinition("""
                SELECT r.phase, q.opened_at, q.clock_opened_at, q.closes_at, q.paused_remaining_ms, q.closed_at,
                       (SELECT p.removed_at IS NOT NULL FROM live_players p WHERE p.id = @playerId AND p.round_id = @roundId) AS removed
                FROM live_round_questions q JOIN live_rounds r ON r.id = q.round_id
                WHERE q.round_id = @roundId AND q.number = @number
                FOR SHARE OF q
                """, new { roundId = def.Id, number = (short)number, playerId }, tx, cancellationToken: ct));
        if (q.Removed is null or true)
        {
            return (LiveState.IsRemoved, null);
        }
        if (q.Phase != LivePhases.Question || q.OpenedAt is null || q.ClosedAt is not null)
        {
            return (LiveState.NotOpen, null);
        }
        if (q.PausedRemainingMs is not null)
        {
            return (LiveState.IsPaused, null);
        }
        var clock = new DateTimeOffset(q.ClockOpenedAt ?? q.OpenedAt.Value, TimeSpan.Zero);
        var closesAt = q.ClosesAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : clock.AddMilliseconds(def.TimeLimitMs);
        if (now > closesAt.AddMilliseconds(graceMs))
        {
            return (LiveState.TooLate, null);
        }
        var answer = row(clock.ToUnixTimeMilliseconds());
        var stored = await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO live_answers (round_id, number, player_id, option, received_at, elapsed_ms, correct, points)
            VALUES (@RoundId, @Number, @PlayerId, @Option, @ReceivedAt, @ElapsedMs, @Correct, @Points)
            ON CONFLICT DO NOTHING
            """, new
        {
            answer.RoundId,
            Number = (short)answer.Number,
            answer.PlayerId,
            Option = (short)answer.Option,
            ReceivedAt = answer.ReceivedAt.UtcDateTime,
            answer.ElapsedMs,
            answer.Correct,
            answer.Points,
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return stored == 1 ? (0, answer) : (LiveState.Duplicate, null);
    }

    /// <summary>What PostgreSQL holds of a running round: enough to put its Redis keys back (<see cref="LiveState.RestoreAsync"/>).</summary>
    public sealed record RunSnapshot(long RoundId, string Phase, string? Pin, bool Locked, SnapshotQuestion? Question,
        IReadOnlyList<SnapshotPlayer> Players, IReadOnlyList<(long PlayerId, short Option)> Answers);

    public sealed record SnapshotQuestion(short Number, DateTime OpenedAt, DateTime? ClockOpenedAt, DateTime? ClosesAt, DateTime? PausedAt, int? PausedRemainingMs, DateTime? ClosedAt);

    public sealed record SnapshotPlayer(long Id, string Nickname, int? UnitId, string? UnitName, bool Removed, long Points, int Streak, int CorrectCount, int ScoredCount);

    /// <summary>Rounds that are running (lobby, question or between questions): the ones Redis must hold.</summary>
    public async Task<IReadOnlyList<long>> RunningAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM live_rounds WHERE phase IN ('lobby', 'question', 'closed') ORDER BY id", cancellationToken: ct))];
    }

    public async Task<RunSnapshot?> SnapshotAsync(long roundId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var round = await c.QuerySingleOrDefaultAsync<(string Phase, string? Pin, bool Locked)?>(new CommandDefinition(
            "SELECT phase, pin, locked FROM live_rounds WHERE id = @roundId", new { roundId }, tx, cancellationToken: ct));
        if (round is not { } r)
        {
            return null;
        }
        var question = await c.QuerySingleOrDefaultAsync<SnapshotQuestion>(new CommandDefinition("""
            SELECT number, opened_at, clock_opened_at, closes_at, paused_at, paused_remaining_ms, closed_at
            FROM live_round_questions WHERE round_id = @roundId AND opened_at IS NOT NULL ORDER BY number DESC LIMIT 1
            """, new { roundId }, tx, cancellationToken: ct));
        var players = (await c.QueryAsync<SnapshotPlayer>(new CommandDefinition("""
            SELECT p.id, p.nickname, p.unit_id, u.name AS unit_name, p.removed_at IS NOT NULL AS removed, p.points, p.streak, p.correct_count, p.scored_count
            FROM live_players p LEFT JOIN units u ON u.id = p.unit_id WHERE p.round_id = @roundId ORDER BY p.joined_at, p.id
            """, new { roundId }, tx, cancellationToken: ct))).ToList();
        var answers = question is null ? [] : (await c.QueryAsync<(long PlayerId, short Option)>(new CommandDefinition(
            "SELECT player_id, option FROM live_answers WHERE round_id = @roundId AND number = @number",
            new { roundId, number = question.Number }, tx, cancellationToken: ct))).ToList();
        await tx.CommitAsync(ct);
        return new RunSnapshot(roundId, r.Phase, r.Pin, r.Locked, question, players, answers);
    }

    public async Task<LivePlayerRow> AddPlayerAsync(long roundId, string nickname, string nicknameKey, int? unitId, long? participantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleAsync<LivePlayerRow>(new CommandDefinition("""
            WITH p AS (
                INSERT INTO live_players (round_id, nickname, nickname_key, unit_id, participant_id, joined_at)
                VALUES (@roundId, @nickname, @nicknameKey, @unitId, @participantId, @now)
                RETURNING id, round_id, nickname, unit_id, participant_id, removed_at)
            SELECT p.id, p.round_id, p.nickname, p.unit_id, u.name AS unit_name, p.participant_id, p.removed_at FROM p LEFT JOIN units u ON u.id = p.unit_id
            """, new { roundId, nickname, nicknameKey, unitId, participantId, now }, cancellationToken: ct));
    }

    public async Task<LivePlayerRow?> PlayerAsync(long roundId, long? playerId, long? participantId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<LivePlayerRow>(new CommandDefinition("""
            SELECT p.id, p.round_id, p.nickname, p.unit_id, u.name AS unit_name, p.participant_id, p.removed_at
            FROM live_players p LEFT JOIN units u ON u.id = p.unit_id
            WHERE p.round_id = @roundId AND (p.id = @playerId OR p.participant_id = @participantId)
            """, new { roundId, playerId, participantId }, cancellationToken: ct));
    }

    public async Task<string?> UnitNameAsync(int unitId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT name FROM units WHERE id = @unitId", new { unitId }, cancellationToken: ct));
    }

    public async Task<(string FullName, int UnitId)?> ParticipantAsync(long participantId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string FullName, int UnitId)?>(new CommandDefinition(
            "SELECT full_name, unit_id FROM participants WHERE id = @participantId", new { participantId }, cancellationToken: ct));
        return row;
    }

    public async Task RemovePlayerAsync(long roundId, long playerId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE live_players SET removed_at = coalesce(removed_at, @now) WHERE round_id = @roundId AND id = @playerId",
            new { roundId, playerId, now }, cancellationToken: ct));
    }

    /// <summary>
    /// The group commit: every answer gathered in one window goes in with one INSERT over unnest arrays and one commit.
    /// ON CONFLICT keeps an answer that is stored already (taken on the PostgreSQL path while Redis was away, before the
    /// rebuild put it back into Redis) from failing the whole batch; RETURNING tells the writer which rows were new.
    /// </summary>
    /// <returns>The rows that went in; one missing was stored before (on the PostgreSQL path while Redis was away).</returns>
    public async Task<HashSet<(long RoundId, int Number, long PlayerId)>> InsertAnswersAsync(IReadOnlyList<LiveAnswerRow> rows, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var inserted = await c.QueryAsync<(long RoundId, short Number, long PlayerId)>(new CommandDefinition("""
            INSERT INTO live_answers (round_id, number, player_id, option, received_at, elapsed_ms, correct, points)
            SELECT * FROM unnest(@rounds, @numbers, @players, @options, @received, @elapsed, @correct, @points)
            ON CONFLICT DO NOTHING
            RETURNING round_id, number, player_id
            """, new
        {
            rounds = rows.Select(r => r.RoundId).ToArray(),
            numbers = rows.Select(r => (short)r.Number).ToArray(),
            players = rows.Select(r => r.PlayerId).ToArray(),
            options = rows.Select(r => (short)r.Option).ToArray(),
            received = rows.Select(r => r.ReceivedAt.UtcDateTime).ToArray(),
            elapsed = rows.Select(r => r.ElapsedMs).ToArray(),
            correct = rows.Select(r => r.Correct).ToArray(),
            points = rows.Select(r => r.Points).ToArray(),
        }, cancellationToken: ct));
        return [.. inserted.Select(i => (i.RoundId, (int)i.Number, i.PlayerId))];
    }

    public sealed record StoredAnswer(long PlayerId, short Option, bool Correct, int Points);

    public async Task<IReadOnlyList<StoredAnswer>> AnswersAsync(long roundId, int number, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<StoredAnswer>(new CommandDefinition(
            "SELECT player_id, option, correct, points FROM live_answers WHERE round_id = @roundId AND number = @number",
            new { roundId, number = (short)number }, cancellationToken: ct))];
    }

    public sealed record PlayerTotalsRow(long PlayerId, long Points, int Streak, int CorrectCount, int ScoredCount, int StreakBonus);

    /// <summary>
    /// Writes a close's outcome in one transaction: absolute totals (a repeated close writes the same values). Rows whose
    /// values already hold are not rewritten (a voided question changes no player; most answers earn no streak bonus):
    /// PostgreSQL writes a new row version for every row an UPDATE matches, changed or not.
    /// </summary>
    public async Task SaveCloseAsync(long roundId, int number, bool voided, DateTimeOffset now, IReadOnlyList<PlayerTotalsRow> totals, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_round_questions SET closed_at = coalesce(closed_at, @now), voided = @voided WHERE round_id = @roundId AND number = @number
            """, new { roundId, number = (short)number, voided, now }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_players p SET points = t.points, streak = t.streak, correct_count = t.correct, scored_count = t.scored
            FROM unnest(@ids, @points, @streaks, @correct, @scored) AS t(id, points, streak, correct, scored)
            WHERE p.id = t.id AND p.round_id = @roundId
              AND (p.points, p.streak, p.correct_count, p.scored_count) IS DISTINCT FROM (t.points, t.streak, t.correct, t.scored)
            """, new
        {
            roundId,
            ids = totals.Select(t => t.PlayerId).ToArray(),
            points = totals.Select(t => t.Points).ToArray(),
            streaks = totals.Select(t => t.Streak).ToArray(),
            correct = totals.Select(t => t.CorrectCount).ToArray(),
            scored = totals.Select(t => t.ScoredCount).ToArray(),
        }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_answers a SET streak_bonus = t.bonus, points = CASE WHEN @voided THEN 0 ELSE a.points END
            FROM unnest(@ids, @bonus) AS t(id, bonus)
            WHERE a.round_id = @roundId AND a.number = @number AND a.player_id = t.id
              AND (a.streak_bonus <> t.bonus OR (@voided AND a.points <> 0))
            """, new
        {
            roundId,
            number = (short)number,
            voided,
            ids = totals.Select(t => t.PlayerId).ToArray(),
            bonus = totals.Select(t => t.StreakBonus).ToArray(),
        }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE live_rounds SET phase = 'closed' WHERE id = @roundId AND phase = 'question'", new { roundId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task SaveFinalAsync(long roundId, IReadOnlyList<(long PlayerId, int Rank)> ranks, IReadOnlyList<(int UnitId, int PlayerCount, long Points, int Rank)> units, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE live_players p SET final_rank = t.rank FROM unnest(@ids, @ranks) AS t(id, rank) WHERE p.id = t.id AND p.round_id = @roundId
            """, new { roundId, ids = ranks.Select(r => r.PlayerId).ToArray(), ranks = ranks.Select(r => r.Rank).ToArray() }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO live_unit_results (round_id, unit_id, player_count, points, final_rank)
            SELECT @roundId, * FROM unnest(@units, @counts, @points, @ranks)
            ON CONFLICT (round_id, unit_id) DO UPDATE SET player_count = EXCLUDED.player_count, points = EXCLUDED.points, final_rank = EXCLUDED.final_rank
            """, new
        {
            roundId,
            units = units.Select(u => u.UnitId).ToArray(),
            counts = units.Select(u => u.PlayerCount).ToArray(),
            points = units.Select(u => u.Points).ToArray(),
            ranks = units.Select(u => u.Rank).ToArray(),
        }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE live_rounds SET phase = 'ended', ended_at = coalesce(ended_at, @now) WHERE id = @roundId", new { roundId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<LiveResultRow>> ResultsAsync(long roundId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<LiveResultRow>(new CommandDefinition("""
            SELECT p.final_rank AS rank, p.nickname, u.name AS unit_name, p.points, p.correct_count, p.scored_count, p.removed_at IS NOT NULL AS removed
            FROM live_players p LEFT JOIN units u ON u.id = p.unit_id
            WHERE p.round_id = @roundId
            ORDER BY p.removed_at IS NOT NULL, p.points DESC, p.correct_count DESC, p.nickname_key
            """, new { roundId }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<LiveUnitResultRow>> UnitResultsAsync(long roundId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<LiveUnitResultRow>(new CommandDefinition("""
            SELECT r.final_rank AS rank, u.name AS unit_name, r.player_count, r.points
            FROM live_unit_results r JOIN units u ON u.id = r.unit_id WHERE r.round_id = @roundId ORDER BY r.final_rank, u.name
            """, new { roundId }, cancellationToken: ct))];
    }
}
