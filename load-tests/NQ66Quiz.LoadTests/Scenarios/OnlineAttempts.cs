using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Npgsql;
using NQ66Quiz.LoadTests.Harness;

namespace NQ66Quiz.LoadTests.Scenarios;

/// <summary>
/// Participants start an attempt, save 20 answers one request each (as the page does) and submit; afterwards every
/// acknowledged submission and every acknowledged answer is looked up in PostgreSQL.
/// </summary>
public static class OnlineAttempts
{
    public const int Questions = 20;

    public static Scenario Create(AppClient app, int participants, IReadOnlyList<LoadSimulation> load, TimeSpan warmUp, string name = "online-attempts")
    {
        var pool = Channel.CreateUnbounded<AppClient.Participant>();
        var ackedSubmits = new ConcurrentBag<long>();
        var ackedSaves = new ConcurrentBag<(long Attempt, int Position)>();
        long roundId = 0;
        return new Scenario
        {
            Name = name,
            Description = $"Each iteration: a participant (one of {participants:N0} signed in) starts an attempt of {Questions} questions, saves {Questions} answers "
                + "(`PUT /api/attempts/{id}/answers/{position}`, acknowledged only after PostgreSQL committed it) and submits. Afterwards every acknowledged "
                + "submission and answer is looked up in PostgreSQL.",
            Load = load,
            WarmUp = warmUp,
            MaxInFlight = 2000,
            Baselines = new Dictionary<string, string>(StringComparer.Ordinal) { ["save"] = "baseline-http/ping", ["submit"] = "baseline-http/ping", ["start"] = "baseline-http/ping" },
            Init = async ct =>
            {
                await app.SignInOrganizerAsync(ct);
                (_, roundId) = await app.OpenRoundAsync(Questions, attempts: 50, minutes: 60, ct);
                var (signedIn, _, _) = await app.ParticipantsAsync(participants, participants, ct);
                foreach (var p in signedIn)
                {
                    pool.Writer.TryWrite(p);
                }
            },
            Run = async ctx =>
            {
                var me = await pool.Reader.ReadAsync(ctx.Cancellation);
                try
                {
                    await RunAttemptAsync(app.Http, ctx, me, roundId, ackedSubmits, ackedSaves);
                }
                finally
                {
                    pool.Writer.TryWrite(me);
                }
            },
            Verify = async ct =>
            {
                await using var c = new NpgsqlConnection(app.Target.Postgres);
                await c.OpenAsync(ct);
                var submits = ackedSubmits.Distinct().ToArray();
                var found = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM attempts WHERE id = ANY(@submits) AND status = 'submitted'", new { submits }, cancellationToken: ct));
                var saves = ackedSaves.Distinct().ToArray();
                var answered = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                    SELECT count(*) FROM unnest(@a, @p) AS s(attempt_id, position)
                    JOIN attempt_questions aq ON aq.attempt_id = s.attempt_id AND aq.position = s.position
                    WHERE aq.chosen IS NOT NULL
                    """, new { a = saves.Select(s => s.Attempt).ToArray(), p = saves.Select(s => (short)s.Position).ToArray() }, cancellationToken: ct));
                var inRound = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM attempts WHERE round_id = @roundId AND status = 'submitted'", new { roundId }, cancellationToken: ct));
                var scoredWrong = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                    SELECT count(*) FROM attempts a
                    WHERE a.id = ANY(@submits)
                      AND a.score <> (SELECT count(*) FROM attempt_questions aq WHERE aq.attempt_id = a.id AND aq.is_correct)
                    """, new { submits }, cancellationToken: ct));
                return new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["acked_submissions"] = submits.Length,
                    ["lost_submissions"] = submits.Length - found,
                    ["acked_answers"] = saves.Length,
                    ["lost_answers"] = saves.Length - answered,
                    ["submitted_in_round"] = inRound,
                    ["scores_not_matching_marks"] = scoredWrong,
                };
            },
        };
    }

    private static async Task RunAttemptAsync(HttpClient http, IterationContext ctx, AppClient.Participant me, long roundId,
        ConcurrentBag<long> ackedSubmits, ConcurrentBag<(long, int)> ackedSaves)
    {
        long attemptId = 0;
        int[] positions = [];
        await ctx.StepAsync("start", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rounds/{roundId}/attempts");
            request.Headers.Add("Cookie", me.Cookie);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return Reply.Fail($"HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(200, body.Length)))}", 0, body.Length);
            }
            using var paper = JsonDocument.Parse(body);
            attemptId = paper.RootElement.GetProperty("id").GetInt64();
            positions = [.. paper.RootElement.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("position").GetInt32())];
            return Reply.Success(0, body.Length);
        });
        var answer = """{"choices":[0]}"""u8.ToArray();
        foreach (var position in positions)
        {
            await ctx.StepAsync("save", async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/attempts/{attemptId}/answers/{position}")
                {
                    Content = new ByteArrayContent(answer) { Headers = { { "Content-Type", "application/json" } } },
                };
                request.Headers.Add("Cookie", me.Cookie);
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    return Reply.Fail($"HTTP {(int)response.StatusCode}", answer.Length, body.Length);
                }
                ackedSaves.Add((attemptId, position));
                return Reply.Success(answer.Length, body.Length);
            });
        }
        var submit = """{"prediction":120}"""u8.ToArray();
        await ctx.StepAsync("submit", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/attempts/{attemptId}/submit")
            {
                Content = new ByteArrayContent(submit) { Headers = { { "Content-Type", "application/json" } } },
            };
            request.Headers.Add("Cookie", me.Cookie);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return Reply.Fail($"HTTP {(int)response.StatusCode}", submit.Length, body.Length);
            }
            ackedSubmits.Add(attemptId);
            return Reply.Success(submit.Length, body.Length);
        });
    }
}
