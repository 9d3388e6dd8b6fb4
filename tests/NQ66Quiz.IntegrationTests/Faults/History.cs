using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace NQ66Quiz.IntegrationTests.Faults;

/// <summary>What the client was told: acknowledged (2xx), refused (4xx: the server decided no), or unknown (5xx, cut, timeout).</summary>
public enum Outcome { Ack, Refused, Unknown }

/// <summary>One operation a test client did and what it was told.</summary>
public sealed record Op(string Player, string Kind, long? AttemptId, int? Position, int[]? Choices, DateTimeOffset Sent, DateTimeOffset Received,
    int? Status, Outcome Outcome, string? Title, JsonElement? Body, string? Error);

/// <summary>
/// Records every operation of the fault tests' clients, then checks the invariants against PostgreSQL, which is the
/// record: acknowledged ⇒ stored; at most one answer per attempt and question; nothing accepted after deadline + grace;
/// no half-written attempt; the leaderboard equals the ranking recomputed in SQL.
/// </summary>
public sealed class History
{
    private readonly ConcurrentQueue<Op> _ops = new();

    // The app sets this for its own queries; without the app in this process, the checker sets it (same mapping).
    static History() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public IReadOnlyList<Op> Ops => [.. _ops.OrderBy(o => o.Sent)];

    public int Acked(string kind) => _ops.Count(o => o.Kind == kind && o.Outcome == Outcome.Ack);

    public async Task<Op> DoAsync(string player, string kind, long? attemptId, int? position, int[]? choices, Func<Task<HttpResponseMessage>> send)
    {
        var sent = DateTimeOffset.UtcNow;
        Op op;
        try
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync();
            JsonElement? body = null;
            try
            {
                body = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : null;
            }
            catch (JsonException)
            {
            }
            var status = (int)response.StatusCode;
            var outcome = status < 300 ? Outcome.Ack : status < 500 ? Outcome.Refused : Outcome.Unknown;
            var title = body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            op = new(player, kind, attemptId, position, choices, sent, DateTimeOffset.UtcNow, status, outcome, title, body, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            op = new(player, kind, attemptId, position, choices, sent, DateTimeOffset.UtcNow, null, Outcome.Unknown, null, null, e.GetType().Name + ": " + e.Message);
        }
        _ops.Enqueue(op);
        return op;
    }

    // Classes, not records: Dapper matches a record's constructor by exact types, and these columns are nullable.
    private sealed class AttemptRow
    {
        public long Id { get; init; }
        public long ParticipantId { get; init; }
        public string Status { get; init; } = "";
        public DateTime DeadlineAt { get; init; }
        public DateTime? SubmittedAt { get; init; }
        public int? Score { get; init; }
        public int QuestionCount { get; init; }
        public long Questions { get; init; }
    }

    private sealed class AnswerRow
    {
        public long AttemptId { get; init; }
        public short Position { get; init; }
        public short[] OptionOrder { get; init; } = [];
        public short[]? Chosen { get; init; }
    }

    /// <summary>Asserts every invariant; the message lists each violation with the operation behind it.</summary>
    public async Task CheckAsync(string connectionString, long roundId, TimeSpan grace)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var attempts = (await connection.QueryAsync<AttemptRow>("""
            SELECT a.id, a.participant_id, a.status, a.deadline_at, a.submitted_at, a.score, a.question_count,
                (SELECT count(*) FROM attempt_questions q WHERE q.attempt_id = a.id) AS questions
            FROM attempts a WHERE a.round_id = @roundId
            """, new { roundId })).ToDictionary(a => a.Id);
        var answers = (await connection.QueryAsync<AnswerRow>("""
            SELECT q.attempt_id, q.position, q.option_order, q.chosen
            FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id WHERE a.round_id = @roundId
            """, new { roundId })).ToDictionary(a => (a.AttemptId, (int)a.Position));
        var violations = new List<string>();
        var ops = Ops;

        // No half-written attempt: each has all its questions (the start is one transaction).
        foreach (var a in attempts.Values.Where(a => a.Questions != a.QuestionCount))
        {
            violations.Add($"attempt {a.Id} has {a.Questions} of {a.QuestionCount} questions");
        }
        // At most one attempt in progress per participant, and one answer row per attempt and position.
        foreach (var g in attempts.Values.GroupBy(a => a.ParticipantId).Where(g => g.Count(a => a.Status == "in_progress") > 1))
        {
            violations.Add($"participant {g.Key} has {g.Count(a => a.Status == "in_progress")} attempts in progress");
        }
        var duplicates = await connection.QuerySingleAsync<long>("""
            SELECT count(*) FROM (SELECT attempt_id, position FROM attempt_questions GROUP BY 1, 2 HAVING count(*) > 1) d
            """);
        if (duplicates > 0)
        {
            violations.Add($"{duplicates} (attempt, question) pairs hold more than one answer");
        }

        foreach (var op in ops.Where(o => o is { Kind: "start", Outcome: Outcome.Ack }))
        {
            var id = op.Body!.Value.GetProperty("id").GetInt64();
            if (!attempts.ContainsKey(id))
            {
                violations.Add($"{op.Player}: start acknowledged attempt {id}, which is not in PostgreSQL");
            }
        }

        // Acked ⇒ stored: the stored choice is the last acknowledged one, or one sent after it whose fate is unknown.
        foreach (var g in ops.Where(o => o.Kind == "answer").GroupBy(o => (o.AttemptId!.Value, o.Position!.Value)))
        {
            var list = g.OrderBy(o => o.Sent).ToList();
            var lastAck = list.FindLastIndex(o => o.Outcome == Outcome.Ack);
            if (lastAck < 0)
            {
                continue;
            }
            if (!attempts.TryGetValue(g.Key.Item1, out var attempt) || !answers.TryGetValue(g.Key, out var row))
            {
                violations.Add($"{list[lastAck].Player}: answer to attempt {g.Key.Item1} question {g.Key.Item2} acknowledged, no such row");
                continue;
            }
            var allowed = list.Skip(lastAck).Where((o, i) => i == 0 || o.Outcome == Outcome.Unknown)
                .Select(o => string.Join(',', o.Choices!.Select(c => row.OptionOrder[c]).Order())).ToHashSet(StringComparer.Ordinal);
            var stored = row.Chosen is null ? "(none)" : string.Join(',', row.Chosen.Order());
            if (!allowed.Contains(stored))
            {
                violations.Add($"{list[lastAck].Player}: attempt {g.Key.Item1} question {g.Key.Item2} stores [{stored}], acknowledged [{string.Join(" | ", allowed)}]");
            }
            var due = Utc(attempt.DeadlineAt) + grace;
            foreach (var late in list.Where(o => o.Outcome == Outcome.Ack && o.Sent > due + TimeSpan.FromSeconds(1)))
            {
                violations.Add($"{late.Player}: answer sent {late.Sent:O} acknowledged after deadline + grace {due:O}");
            }
        }

        foreach (var op in ops.Where(o => o is { Kind: "submit", Outcome: Outcome.Ack }))
        {
            if (!attempts.TryGetValue(op.AttemptId!.Value, out var a) || a.Status != "submitted")
            {
                violations.Add($"{op.Player}: submit of attempt {op.AttemptId} acknowledged, PostgreSQL has it {(a is null ? "missing" : a.Status)}");
                continue;
            }
            var score = op.Body!.Value.GetProperty("score").GetInt32();
            if (a.Score != score)
            {
                violations.Add($"{op.Player}: submit acknowledged score {score}, PostgreSQL has {a.Score}");
            }
            var due = Utc(a.DeadlineAt) + grace;
            if (Utc(a.SubmittedAt!.Value) > due || op.Sent > due + TimeSpan.FromSeconds(1))
            {
                violations.Add($"{op.Player}: submit of attempt {a.Id} at {op.Sent:O} accepted after deadline + grace {due:O}");
            }
        }
        Assert.True(violations.Count == 0, $"{violations.Count} violation(s):\n" + string.Join('\n', violations.Take(40)) + "\n" + Summary());
    }

    /// <summary>
    /// The winners rule recomputed in SQL (score ↓, duration ↑, submission second ↑, participant ↑), against what the
    /// public board says (top N, total) and what each player's own "me" row says.
    /// </summary>
    public static async Task<string?> BoardDifferenceAsync(string connectionString, long roundId, IReadOnlyList<Player> players)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var order = (await connection.QueryAsync<(long ParticipantId, int Score, int DurationMs)>("""
            SELECT e.participant_id, a.score, a.duration_ms
            FROM round_entries e JOIN attempts a ON a.id = e.best_attempt_id
            WHERE e.round_id = @roundId
            ORDER BY a.score DESC, a.duration_ms ASC, date_trunc('second', a.submitted_at) ASC, e.participant_id ASC
            """, new { roundId })).ToList();
        using var response = await players[0].Http.GetAsync($"/api/rounds/{roundId}/leaderboard?top=100");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"leaderboard answered {(int)response.StatusCode}";
        }
        var board = await response.Content.ReadFromJsonAsync<JsonElement>();
        var top = board.GetProperty("top").EnumerateArray().Select(r => (r.GetProperty("rank").GetInt32(), r.GetProperty("score").GetInt32(), r.GetProperty("durationMs").GetInt32())).ToList();
        var expected = order.Select((o, i) => (i + 1, o.Score, o.DurationMs)).ToList();
        if (board.GetProperty("total").GetInt64() != order.Count || !top.SequenceEqual(expected))
        {
            return $"board total {board.GetProperty("total").GetInt64()} [{string.Join(' ', top)}] vs SQL {order.Count} [{string.Join(' ', expected)}]";
        }
        foreach (var p in players.Where(p => p.ParticipantId is not null))
        {
            var index = order.FindIndex(o => o.ParticipantId == p.ParticipantId);
            using var mine = await p.Http.GetAsync($"/api/rounds/{roundId}/leaderboard?top=1");
            var me = (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("me");
            var rank = me.ValueKind == JsonValueKind.Object ? me.GetProperty("rank").GetInt32() : 0;
            if (rank != index + 1)
            {
                return $"{p.Name}: board says rank {rank}, SQL says {index + 1}";
            }
        }
        return null;
    }

    public string Summary() => string.Join(", ", _ops.GroupBy(o => (o.Kind, o.Outcome, o.Status)).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
        .Select(g => $"{g.Key.Kind}/{g.Key.Outcome}/{g.Key.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "cut"}: {g.Count()}"));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
