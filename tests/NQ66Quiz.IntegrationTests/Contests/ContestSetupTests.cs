using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.IntegrationTests.Contests;

public sealed class ContestSetupTests(AppFixture app) : ContestTest(app)
{
    [Fact]
    public async Task Only_organizers_may_set_up_contests()
    {
        await App.LoadUnitsAsync();
        using var anonymous = App.CreateClient();

        using var response = await anonymous.PostAsJsonAsync("/api/organizer/contests", TestData.Contest(await App.UnitIdAsync("Sở Tư pháp")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_contest_is_created_with_its_rules_rendered_from_Markdown_and_a_slug_from_its_name()
    {
        await App.LoadUnitsAsync();
        using var organizer = await App.CreateOrganizerClientAsync();

        var contest = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), name: "  Tìm hiểu  Nghị quyết 66-NQ/TW năm 2026 "));
        using var anonymous = App.CreateClient();
        var read = await anonymous.GetFromJsonAsync<ContestView>($"/api/contests/{contest.Slug}");

        Assert.Equal("tim-hieu-nghi-quyet-66-nq-tw-nam-2026", contest.Slug);
        Assert.Equal("Tìm hiểu Nghị quyết 66-NQ/TW năm 2026", read!.Name);
        Assert.Equal("Sở Tư pháp", read.OrganizingUnitName);
        Assert.Contains("<strong>10 câu hỏi</strong>", read.DescriptionHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_HTML_in_the_rules_is_shown_as_text_not_run()
    {
        await App.LoadUnitsAsync();
        using var organizer = await App.CreateOrganizerClientAsync();

        var contest = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp")) with { DescriptionMd = "Thể lệ <script>alert(1)</script>" });

        Assert.DoesNotContain("<script>", contest.DescriptionHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_gets_the_default_prizes_its_question_count_from_the_blueprint_and_times_in_Vietnam_time()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(round: App.Round(questions: 5, opensIn: TimeSpan.FromDays(7), length: TimeSpan.FromDays(6.5)));

        Assert.Equal(1, round.Number);
        Assert.Equal(5, round.QuestionCount);
        Assert.Equal(App.Second(TimeSpan.FromDays(7)), round.OpensAt);
        Assert.Equal(App.Second(TimeSpan.FromDays(13.5)), round.ClosesAt);
        Assert.Equal(Prizes.Default, round.PrizeStructure);
        Assert.Equal(RoundStatus.Scheduled, round.StatusAt(App.Clock.GetUtcNow()));
        Assert.Equal(contest.Id, round.ContestId);
        organizer.Dispose();
    }

    [Fact]
    public async Task A_blueprint_the_bank_cannot_fill_is_refused_with_what_is_missing()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync(questions: 8);

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/contests/{contest.Id}/rounds",
            App.Round() with { Blueprint = [new BlueprintLine(3, Viewpoint: 2), new BlueprintLine(1, Task: 7)] });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("settings");
        Assert.Equal("Ngân hàng câu hỏi chưa đủ cho cấu trúc đề: dòng 1 (3 câu quan điểm 2) chỉ có 2 câu; dòng 2 (1 câu nhiệm vụ 7) chỉ có 0 câu. "
            + "Bổ sung câu hỏi hoặc giảm số câu.", errors[0].GetString());
        organizer.Dispose();
    }

    [Fact]
    public async Task Bad_round_settings_are_all_reported_and_nothing_is_stored()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync();

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/contests/{contest.Id}/rounds",
            new RoundRequest("thứ hai", App.At(TimeSpan.FromDays(7)), 90, 0, []));
        var read = await organizer.GetFromJsonAsync<ContestView>($"/api/organizer/contests/{contest.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("settings");
        Assert.StartsWith("Giờ mở \"thứ hai\" không đúng dạng", errors[0].GetString(), StringComparison.Ordinal);
        Assert.Single(read!.Rounds);
        organizer.Dispose();
    }

    [Fact]
    public async Task Once_a_round_has_opened_its_blueprint_and_time_limit_are_frozen_but_its_closing_may_be_extended()
    {
        var request = App.Round(opensIn: TimeSpan.FromHours(1)) with { TimeLimitMinutes = 15 };
        var (organizer, _, round) = await App.OpenRoundAsync(round: request);
        var later = App.At(TimeSpan.FromDays(8));
        var laterInstant = App.Second(TimeSpan.FromDays(8));

        using var beforeOpening = await organizer.PutAsJsonAsync($"/api/organizer/rounds/{round.Id}", request);
        App.Clock.Advance(TimeSpan.FromHours(1));
        using var changeWhileOpen = await organizer.PutAsJsonAsync($"/api/organizer/rounds/{round.Id}", request with { TimeLimitMinutes = 20, Blueprint = [new BlueprintLine(5)] });
        using var extend = await organizer.PutAsJsonAsync($"/api/organizer/rounds/{round.Id}", request with { ClosesAt = later });
        var stored = await organizer.GetFromJsonAsync<RoundView>($"/api/organizer/rounds/{round.Id}");

        Assert.Equal(HttpStatusCode.OK, beforeOpening.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changeWhileOpen.StatusCode);
        Assert.Contains("không thể đổi cấu trúc đề, thời gian làm bài", (await changeWhileOpen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
        Assert.Equal((900, 4), (stored!.TimeLimitSeconds, stored.QuestionCount));
        Assert.Equal(laterInstant, stored.ClosesAt);
        organizer.Dispose();
    }

    [Fact]
    public async Task Once_a_round_has_opened_the_prediction_question_cannot_change()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync();

        using var response = await organizer.PutAsJsonAsync($"/api/organizer/contests/{contest.Id}",
            TestData.Contest(contest.OrganizingUnitId, predictionKind: PredictionKinds.Entries));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        organizer.Dispose();
    }
}
