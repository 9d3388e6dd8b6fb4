using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.LiveRounds;

namespace NQ66Quiz.IntegrationTests.LiveRounds;

public sealed class LiveBrowserTests(AppFixture app, BrowserFixture browser) : IntegrationTest(app)
{
    [Fact]
    public async Task The_host_opens_a_round_two_phones_join_by_PIN_and_answer_and_the_projector_shows_the_leaderboard_and_podium()
    {
        await App.SeedLiveQuestionsAsync(1);
        var organizer = await App.CreateOrganizerClientAsync();
        var roundId = await organizer.CreateLiveRoundAsync(new CreateLiveRoundRequest("Tọa đàm tại phường", ["live-01"], null));
        // The organizer's cookies (session, and the device cookie of the sign-in throttle) carried into the host's browser.
        var cookies = App.BrowserCookies(organizer);
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, $"live-{name}.png");

        await browser.RunAsync(App.BaseAddress, async host =>
        {
            await host.Context.AddCookiesAsync(cookies);
            await host.GotoAsync($"/to-chuc/truc-tiep/{roundId}");
            await host.GetByRole(AriaRole.Button, new() { Name = "Mở phòng" }).ClickAsync();
            await Assertions.Expect(host.Locator("#pin")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{6}$"));
            var pin = await host.Locator("#pin").TextContentAsync();
            var projector = await host.Context.NewPageAsync();
            await projector.GotoAsync($"/to-chuc/truc-tiep/{roundId}/trinh-chieu");
            await Assertions.Expect(projector.Locator("#pin")).ToHaveTextAsync(pin!);

            await using var phoneA = await Phone();
            await using var phoneB = await Phone();
            var a = await phoneA.NewPageAsync();
            var b = await phoneB.NewPageAsync();
            foreach (var (page, name) in new[] { (a, "Lan"), (b, "Minh") })
            {
                await page.GotoAsync($"/truc-tiep?pin={pin}");
                await page.GetByLabel("Tên hiển thị").FillAsync(name);
                await page.GetByRole(AriaRole.Button, new() { Name = "Vào phòng" }).ClickAsync();
                await Assertions.Expect(page.Locator(".live-wait")).ToContainTextAsync("Bạn đã vào phòng");
            }
            // The lobby reaches the host on the next tick (the tests' clock does not tick by itself).
            await App.Service<LiveEngine>().TickAsync();
            await Assertions.Expect(host.Locator("#lobby")).ToContainTextAsync("Lan");
            await Assertions.Expect(host.Locator("#count")).ToHaveTextAsync("2");

            await host.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu" }).ClickAsync();
            await Assertions.Expect(a.Locator(".live-qhead")).ToHaveTextAsync("Câu 1/1");
            await Assertions.Expect(projector.Locator(".live-qhead")).ToHaveTextAsync("Câu 1/1");
            var key = await App.CorrectOptionAsync(roundId, 1);
            await a.ScreenshotAsync(new() { Path = Shot("phone-question"), FullPage = true });
            var scrollWidth = await a.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 360, $"player page is {scrollWidth}px wide at 360px");
            await a.Locator($".live-option[data-option=\"{key}\"]").ClickAsync();
            await Assertions.Expect(a.Locator("#note")).ToHaveTextAsync("Đã ghi nhận câu trả lời. Chờ kết quả…");
            await b.Locator($".live-option[data-option=\"{LiveDriver.Wrong(key)}\"]").ClickAsync();

            // Both answered: the question closes; each phone sees its own result, the projector the distribution and top 10.
            await Assertions.Expect(a.Locator(".live-verdict")).ToHaveTextAsync("Chính xác!");
            await Assertions.Expect(b.Locator(".live-verdict")).ToHaveTextAsync("Chưa đúng.");
            await Assertions.Expect(a.Locator(".live-rank")).ToHaveTextAsync("Hạng 1/2");
            // The room's board is sent before each phone's own outcome: both stay on the phone, the board under the outcome.
            await Assertions.Expect(b.Locator(".live-board-slot .live-board").First).ToContainTextAsync("1. Lan — 1.000");
            await Assertions.Expect(a.Locator(".live-board-slot .live-board").First).ToContainTextAsync("2. Minh — 0");
            await Assertions.Expect(projector.Locator(".live-board").First).ToContainTextAsync("1. Lan — 1.000");
            await Assertions.Expect(projector.Locator(".live-distribution li.correct")).ToContainTextAsync("1 ✓");
            await a.ScreenshotAsync(new() { Path = Shot("phone-outcome"), FullPage = true });
            await projector.ScreenshotAsync(new() { Path = Shot("projector-leaderboard"), FullPage = true });

            await host.GetByRole(AriaRole.Button, new() { Name = "Câu tiếp theo" }).ClickAsync();
            await Assertions.Expect(projector.Locator(".live-podium li.place-1")).ToHaveTextAsync("1. Lan — 1.000 điểm");
            await Assertions.Expect(b.Locator(".live-rank")).ToHaveTextAsync("Bạn xếp hạng 2/2");
            await Assertions.Expect(host.Locator("#results-body tr")).ToHaveCountAsync(2);
            await projector.ScreenshotAsync(new() { Path = Shot("projector-podium"), FullPage = true });
            await b.ScreenshotAsync(new() { Path = Shot("phone-final"), FullPage = true });
        }, width: 1280);
    }

    private Task<IBrowserContext> Phone() => browser.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = App.BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 360, Height = 780 },
        Locale = "vi-VN",
    });
}
