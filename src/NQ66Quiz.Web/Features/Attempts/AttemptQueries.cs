using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Attempts;

public sealed record PaperOption(int Index, string Letter, string Html);

public sealed record PaperQuestion(int Position, string Kind, string StemHtml, IReadOnlyList<PaperOption> Options, int[] Chosen);

/// <summary>An attempt as the participant takes it: the questions and options in this attempt's order, and never the key.</summary>
public sealed record AttemptPaper(
    long Id, long RoundId, string ContestSlug, string ContestName, int RoundNumber, int Number, int AttemptsAllowed, string Status,
    DateTimeOffset StartedAt, DateTimeOffset DeadlineAt, int RemainingSeconds, string PredictionQuestion, int? Prediction,
    IReadOnlyList<PaperQuestion> Questions);

public sealed record ResultOption(int Index, string Letter, string Html, bool Correct, bool Chosen);

/// <param name="StudyPath">The study page of the question's first tag ("Đọc thêm").</param>
public sealed record ResultQuestion(int Position, string Kind, string StemHtml, IReadOnlyList<ResultOption> Options, bool IsCorrect, string ExplanationHtml,
    string StudyPath);

/// <summary>
/// A closed attempt: score, time taken, rank so far, attempts left and which question numbers were wrong; and, once the
/// contest's <see cref="AnswerReveal"/> setting allows (<paramref name="AnswersShown"/>), every question with its key and
/// explanation. Before that <paramref name="Questions"/> is empty and <paramref name="AnswersPending"/> says when.
/// </summary>
/// <param name="RankSoFar">The participant's place on the round's live board (their best attempt); null when Redis cannot say.</param>
public sealed record AttemptResult(
    long Id, long RoundId, string ContestSlug, string ContestName, int RoundNumber, int Number, string Status, int Score, int QuestionCount,
    int DurationMs, DateTimeOffset StartedAt, DateTimeOffset SubmittedAt, string PredictionQuestion, int? Prediction, bool IsBest,
    bool AnswersShown, string? AnswersPending, int AttemptsLeft, long? RankSoFar, int[] WrongPositions,
    IReadOnlyList<ResultQuestion> Questions);

public sealed record AttemptSummary(
    long Id, long RoundId, string ContestSlug, string ContestName, int RoundNumber, int Number, string Status, DateTimeOffset StartedAt,
    DateTimeOffset? SubmittedAt, int? Score, int QuestionCount, int? DurationMs, bool IsBest);

/// <summary>Reads attempts for their owner. An attempt past its deadline is closed on the way (the job would close it shortly anyway).</summary>
public sealed class AttemptQueries(NpgsqlDataSource dataSource, TimeProvider clock, LeaderboardWriter boards, IOptions<ContestOptions> options,
    IConnectionMultiplexer redis, LeaderboardKeys keys, ILogger<AttemptQueries> log)
{
    // A class, not a positional record: Dapper fills an array column into a property, but would not match it to a
    // record constructor's parameter (the paper read failed with one).
    private sealed class HeaderRow
    {
        public long Id { get; init; }
        public long RoundId { get; init; }
        public long ParticipantId { get; init; }
        public string ContestSlug { get; init; } = "";
        public string ContestName { get; init; } = "";
        public int RoundNumber { get; init; }
        public int Number { get; init; }
        public int AttemptsAllowed { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset DeadlineAt { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
        public int? Score { get; init; }
        public int QuestionCount { get; init; }
        public int? DurationMs { get; init; }
        public int? Prediction { get; init; }
        public string PredictionKind { get; init; } = "";
        public bool IsBest { get; init; }
        public string AnswersShown { get; init; } = "";
        public DateTimeOffset ClosesAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public int AttemptsUsed { get; init; }
        public bool HasOpenAttempt { get; init; }
        public short[] WrongPositions { get; init; } = [];
    }

    private sealed class QuestionRow
    {
        public short Position { get; init; }
        public string Kind { get; init; } = "";
        public string StemHtml { get; init; } = "";
        public string Options { get; init; } = "";
        public short[] OptionOrder { get; init; } = [];
        public short[]? Chosen { get; init; }
        public bool? IsCorrect { get; init; }
        public string ExplanationHtml { get; init; } = "";
        public short[] Viewpoints { get; init; } = [];
        public short[] Tasks { get; init; } = [];
        public string[] Topics { get; init; } = [];
    }

    private sealed record SummaryRow(
        long Id, long RoundId, string ContestSlug, string ContestName, int RoundNumber, int Number, string Status, DateTimeOffset StartedAt,
        DateTimeOffset? SubmittedAt, int? Score, int QuestionCount, int? DurationMs, bool IsBest);

    private const string HeaderSql = """
        SELECT a.id, a.round_id, a.participant_id, c.slug AS contest_slug, c.name AS contest_name, r.number AS round_number, a.number,
               r.attempts_allowed, a.status, a.started_at, a.deadline_at, a.submitted_at, a.score, a.question_count, a.duration_ms,
               a.prediction, c.prediction_kind, coalesce(e.best_attempt_id = a.id, false) AS is_best, c.answers_shown, r.closes_at,
               r.closed_at, e.attempts_used,
               EXISTS (SELECT 1 FROM attempts o WHERE o.round_id = a.round_id AND o.participant_id = a.participant_id
                       AND o.status = 'in_progress') AS has_open_attempt,
               ARRAY(SELECT w.position FROM attempt_questions w WHERE w.attempt_id = a.id AND w.is_correct IS NOT TRUE
                     ORDER BY w.position) AS wrong_positions
        FROM attempts a
        JOIN contest_rounds r ON r.id = a.round_id
        JOIN contests c ON c.id = r.contest_id
        JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
        WHERE a.id = @attemptId
        """;

    private const string QuestionsSql = """
        SELECT aq.position, v.kind, v.stem_html, v.options::text AS options, aq.option_order, aq.chosen, aq.is_correct, v.explanation_html,
               v.viewpoints, v.tasks, v.topics
        FROM attempt_questions aq JOIN question_versions v ON v.id = aq.question_version_id
        WHERE aq.attempt_id = @attemptId
        ORDER BY aq.position
        """;

    /// <returns>The paper, or null when the attempt is not this participant's.</returns>
    public async Task<AttemptPaper?> PaperAsync(long participantId, long attemptId, CancellationToken ct = default)
    {
        var header = await HeaderAsync(participantId, attemptId, ct);
        if (header is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var questions = await connection.QueryAsync<QuestionRow>(new CommandDefinition(QuestionsSql, new { attemptId }, cancellationToken: ct));
        var deadline = header.DeadlineAt;
        return new AttemptPaper(header.Id, header.RoundId, header.ContestSlug, header.ContestName, header.RoundNumber, header.Number,
            header.AttemptsAllowed, header.Status, header.StartedAt, deadline, RemainingSeconds(header.Status, deadline, now),
            PredictionKinds.Question(header.PredictionKind), header.Prediction,
            [.. questions.Select(q => PaperQuestionOf(q.Position, q.Kind, q.StemHtml, Options(q.Options), q.OptionOrder, q.Chosen))]);
    }

    /// <summary>One question of a paper: the options in the attempt's order (letters A, B, …), the saved answer as positions on screen, no key.</summary>
    public static PaperQuestion PaperQuestionOf(int position, string kind, string stemHtml, IReadOnlyDictionary<short, StoredOption> options,
        short[] optionOrder, short[]? chosen) =>
        new(position, kind, stemHtml, [.. optionOrder.Select((id, i) => new PaperOption(i, Scoring.Letter(i), options[id].Html))],
            Scoring.ToDisplay(chosen, optionOrder));

    /// <summary>Whole seconds left to answer (rounded up); 0 once the attempt is closed or its time is up.</summary>
    public static int RemainingSeconds(string status, DateTimeOffset deadline, DateTimeOffset now) =>
        status == AttemptStatus.InProgress ? (int)Math.Max(0, Math.Ceiling((deadline - now).TotalSeconds)) : 0;

    /// <returns>The result once the attempt is closed (with the key only when it is due); null when it is not this participant's or still open.</returns>
    public async Task<AttemptResult?> ResultAsync(long participantId, long attemptId, CancellationToken ct = default)
    {
        var header = await HeaderAsync(participantId, attemptId, ct);
        if (header is null || header.Status == AttemptStatus.InProgress)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var closesAt = header.ClosesAt;
        var shown = AnswerReveal.IsDue(header.AnswersShown, closesAt, header.ClosedAt, now, options.Value.Grace,
            header.AttemptsUsed, header.AttemptsAllowed, header.HasOpenAttempt);
        // The key and explanations are not even read until they are due: before that the header says which answers were wrong.
        List<QuestionRow> questions = [];
        if (shown)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            questions = [.. await connection.QueryAsync<QuestionRow>(new CommandDefinition(QuestionsSql, new { attemptId }, cancellationToken: ct))];
        }
        var roundOpen = header.ClosedAt is null && now < closesAt;
        return new AttemptResult(header.Id, header.RoundId, header.ContestSlug, header.ContestName, header.RoundNumber, header.Number, header.Status,
            header.Score!.Value, header.QuestionCount, header.DurationMs!.Value, header.StartedAt, header.SubmittedAt!.Value,
            PredictionKinds.Question(header.PredictionKind), header.Prediction, header.IsBest,
            shown, shown ? null : AnswerReveal.Pending(header.AnswersShown, closesAt),
            roundOpen ? Math.Max(0, header.AttemptsAllowed - header.AttemptsUsed) : 0,
            await RankSoFarAsync(header.RoundId, participantId),
            [.. header.WrongPositions.Select(p => (int)p)],
            [.. questions.Select(q =>
            {
                var options = Options(q.Options);
                var chosen = q.Chosen ?? [];
                return new ResultQuestion(q.Position, q.Kind, q.StemHtml,
                    [.. q.OptionOrder.Select((id, i) => new ResultOption(i, Scoring.Letter(i), options[id].Html, options[id].Correct, chosen.Contains(id)))],
                    q.IsCorrect ?? false, q.ExplanationHtml, Tag.FirstTag(q.Viewpoints, q.Tasks, q.Topics)?.StudyPath ?? "/hoc");
            })]);
    }

    // The live board holds each person's best attempt; a Redis outage costs the rank line, never the result.
    private async Task<long?> RankSoFarAsync(long roundId, long participantId)
    {
        try
        {
            return await redis.GetDatabase().SortedSetRankAsync(keys.Live(roundId), LeaderboardScore.Member(participantId)) is { } rank ? rank + 1 : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning(e, "Rank of participant {ParticipantId} in round {RoundId} not read", participantId, roundId);
            return null;
        }
    }

    /// <summary>Whether the attempt is this participant's and still open; closes it first when it is past deadline + grace.</summary>
    public async Task<(bool Exists, string Status)> StatusAsync(long participantId, long attemptId, CancellationToken ct = default)
    {
        var header = await HeaderAsync(participantId, attemptId, ct);
        return header is null ? (false, "") : (true, header.Status);
    }

    public async Task<IReadOnlyList<AttemptSummary>> HistoryAsync(long participantId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition("""
            SELECT a.id, a.round_id, c.slug AS contest_slug, c.name AS contest_name, r.number AS round_number, a.number, a.status, a.started_at,
                   a.submitted_at, a.score, a.question_count, a.duration_ms, coalesce(e.best_attempt_id = a.id, false) AS is_best
            FROM attempts a
            JOIN contest_rounds r ON r.id = a.round_id
            JOIN contests c ON c.id = r.contest_id
            JOIN round_entries e ON e.round_id = a.round_id AND e.participant_id = a.participant_id
            WHERE a.participant_id = @participantId
            ORDER BY a.started_at DESC, a.id DESC
            LIMIT 500
            """, new { participantId }, cancellationToken: ct));
        return [.. rows.Select(r => new AttemptSummary(r.Id, r.RoundId, r.ContestSlug, r.ContestName, r.RoundNumber, r.Number, r.Status,
            r.StartedAt, r.SubmittedAt, r.Score, r.QuestionCount, r.DurationMs, r.IsBest))];
    }

    private async Task<HeaderRow?> HeaderAsync(long participantId, long attemptId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var header = await connection.QuerySingleOrDefaultAsync<HeaderRow>(new CommandDefinition(HeaderSql, new { attemptId }, cancellationToken: ct));
        if (header is null || header.ParticipantId != participantId)
        {
            return null;
        }
        if (header.Status == AttemptStatus.InProgress
            && await AttemptClosing.ExpireIfDueAsync(dataSource, boards, attemptId, clock.GetUtcNow(), options.Value.Grace, ct))
        {
            header = await connection.QuerySingleAsync<HeaderRow>(new CommandDefinition(HeaderSql, new { attemptId }, cancellationToken: ct));
        }
        return header;
    }

    public static Dictionary<short, StoredOption> Options(string json) =>
        StoredOption.Parse(json).ToDictionary(o => o.Id);
}
