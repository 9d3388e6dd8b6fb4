using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright. The browser is never downloaded: the test command installs the Debian
/// package, and a missing binary fails the run with a message rather than skipping.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Browser tests need Chromium at {ChromiumPath}: `apt-get install -y chromium` (the test command does this).");
        }
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    /// <summary>A fresh context (cookies, storage) at a phone's width; a screenshot is kept when the body throws.</summary>
    public async Task RunAsync(Uri baseAddress, Func<IPage, Task> body, int width = 360, [CallerMemberName] string test = "")
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 780 },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
        });
        var page = await context.NewPageAsync();
        // Generous waits: two cores shared by the app, PostgreSQL, Redis and Chromium make a page now and then take
        // seconds under a full test run. These are limits for a hung page, not speed assertions.
        page.SetDefaultTimeout(30_000);
        page.SetDefaultNavigationTimeout(30_000);
        try
        {
            await body(page);
        }
        catch
        {
            Directory.CreateDirectory(ScreenshotFolder);
            var file = Path.Combine(ScreenshotFolder, $"{test}-{DateTime.UtcNow:HHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            Console.Error.WriteLine($"Browser test {test} failed; screenshot: {file}");
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
