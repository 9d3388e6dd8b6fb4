using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.IntegrationTests.Attempts;

/// <summary>
/// The key and explanations reach a participant only when the contest's setting says so; before that, the result (page,
/// result API and the submission's answer) carries score, time, rank so far, attempts left and the wrong question numbers.
/// </summary>
public sealed class AnswerRevealTests(AppFixture app) : ContestTest(app)
{
    private async Task<HttpClient> ParticipantAsync(string phone = "0912345678") =>
        (await App.RegisterAsync(TestData.Registration(phone, await App.UnitIdAsync("Phường Hoàn Kiếm")))).Client;

    /// <summary>Takes one attempt (2 of 4 right) and returns the raw submission answer, result API payload and result page.</summary>
    private async Task<(JsonElement Submitted, JsonElement Result, string Page)> TakeAsync(HttpClient client, long roundId)
    {
        var paper = await client.StartAsync(roundId);
        await App.AnswerAsync(client, paper, right: 2);
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        using var submit = await client.SubmitAsync(paper.Id, 5);
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        var submitted = await submit.Content.ReadFromJsonAsync<JsonElement>();
        var result = await client.GetFromJsonAsync<JsonElement>($"/api/attempts/{paper.Id}/result");
        var page = await client.GetStringAsync($"/cuoc-thi/luot-thi/{paper.Id}/ket-qua");
        return (submitted, result, page);
    }

    /// <summary>Every property name and string value, unescaped (the raw JSON escapes Vietnamese letters).</summary>
    public static string AllText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => string.Join("\n", e.EnumerateObject().Select(p => p.Name + "\n" + AllText(p.Value))),
        JsonValueKind.Array => string.Join("\n", e.EnumerateArray().Select(AllText)),
        JsonValueKind.String => e.GetString()!,
        _ => e.GetRawText(),
    };

    private static void AssertNoKey(JsonElement payload)
    {
        var raw = AllText(payload);
        Assert.False(payload.GetProperty("answersShown").GetBoolean());
        Assert.Equal(0, payload.GetProperty("questions").GetArrayLength());
        Assert.DoesNotContain("correct", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("explanation", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Giải thích", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Đáp án q", raw, StringComparison.Ordinal);
    }

    private static void AssertNoKey(string page)
    {
        Assert.DoesNotContain("đáp án đúng", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Giải thích q", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Đáp án q", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_key_waits_for_the_round_to_close_while_the_result_shows_score_rank_attempts_left_and_wrong_numbers()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4, attempts: 3, length: TimeSpan.FromDays(2)));
        using var client = await ParticipantAsync();

        var (submitted, result, page) = await TakeAsync(client, round.Id);

        foreach (var payload in new[] { submitted, result })
        {
            AssertNoKey(payload);
            Assert.Equal((2, 4, 30_000), (payload.GetProperty("score").GetInt32(), payload.GetProperty("questionCount").GetInt32(), payload.GetProperty("durationMs").GetInt32()));
            Assert.Equal([3, 4], payload.GetProperty("wrongPositions").EnumerateArray().Select(p => p.GetInt32()));
            Assert.Equal(2, payload.GetProperty("attemptsLeft").GetInt32());
            Assert.Equal(1, payload.GetProperty("rankSoFar").GetInt64());
            Assert.Contains("khi tuần thi kết thúc", payload.GetProperty("answersPending").GetString(), StringComparison.Ordinal);
        }
        AssertNoKey(page);
        Assert.Contains("Các câu trả lời chưa đúng: 3, 4.", page, StringComparison.Ordinal);
        Assert.Contains("Bạn còn 2 lượt thi", page, StringComparison.Ordinal);

        // Closed, and past the submit grace: now the key and explanations are there.
        App.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var after = await client.GetFromJsonAsync<AttemptResult>($"/api/attempts/{result.GetProperty("id").GetInt64()}/result");
        var afterPage = await client.GetStringAsync($"/cuoc-thi/luot-thi/{result.GetProperty("id").GetInt64()}/ket-qua");
        Assert.True(after!.AnswersShown);
        Assert.Equal(4, after.Questions.Count);
        Assert.All(after.Questions, q => Assert.Single(q.Options, o => o.Correct));
        Assert.Equal(0, after.AttemptsLeft);
        Assert.Contains("đáp án đúng", afterPage, StringComparison.Ordinal);
        Assert.Contains("Giải thích q", afterPage, StringComparison.Ordinal);
        organizer.Dispose();
    }

    [Fact]
    public async Task After_the_last_attempt_setting_shows_the_key_once_no_attempt_is_left()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4, attempts: 2),
            answersShown: AnswerReveal.AfterLastAttempt);
        using var client = await ParticipantAsync();

        var (firstSubmitted, firstResult, firstPage) = await TakeAsync(client, round.Id);
        var (lastSubmitted, _, lastPage) = await TakeAsync(client, round.Id);
        var firstAgain = await client.GetFromJsonAsync<JsonElement>($"/api/attempts/{firstResult.GetProperty("id").GetInt64()}/result");

        AssertNoKey(firstSubmitted);
        AssertNoKey(firstResult);
        AssertNoKey(firstPage);
        Assert.Contains("sau lượt thi cuối cùng của bạn", firstResult.GetProperty("answersPending").GetString(), StringComparison.Ordinal);
        Assert.True(lastSubmitted.GetProperty("answersShown").GetBoolean());
        Assert.Equal(4, lastSubmitted.GetProperty("questions").GetArrayLength());
        Assert.Equal(0, lastSubmitted.GetProperty("attemptsLeft").GetInt32());
        Assert.True(firstAgain.GetProperty("answersShown").GetBoolean());
        Assert.Contains("Giải thích q", lastPage, StringComparison.Ordinal);
        organizer.Dispose();
    }

    [Fact]
    public async Task After_each_attempt_setting_shows_the_key_at_once_and_the_setting_is_checked_and_frozen_once_a_round_opens()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4),
            answersShown: AnswerReveal.AfterEachAttempt);
        using var client = await ParticipantAsync();

        var (submitted, _, page) = await TakeAsync(client, round.Id);
        using var unknown = await organizer.PostAsJsonAsync("/api/organizer/contests",
            TestData.Contest(contest.OrganizingUnitId, name: "Cuộc thi khác", answersShown: "never"));
        using var change = await organizer.PutAsJsonAsync($"/api/organizer/contests/{contest.Id}",
            TestData.Contest(contest.OrganizingUnitId) with { Slug = contest.Slug, AnswersShown = AnswerReveal.AfterRoundClose });

        Assert.True(submitted.GetProperty("answersShown").GetBoolean());
        Assert.Equal(4, submitted.GetProperty("questions").GetArrayLength());
        Assert.Contains("Giải thích q", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Thời điểm hiện đáp án \"never\" không có", AllText(await unknown.Content.ReadFromJsonAsync<JsonElement>()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Equal(AnswerReveal.AfterEachAttempt, (await organizer.GetFromJsonAsync<ContestView>($"/api/organizer/contests/{contest.Id}"))!.AnswersShown);
        organizer.Dispose();
    }
}
