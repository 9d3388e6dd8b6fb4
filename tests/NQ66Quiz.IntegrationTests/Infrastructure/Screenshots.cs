using Microsoft.Playwright;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>Screenshots kept as test artefacts (next to the failure screenshots), for a person to look at the pages.</summary>
public static class Screenshots
{
    public static async Task KeepAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png"), FullPage = true });
    }
}
