using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.IntegrationTests.LiveRounds;
using NQ66Quiz.Web.Features.LiveRounds;

namespace NQ66Quiz.IntegrationTests.Security;

/// <summary>
/// Issue 14, item 6, over HTTP and the hub: hostile strings are stored as text and rendered escaped, NFD comes in as
/// NFC, wrong content types are a Vietnamese 415, broken UTF-16 is a 400, an oversize hub frame closes the connection.
/// </summary>
public sealed class BadInputTests(AppFixture app) : IntegrationTest(app)
{
    // SQL injection and script in the shapes people paste them.
    private const string Script = "<script>alert('xss')</script>";
    private const string ImageScript = "<img src=x onerror=alert(1)>";
    private const string Sql = "x'); DROP TABLE participants; --";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static void AssertEscaped(string html)
    {
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:alert", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Hostile_strings_in_every_participant_field_are_refused_or_stored_as_text_and_never_break_sql_or_pages()
    {
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var statuses = new List<(string Field, string Value, HttpStatusCode Status)>();
        var phone = 0;
        foreach (var hostile in new[] { Script, ImageScript, Sql, "Nguyễn " + Script, "Trần Thị " + Sql })
        {
            foreach (var field in new[] { "fullName", "dateOfBirth", "phone", "nationalId", "participantType", "password", "guardianName" })
            {
                var body = JsonSerializer.SerializeToNode(TestData.Registration($"09123400{phone++:00}", unit), Web)!.AsObject();
                body[field] = hostile;
                using var response = await App.CreateClient().PostAsJsonAsync("/api/participants/register", body);
                statuses.Add((field, hostile, response.StatusCode));
            }
        }
        // A name with an apostrophe is a real name (and the classic injection character): stored exactly.
        var (client, profile) = await App.RegisterAsync(TestData.Registration("0987654321", unit, name: "Nguyễn Văn O'Brien"));
        using var _client = client;
        var accountPage = await client.GetStringAsync("/tai-khoan");

        Assert.All(statuses, s => Assert.True(s.Status is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{s.Field} = {s.Value}: {(int)s.Status}"));
        await using var db = App.OpenConnection();
        Assert.True(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM participants") >= 1);
        Assert.Equal("Nguyễn Văn O'Brien", await db.ExecuteScalarAsync<string>("SELECT full_name FROM participants WHERE id = @Id", new { profile.Id }));
        Assert.Contains("O&#x27;Brien", accountPage, StringComparison.Ordinal);
        // Whatever was accepted went in as the text typed, never as markup that a page now carries raw.
        foreach (var name in await db.QueryAsync<string>("SELECT full_name FROM participants"))
        {
            Assert.DoesNotContain("<script", name, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Hostile_strings_in_organizer_fields_are_stored_as_typed_and_every_page_shows_them_escaped()
    {
        await App.LoadUnitsAsync();
        using var admin = await App.CreateOrganizerClientAsync();
        using var invited = await admin.PostAsJsonAsync("/api/organizer/invitations",
            new { email = "ke-gian@nq66.test", name = Script + Sql, role = "question-author" });
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var contest = await admin.PostAsJsonAsync("/api/organizer/contests", new
        {
            name = "Cuộc thi " + Script,
            descriptionMd = $"Thể lệ {Script} {ImageScript} [bấm vào đây](javascript:alert(1)) và {Sql}",
            organizingUnitId = unit,
            slug = "cuoc-thi-thu",
        });
        var accountsPage = await admin.GetStringAsync("/to-chuc/tai-khoan");
        var contestPage = await App.CreateClient().GetAsync("/cuoc-thi/cuoc-thi-thu");
        var contestHtml = await contestPage.Content.ReadAsStringAsync();
        var consoleContests = await admin.GetStringAsync("/to-chuc/cuoc-thi");

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.True(contest.IsSuccessStatusCode, await contest.Content.ReadAsStringAsync());
        await using var db = App.OpenConnection();
        Assert.Equal(Script + Sql, await db.ExecuteScalarAsync<string>("SELECT name FROM organizer_invitations WHERE email = 'ke-gian@nq66.test'"));
        Assert.Equal("Cuộc thi " + Script, await db.ExecuteScalarAsync<string>("SELECT name FROM contests WHERE slug = 'cuoc-thi-thu'"));
        Assert.Contains("&lt;script&gt;", accountsPage, StringComparison.Ordinal);
        AssertEscaped(accountsPage);
        Assert.Equal(HttpStatusCode.OK, contestPage.StatusCode);
        Assert.Contains("&lt;script&gt;", contestHtml, StringComparison.Ordinal);
        AssertEscaped(contestHtml);
        AssertEscaped(consoleContests);
    }

    [Fact]
    public async Task Decomposed_Vietnamese_is_stored_composed_from_registration_and_invitations()
    {
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var nfd = "Nguyễn Thị Hồng Nhung".Normalize(NormalizationForm.FormD);
        var (client, profile) = await App.RegisterAsync(TestData.Registration("0912000111", unit, name: nfd));
        using var _client = client;
        using var admin = await App.CreateOrganizerClientAsync();
        (await admin.PostAsJsonAsync("/api/organizer/invitations", new { email = "nfd@nq66.test", name = "Lê Văn Định".Normalize(NormalizationForm.FormD), role = "question-author" })).EnsureSuccessStatusCode();

        await using var db = App.OpenConnection();
        Assert.Equal("Nguyễn Thị Hồng Nhung", await db.ExecuteScalarAsync<string>("SELECT full_name FROM participants WHERE id = @Id", new { profile.Id }));
        Assert.True((await db.ExecuteScalarAsync<string>("SELECT full_name FROM participants WHERE id = @Id", new { profile.Id }))!.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("Lê Văn Định", await db.ExecuteScalarAsync<string>("SELECT name FROM organizer_invitations WHERE email = 'nfd@nq66.test'"));
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_Vietnamese_415_and_broken_utf16_in_json_is_a_400_not_a_crash()
    {
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var client = App.CreateClient();
        var json = JsonSerializer.Serialize(TestData.Registration("0912000222", unit), Web);

        using var text = await client.PostAsync("/api/participants/register", new StringContent(json, Encoding.UTF8, "text/plain"));
        using var form = await client.PostAsync("/api/organizer/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "a@b.vn", ["password"] = "x" }));
        using var xml = await client.PostAsync("/api/participants/sign-in", new StringContent("<signIn/>", Encoding.UTF8, "application/xml"));
        // "\ud800" is legal JSON and decodes to half a surrogate pair, which NFC normalisation cannot take.
        using var surrogate = await client.PostAsync("/api/participants/register",
            new StringContent(json.Replace("\"fullName\":\"", "\"fullName\":\"\\ud800", StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        foreach (var response in new[] { text, form, xml })
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.TryGetProperty("detail", out _), problem.ToString());
            Assert.Equal("Nội dung phải gửi dưới dạng JSON (Content-Type: application/json).", problem.GetProperty("title").GetString());
            Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.BadRequest, surrogate.StatusCode);
        var refused = await surrogate.Content.ReadAsStringAsync();
        Assert.Contains("fullName", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_frame_over_the_size_limit_closes_the_connection_and_nothing_is_stored()
    {
        await using var player = new LivePlayer(App.BaseAddress);
        await player.Connection.StartAsync();
        var closed = new TaskCompletionSource<Exception?>();
        player.Connection.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };

        var call = player.Connection.InvokeAsync<JoinResult>(LivePlayerMethods.Join, new JoinRequest("123456", new string('x', LiveRoundsModule.MaxMessageBytes * 2)));

        await Assert.ThrowsAnyAsync<Exception>(() => call);
        Assert.Same(closed.Task, await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(HubConnectionState.Disconnected, player.Connection.State);
        await using var db = App.OpenConnection();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM live_players"));
    }
}
