using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Attempts;

namespace NQ66Quiz.IntegrationTests.Attempts;

/// <summary>Drives attempts over HTTP the way the attempt page does; reads the key from the database (never from the API).</summary>
public static class AttemptDriver
{
    private sealed class KeyRow
    {
        public short Position { get; init; }
        public short[] OptionOrder { get; init; } = [];
        public string Options { get; init; } = "";
    }

    public static async Task<AttemptPaper> StartAsync(this HttpClient client, long roundId)
    {
        using var response = await client.PostAsync($"/api/rounds/{roundId}/attempts", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AttemptPaper>())!;
    }

    /// <summary>For each position, the screen index of the correct option and of a wrong one.</summary>
    public static async Task<Dictionary<int, (int Right, int Wrong)>> KeyAsync(this AppFixture app, long attemptId)
    {
        await using var connection = app.OpenConnection();
        var rows = await connection.QueryAsync<KeyRow>("""
            SELECT aq.position, aq.option_order, v.options::text AS options
            FROM attempt_questions aq JOIN question_versions v ON v.id = aq.question_version_id
            WHERE aq.attempt_id = @attemptId
            """, new { attemptId });
        return rows.ToDictionary(r => (int)r.Position, r =>
        {
            var options = JsonSerializer.Deserialize<List<StoredOption>>(r.Options, JsonSerializerOptions.Web)!;
            var right = options.Single(o => o.Correct).Id;
            return (Array.IndexOf(r.OptionOrder, right), Array.FindIndex(r.OptionOrder, id => id != right));
        });
    }

    public static async Task<HttpResponseMessage> AnswerAsync(this HttpClient client, long attemptId, int position, params int[] choices) =>
        await client.PutAsJsonAsync($"/api/attempts/{attemptId}/answers/{position}", new { choices });

    /// <summary>Answers the first <paramref name="right"/> questions correctly and the rest wrongly.</summary>
    public static async Task AnswerAsync(this AppFixture app, HttpClient client, AttemptPaper paper, int right)
    {
        var key = await app.KeyAsync(paper.Id);
        foreach (var q in paper.Questions)
        {
            using var response = await client.AnswerAsync(paper.Id, q.Position, q.Position <= right ? key[q.Position].Right : key[q.Position].Wrong);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, long attemptId, int? prediction = null) =>
        await client.PostAsJsonAsync($"/api/attempts/{attemptId}/submit", new SubmitRequest(prediction));

    /// <summary>Starts an attempt, answers <paramref name="right"/> questions right, waits <paramref name="takes"/> on the fake clock, submits.</summary>
    public static async Task<AttemptResult> TakeAsync(this AppFixture app, HttpClient client, long roundId, int right, TimeSpan takes, int? prediction = null)
    {
        var paper = await client.StartAsync(roundId);
        await app.AnswerAsync(client, paper, right);
        app.Clock.Advance(takes);
        using var response = await client.SubmitAsync(paper.Id, prediction);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AttemptResult>())!;
    }

    public static async Task<string> TitleAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!;
}
