using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Contests;

/// <summary>The README's "Contests: the participant path", request for request, with the same JSON bodies.</summary>
public sealed class ReadmePathTests(AppFixture app) : ContestTest(app)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Register_start_save_submit_result_leaderboard_as_the_README_walks_it()
    {
        await App.LoadUnitsAsync();
        await App.ImportQuestionsAsync(Enumerable.Range(1, 20).Select(i => TestData.Question($"demo-{i:00}", Viewpoints: [1 + i % 5], Tasks: [1 + i % 7],
            Difficulty: (i % 3) switch { 0 => "easy", 1 => "medium", _ => "hard" })));
        await App.EnsureAdminAsync();
        using var org = App.CreateClient();
        using var me = App.CreateClient();

        // Organizer.
        using (var signIn = await org.PostAsync("/api/organizer/sign-in", Json($$"""{"email":"{{AppFixture.OrganizerEmail}}","password":"{{AppFixture.OrganizerPassword}}"}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }
        // The city admin's second factor (oathtool in the README; Otp.NET here computes the same RFC 6238 code).
        var secret = (await ReadAsync(await org.PostAsync("/api/organizer/me/second-factor", null))).GetProperty("secret").GetString()!;
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret));
        var recovery = await ReadAsync(await org.PostAsync("/api/organizer/me/second-factor/confirm", Json($$"""{"code":"{{totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime)}}"}""")));
        Assert.Equal(10, recovery.GetProperty("codes").GetArrayLength());
        var unit = (await org.GetFromJsonAsync<JsonElement>("/api/units?q=so%20tu%20phap"))[0].GetProperty("id").GetInt32();
        var contest = (await ReadAsync(await org.PostAsync("/api/organizer/contests", Json(
            $$"""{"name":"Tìm hiểu Nghị quyết 66-NQ/TW","descriptionMd":"Mỗi tuần thi có **10 câu hỏi** và 1 câu hỏi dự đoán.","organizingUnitId":{{unit}}}"""))))
            .GetProperty("id").GetInt64();
        var round = (await ReadAsync(await org.PostAsync($"/api/organizer/contests/{contest}/rounds", Json(
            $$"""
            {"opensAt":"{{App.At(TimeSpan.Zero)}}","closesAt":"{{App.At(TimeSpan.FromDays(7))}}","timeLimitMinutes":10,"attemptsAllowed":3,
             "blueprint":[{"count":6},{"count":2,"viewpoint":1},{"count":2,"difficulty":"hard"}]}
            """)))).GetProperty("id").GetInt64();

        // Participant.
        var hk = (await me.GetFromJsonAsync<JsonElement>("/api/units?q=hoan%20kiem"))[0].GetProperty("id").GetInt32();
        var profile = await ReadAsync(await me.PostAsync("/api/participants/register", Json(
            $$"""
            {"fullName":"Nguyễn Văn An","dateOfBirth":"15/04/1990","phone":"0912 345 678","unitId":{{hk}},"participantType":"citizen",
             "password":"mat-khau-an-toan","consentParticipation":true,"consentPublishIfWinner":true}
            """)));
        Assert.Equal(("Nguyễn Văn An", "0912345678", "Phường Hoàn Kiếm"),
            (profile.GetProperty("fullName").GetString(), profile.GetProperty("phone").GetString(), profile.GetProperty("unitName").GetString()));

        var paper = await ReadAsync(await me.PostAsync($"/api/rounds/{round}/attempts", null));
        var attempt = paper.GetProperty("id").GetInt64();
        Assert.Equal(600, paper.GetProperty("remainingSeconds").GetInt32());
        Assert.Equal(10, paper.GetProperty("questions").GetArrayLength());
        Assert.DoesNotContain("correct", paper.GetRawText(), StringComparison.OrdinalIgnoreCase);
        foreach (var position in paper.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("position").GetInt32()))
        {
            var saved = await ReadAsync(await me.PutAsync($"/api/attempts/{attempt}/answers/{position}", Json("""{"choices":[0]}""")));
            Assert.Equal(position, saved.GetProperty("position").GetInt32());
        }

        App.Clock.Advance(TimeSpan.FromSeconds(47));
        var submitted = await ReadAsync(await me.PostAsync($"/api/attempts/{attempt}/submit", Json("""{"prediction":120}""")));
        using var again = await me.PostAsync($"/api/attempts/{attempt}/submit", Json("""{"prediction":120}"""));
        var result = await me.GetFromJsonAsync<JsonElement>($"/api/attempts/{attempt}/result");
        var board = await me.GetFromJsonAsync<JsonElement>($"/api/rounds/{round}/leaderboard?top=10");

        Assert.Equal(("submitted", 10, 47_000, true), (submitted.GetProperty("status").GetString(), submitted.GetProperty("questionCount").GetInt32(),
            submitted.GetProperty("durationMs").GetInt32(), submitted.GetProperty("isBest").GetBoolean()));
        var score = submitted.GetProperty("score").GetInt32();
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.StartsWith("Lượt thi này đã được nộp lúc", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        // The round is open and 2 attempts remain: no key yet, only which questions were wrong.
        Assert.Equal((false, 2, 0), (result.GetProperty("answersShown").GetBoolean(), result.GetProperty("attemptsLeft").GetInt32(),
            result.GetProperty("questions").GetArrayLength()));
        Assert.Equal(10 - score, result.GetProperty("wrongPositions").GetArrayLength());
        Assert.DoesNotContain("correct", result.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("live", 1L), (board.GetProperty("board").GetString(), board.GetProperty("total").GetInt64()));
        var mine = board.GetProperty("me");
        Assert.Equal((1, "Nguyễn V. A.", "Phường Hoàn Kiếm", score, 47_000), (mine.GetProperty("rank").GetInt32(), mine.GetProperty("name").GetString(),
            mine.GetProperty("unitName").GetString(), mine.GetProperty("score").GetInt32(), mine.GetProperty("durationMs").GetInt32()));
    }
}
