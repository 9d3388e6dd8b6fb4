using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;
using NQ66Quiz.LoadTests.Harness;

namespace NQ66Quiz.LoadTests.Scenarios;

/// <summary>
/// One round with N ranked participants (1,000,000 at target size), generated set-based in SQL: participants with
/// consents, round entries, one submitted attempt each as best attempt. Shared by the rebuild, the reads and the close.
/// </summary>
public sealed class Million(AppClient app, int entries, int readers)
{
    private Task? _ready;

    public long RoundId { get; private set; }
    public IReadOnlyList<AppClient.Participant> Readers { get; private set; } = [];
    public TimeSpan GenerationTime { get; private set; }

    public Task EnsureAsync(CancellationToken ct) => _ready ??= GenerateAsync(ct);

    private async Task GenerateAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await app.SignInOrganizerAsync(ct);
        (_, RoundId) = await app.OpenRoundAsync(20, attempts: 1, minutes: 60, ct,
            [new { code = "nhat", name = "Giải Nhất", count = 1 }, new { code = "nhi", name = "Giải Nhì", count = 2 }, new { code = "ba", name = "Giải Ba", count = 3 },
             new { code = "kk", name = "Giải Khuyến khích", count = 100 }]);
        var (signedIn, first, last) = await app.ParticipantsAsync(entries, readers, ct);
        Readers = signedIn;
        await using var c = new NpgsqlConnection(app.Target.Postgres);
        await c.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Set-up only: the rows are consistent by construction, so the per-row foreign-key triggers are skipped while
        // generating (the measured close and rebuild run with every constraint in place).
        await c.ExecuteAsync(new CommandDefinition("SET LOCAL session_replication_role = replica", transaction: tx, cancellationToken: ct));
        // Entries carry the time their best attempt was submitted (as submissions write them), not the generation time.
        // Opened two days ago so every submission second fits the live board's layout (seconds since opening ≥ 0).
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE contest_rounds SET opens_at = @now - interval '2 days' WHERE id = @RoundId", new { RoundId, now = app.Target.Now }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO round_entries (round_id, participant_id, unit_id, attempts_used)
            SELECT @RoundId, p.id, p.unit_id, 1 FROM participants p WHERE p.id BETWEEN @first AND @last
            """, new { RoundId, first, last }, tx, cancellationToken: ct, commandTimeout: 900));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO attempts (round_id, participant_id, number, status, started_at, deadline_at, submitted_at, duration_ms, score, question_count, prediction)
            SELECT @RoundId, e.participant_id, 1, 'submitted', s.started, s.started + interval '60 minutes', s.started + s.d * interval '1 millisecond', s.d,
                   (hashtext(e.participant_id::text) & 2147483647) % 21, 20, (hashtext('p' || e.participant_id) & 2147483647) % 200000
            FROM round_entries e,
                 LATERAL (SELECT @now - interval '2 days' + ((e.participant_id % 150000) * interval '1 second') AS started,
                                 60000 + (hashtext('d' || e.participant_id) & 2147483647) % 3000000 AS d) s
            WHERE e.round_id = @RoundId
            """, new { RoundId, now = app.Target.Now }, tx, cancellationToken: ct, commandTimeout: 900));
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE round_entries e SET best_attempt_id = a.id, updated_at = a.submitted_at
            FROM attempts a WHERE a.round_id = @RoundId AND e.round_id = @RoundId AND a.participant_id = e.participant_id
            """, new { RoundId }, tx, cancellationToken: ct, commandTimeout: 900));
        await tx.CommitAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("ANALYZE round_entries; ANALYZE attempts; ANALYZE participants", cancellationToken: ct, commandTimeout: 900));
        GenerationTime = Stopwatch.GetElapsedTime(started);
    }

    /// <summary><c>leaderboards rebuild</c> as the organizer API runs it (the same code as the command-line verb), timed once.</summary>
    public Scenario Rebuild() => new()
    {
        Name = "leaderboards-rebuild",
        Description = $"Rebuild of every Redis leaderboard from PostgreSQL (`POST /api/organizer/leaderboards/rebuild`, the code of the `leaderboards rebuild` verb) with {entries:N0} ranked entries in one round.",
        Load = [new LoadSimulation.Once()],
        StepTimeout = TimeSpan.FromMinutes(10),
        Baselines = new Dictionary<string, string>(StringComparer.Ordinal) { ["rebuild"] = "baseline-pg-copy/copy" },
        Init = EnsureAsync,
        Run = async ctx => await ctx.StepAsync("rebuild", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/organizer/leaderboards/rebuild") { Content = AppClient.Json("{}") };
            request.Headers.Add("Cookie", app.OrganizerCookie!);
            using var response = await app.Http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode ? Reply.Success(2, body.Length) : Reply.Fail($"HTTP {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
        }),
    };

    /// <summary>My rank and the top of the board, read by signed-in participants among the N ranked, beside a write load.</summary>
    public Scenario Reads(IReadOnlyList<LoadSimulation> load, TimeSpan warmUp) => new()
    {
        Name = "leaderboard-reads",
        Description = $"`GET /api/rounds/{{id}}/leaderboard?top=10` by {readers} signed-in participants ranked among {entries:N0} (the answer carries their own rank: "
            + "\"my-rank\"), and `?top=100` anonymously (\"top-100\"), while the online-attempts write load runs beside it.",
        Load = load,
        WarmUp = warmUp,
        Baselines = new Dictionary<string, string>(StringComparer.Ordinal) { ["my-rank"] = "baseline-http/ping", ["top-100"] = "baseline-http/ping" },
        Init = async ct =>
        {
            await EnsureAsync(ct);
            // The board is read from Redis: make sure it holds the generated entries.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/organizer/leaderboards/rebuild") { Content = AppClient.Json("{}") };
            request.Headers.Add("Cookie", app.OrganizerCookie!);
            using var response = await app.Http.SendAsync(request, ct);
            await AppClient.EnsureAsync(response, "rebuilding the boards before the reads");
        },
        Run = async ctx =>
        {
            var me = Readers[(int)(ctx.Number % Readers.Count)];
            await ctx.StepAsync("my-rank", async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rounds/{RoundId}/leaderboard?top=10");
                request.Headers.Add("Cookie", me.Cookie);
                using var response = await app.Http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    return Reply.Fail($"HTTP {(int)response.StatusCode}", 0, body.Length);
                }
                using var view = JsonDocument.Parse(body);
                return view.RootElement.GetProperty("me").ValueKind == JsonValueKind.Object ? Reply.Success(0, body.Length) : Reply.Fail("no rank for a ranked participant", 0, body.Length);
            });
            await ctx.StepAsync("top-100", async ct =>
            {
                using var response = await app.Http.GetAsync($"/api/rounds/{RoundId}/leaderboard?top=100", ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                return response.IsSuccessStatusCode ? Reply.Success(0, body.Length) : Reply.Fail($"HTTP {(int)response.StatusCode}", 0, body.Length);
            });
        },
    };

    /// <summary>The round's close as an organizer asks for it: final ranking, prediction value, prizes, final boards.</summary>
    public Scenario Close()
    {
        Scenario? scenario = null;
        scenario = new Scenario
        {
            Name = "round-close",
            Description = $"`POST /api/organizer/rounds/{{id}}/close` on a round of {entries:N0} entries: open attempts closed, prediction's actual value, the final ranking "
                + "(one INSERT … SELECT with row_number()), prizes, and the round's final Redis boards rebuilt.",
            Load = [new LoadSimulation.Once()],
            StepTimeout = TimeSpan.FromMinutes(10),
            Baselines = new Dictionary<string, string>(StringComparer.Ordinal) { ["close"] = "baseline-pg-copy/copy" },
            Init = async ct =>
            {
                await EnsureAsync(ct);
                await using var c = new NpgsqlConnection(app.Target.Postgres);
                // Past closing time plus the 10 s grace, so the close is allowed now.
                await c.ExecuteAsync(new CommandDefinition("UPDATE contest_rounds SET closes_at = @now - interval '11 seconds' WHERE id = @RoundId",
                    new { RoundId, now = app.Target.Now }, cancellationToken: ct));
            },
            Run = async ctx => await ctx.StepAsync("close", async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/organizer/rounds/{RoundId}/close") { Content = AppClient.Json("{}") };
                request.Headers.Add("Cookie", app.OrganizerCookie!);
                using var response = await app.Http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                return response.IsSuccessStatusCode ? Reply.Success(2, body.Length) : Reply.Fail($"HTTP {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
            }),
            Verify = async ct =>
            {
                await using var c = new NpgsqlConnection(app.Target.Postgres);
                var ranked = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM round_results WHERE round_id = @RoundId", new { RoundId }, cancellationToken: ct));
                var prizes = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM round_results WHERE round_id = @RoundId AND prize_code IS NOT NULL", new { RoundId }, cancellationToken: ct));
                var actual = await c.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT prediction_actual FROM contest_rounds WHERE id = @RoundId", new { RoundId }, cancellationToken: ct));
                var gaps = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM (SELECT rank, row_number() OVER (ORDER BY rank) AS n FROM round_results WHERE round_id = @RoundId) r WHERE rank <> n",
                    new { RoundId }, cancellationToken: ct));
                return new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["entries"] = entries,
                    ["ranked"] = ranked,
                    ["entries_not_ranked"] = entries - ranked,
                    ["rank_gaps"] = gaps,
                    ["prizes_awarded"] = prizes,
                    ["prediction_actual"] = actual ?? -1,
                    ["generation_seconds"] = GenerationTime.TotalSeconds,
                };
            },
        };
        return scenario;
    }
}
