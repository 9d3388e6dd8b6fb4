using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Browser;

public sealed class HomePageTests(AppFixture app, BrowserFixture browser) : IntegrationTest(app)
{
    [Fact]
    public Task Home_page_renders_in_Vietnamese_on_a_360px_phone_without_sideways_scrolling() =>
        browser.RunAsync(App.BaseAddress, async page =>
        {
            var response = await page.GotoAsync("/");

            Assert.True(response!.Ok);
            Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));
            Assert.Equal("Tìm hiểu Nghị quyết số 66-NQ/TW", (await page.Locator("h1").InnerTextAsync()).Trim());
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tham gia cuộc thi" })).ToBeVisibleAsync();
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 360, $"page is {scrollWidth}px wide at a 360px viewport");
        });
}
