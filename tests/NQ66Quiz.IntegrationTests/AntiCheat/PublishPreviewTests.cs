using System.Net.Http.Json;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.IntegrationTests.AntiCheat;

/// <summary>
/// Issue 9, item 4 at 360 px: publishing a round asks first, with the number of winners, the number of flagged attempts
/// and a preview that is the public results page itself (the same partial, masked names) — after publishing, the public
/// page shows exactly what the preview showed.
/// </summary>
public sealed class PublishPreviewTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    [Fact]
    public async Task The_publish_confirmation_shows_winners_flags_and_the_public_page_as_it_will_be_at_360_px()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var (an, _) = await App.RegisterAsync(TestData.Registration("0912000101", unit, "Nguyễn Văn An"));
        var (binh, _) = await App.RegisterAsync(TestData.Registration("0912000102", unit, "Lê Thị Bình", publish: false));
        var (khoa, _) = await App.RegisterAsync(TestData.Registration("0912000103", unit, "Phạm Minh Khoa"));
        await App.TakeAsync(an, round.Id, right: 4, takes: TimeSpan.FromMinutes(4));
        await App.TakeAsync(binh, round.Id, right: 3, takes: TimeSpan.FromMinutes(3));
        // Four answers in one second: faster than the questions can be read.
        await App.TakeAsync(khoa, round.Id, right: 2, takes: TimeSpan.FromSeconds(1));
        App.Clock.Advance(TimeSpan.FromDays(8));
        // A week later the organizer signs in again (an organizer session lasts at most 12 hours).
        organizer.Dispose();
        organizer = await App.CreateOrganizerClientAsync();
        using (var close = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null)) { Assert.True(close.IsSuccessStatusCode); }
        var winners = (await organizer.GetFromJsonAsync<NQ66Quiz.Web.Features.Contests.RoundResultsView>($"/api/organizer/rounds/{round.Id}/results"))!
            .Rows.Count(r => r.PrizeName is not null);
        Assert.True(winners >= 2, $"{winners} winners");
        foreach (var c in new[] { an, binh, khoa, organizer })
        {
            c.Dispose();
        }

        string previewWinners = "";
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync($"/to-chuc/dang-nhap?ReturnUrl=/to-chuc/cuoc-thi/tuan/{round.Id}");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
            await page.WaitForURLAsync($"**/to-chuc/cuoc-thi/tuan/{round.Id}");

            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận công bố" })).ToBeHiddenAsync();
            await page.GetByText("Công bố kết quả…").ClickAsync();
            await Assertions.Expect(page.Locator("#winner-count")).ToHaveTextAsync($"{winners} người đoạt giải");
            await Assertions.Expect(page.Locator("#flag-count")).ToHaveTextAsync("1 lượt thi cần xem lại (1 người)");
            var preview = page.Locator("#publish-preview");
            // The public page's own sections, with masked names and the hidden one for the winner who did not consent.
            await Assertions.Expect(preview.Locator("h2").First).ToHaveTextAsync("Thống kê");
            await Assertions.Expect(preview.Locator("#winners")).ToContainTextAsync(PersonName.Mask("Nguyễn Văn An"));
            await Assertions.Expect(preview.Locator("#winners")).ToContainTextAsync(LeaderboardReader.Hidden);
            await Assertions.Expect(preview).Not.ToContainTextAsync("Nguyễn Văn An");
            await Assertions.Expect(preview).Not.ToContainTextAsync("Lê Thị Bình");
            await Assertions.Expect(preview).Not.ToContainTextAsync("0912000101");
            // Nothing wider than a phone.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                "the confirmation fits 360 px without scrolling sideways");
            previewWinners = await preview.Locator("#winners").InnerTextAsync();
            await preview.ScrollIntoViewIfNeededAsync();
            await Screenshots.KeepAsync(page, "organizer-publish-preview-360");

            // The flag list with its reason, on the same page.
            await Assertions.Expect(page.Locator("#flags li")).ToContainTextAsync("Phạm Minh Khoa");
            await Assertions.Expect(page.Locator("#flags li")).ToContainTextAsync("Trả lời nhanh hơn tốc độ đọc");

            await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận công bố" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Đã công bố kết quả" })).ToBeDisabledAsync();

            await page.GotoAsync($"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/ket-qua");
            Assert.Equal(previewWinners, await page.Locator("#winners").InnerTextAsync());
            await Screenshots.KeepAsync(page, "public-round-results-360");
        });
    }
}
