using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.ErrorPages;

/// <summary>The OpenAPI document and the request field names match what the endpoints really do.</summary>
public sealed class ApiDescriptionTests(AppFixture app) : ContestTest(app)
{
    private static HashSet<string> Statuses(JsonElement document, string path, string method) =>
        [.. document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Every_api_operation_lists_the_error_statuses_it_really_answers()
    {
        using var client = App.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "404", "409", "413", "415", "500" }, Statuses(document, "/api/attempts/{attemptId}/submit", "post"));
        Assert.Superset(new HashSet<string> { "200", "401", "403", "404", "409", "500" }, Statuses(document, "/api/attempts/{attemptId}/result", "get"));
        Assert.Superset(new HashSet<string> { "400", "401", "413", "429", "500" }, Statuses(document, "/api/participants/sign-in", "post"));
        Assert.Superset(new HashSet<string> { "401", "403", "404", "409", "500" }, Statuses(document, "/api/organizer/rounds/{roundId}/publish", "post"));
        Assert.Superset(new HashSet<string> { "400", "404", "500", "503" }, Statuses(document, "/api/rounds/{roundId}/leaderboard", "get"));
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("500", out _), $"{operation.Name} {path.Name} does not list 500");
            }
        }
    }

    [Fact]
    public async Task The_prediction_has_one_name_and_a_body_that_names_it_otherwise_is_refused_not_stored_as_nothing()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var (client, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        var paper = await client.StartAsync(round.Id);

        using var named = await client.PutAsync($"/api/attempts/{paper.Id}/prediction", new StringContent("{\"prediction\":120}", Encoding.UTF8, "application/json"));
        using var old = await client.PutAsync($"/api/attempts/{paper.Id}/prediction", new StringContent("{\"value\":7}", Encoding.UTF8, "application/json"));
        await using var connection = App.OpenConnection();
        var stored = await connection.QuerySingleAsync<int?>("SELECT prediction FROM attempts WHERE id = @Id", new { paper.Id });

        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Contains("Thiếu trường bắt buộc", (await old.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(120, stored);
        client.Dispose();
        organizer.Dispose();
    }
}
