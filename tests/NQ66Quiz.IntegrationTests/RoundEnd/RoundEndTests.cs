using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Attempts;

namespace NQ66Quiz.IntegrationTests.RoundEnd;

/// <summary>An organizer ends a running round early: recorded, no new attempts, open ones keep the grace and close with what was saved.</summary>
public sealed class RoundEndTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    [Fact]
    public async Task Ending_a_round_early_records_who_and_when_keeps_the_grace_and_closes_open_attempts_with_what_was_saved()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var hk = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var (a, _) = await App.RegisterAsync(TestData.Registration("0912345671", hk));
        var (b, _) = await App.RegisterAsync(TestData.Registration("0912345672", hk, name: "Trần Thị Bình"));
        var (c, _) = await App.RegisterAsync(TestData.Registration("0912345673", hk, name: "Lê Văn Cường"));
        var paperA = await a.StartAsync(round.Id);
        var paperB = await b.StartAsync(round.Id);
        await App.AnswerAsync(a, paperA, right: 1);
        await App.AnswerAsync(b, paperB, right: 2);
        App.Clock.Advance(TimeSpan.FromSeconds(30));

        using var ended = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/end", null);
        var body = await ended.Content.ReadFromJsonAsync<JsonElement>();
        using var again = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/end", null);
        using var late = await c.PostAsync($"/api/rounds/{round.Id}/attempts", null);
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        using var inGrace = await a.SubmitAsync(paperA.Id, prediction: 3);
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        await App.Service<AttemptExpiry>().CloseDueAsync();

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(2, body.GetProperty("openAttempts").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inGrace.StatusCode);
        await using var connection = App.OpenConnection();
        var record = await connection.QuerySingleAsync<(string By, DateTime At, DateTime Closes, DateTime Planned)>(
            "SELECT ended_early_by, ended_early_at, closes_at, planned_closes_at FROM contest_rounds WHERE id = @Id", new { round.Id });
        // The named account that ended it (AppFixture.EnsureAdminAsync), not a shared "Ban tổ chức".
        Assert.Equal("Quản trị Thành phố", record.By);
        Assert.Equal(record.At, record.Closes);
        Assert.Equal(round.ClosesAt.UtcDateTime, record.Planned);
        var attempts = (await connection.QueryAsync<(long Id, string Status, int Score)>("SELECT id, status, score FROM attempts ORDER BY id")).ToList();
        Assert.Equal([(paperA.Id, AttemptStatus.Submitted, 1), (paperB.Id, AttemptStatus.Expired, 2)], attempts);
        foreach (var client in new[] { a, b, c, organizer })
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task The_console_asks_before_ending_and_publishing_and_shows_disabled_buttons_as_disabled()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        organizer.Dispose();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync($"/to-chuc/dang-nhap?ReturnUrl=/to-chuc/cuoc-thi/tuan/{round.Id}");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
            await page.WaitForURLAsync($"**/to-chuc/cuoc-thi/tuan/{round.Id}");

            var publish = page.GetByRole(AriaRole.Button, new() { Name = "Công bố kết quả" });
            await Assertions.Expect(publish).ToBeDisabledAsync();
            Assert.Equal("rgb(201, 201, 201)", await publish.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận kết thúc" })).ToBeHiddenAsync();
            await page.GetByText("Kết thúc tuần thi ngay").ClickAsync();
            await Assertions.Expect(page.Locator("#end-round .confirm-body")).ToContainTextAsync("Việc này không hoàn tác được.");
            await Screenshots.KeepAsync(page, "organizer-end-round-confirm");
            await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận kết thúc" }).ClickAsync();
            await Assertions.Expect(page.Locator("#ended-early")).ToContainTextAsync("bởi Quản trị Thành phố");

            // Past the grace the round closes; publishing then asks first, with the winner count and the public view.
            App.Clock.Advance(TimeSpan.FromSeconds(15));
            await page.GetByRole(AriaRole.Button, new() { Name = "Tính kết quả" }).ClickAsync();
            await page.GetByText("Công bố kết quả…").ClickAsync();
            await Assertions.Expect(page.Locator("#winner-count")).ToHaveTextAsync("0 người đoạt giải");
            await Screenshots.KeepAsync(page, "organizer-publish-confirm");
            await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận công bố" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Đã công bố kết quả" })).ToBeDisabledAsync();
            await Screenshots.KeepAsync(page, "organizer-published");
        }, width: 1280);
    }
}
