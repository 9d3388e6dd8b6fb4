using System.Net;
using System.Text;
using Dapper;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Certificates;
using NQ66Quiz.Web.Features.UnitRankings;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace NQ66Quiz.IntegrationTests.UnitRankings;

/// <summary>
/// A small generated contest (600 people, 10 units with 2 sub-units each) with rounds 1–2 and the collective ranking
/// published, shared by these tests: certificates (PDF text read back with PdfPig) and their verification, and the
/// pages in Chromium at 360 px — public unit ranking, a unit's page, the widget framed by another origin.
/// </summary>
public sealed class UnitPagesAndCertificatesTests(AppFixture app, BrowserFixture browser) : IntegrationTest(app)
{
    private static Generated? _data;
    private static string? _database;

    private static Generated Data => _data!;

    public override async Task InitializeAsync()
    {
        await using (var connection = App.OpenConnection())
        {
            if (_data is not null && _database == App.DatabaseName
                && await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM unit_ranking_settings WHERE contest_id = @ContestId AND published_at IS NOT NULL)", _data))
            {
                return;
            }
        }
        await App.ResetAsync();
        var data = await GeneratedContest.CreateAsync(App, participants: 600, topUnits: 10, subUnitsEach: 2, slug: "thi-nho");
        using var organizer = await App.CreateOrganizerClientAsync();
        foreach (var step in new[] { "compute", "publish" })
        {
            using var response = await organizer.PostAsync(new Uri($"/api/organizer/unit-rankings/contests/{data.ContestId}/ranking/{step}", UriKind.Relative), null);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        (_data, _database) = (data, App.DatabaseName);
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => p.Text)).Normalize(NormalizationForm.FormC);
    }

    private async Task<(long RoundId, long ParticipantId, string Name, string Unit, string Prize)> WinnerAsync(int roundIndex, string prize = "nhat")
    {
        await using var connection = App.OpenConnection();
        return await connection.QuerySingleAsync<(long, long, string, string, string)>("""
            SELECT rr.round_id, rr.participant_id, p.full_name, u.name, rr.prize_name
            FROM round_results rr JOIN participants p ON p.id = rr.participant_id JOIN units u ON u.id = rr.unit_id
            WHERE rr.round_id = @round AND rr.prize_code = @prize
            """, new { round = Data.RoundIds[roundIndex], prize });
    }

    [Fact]
    public async Task Individual_and_collective_certificates_carry_name_unit_prize_contest_and_a_code_that_verifies()
    {
        using var organizer = await App.CreateOrganizerClientAsync();
        var winner = await WinnerAsync(0);
        var url = new Uri($"/api/organizer/unit-rankings/rounds/{winner.RoundId}/participants/{winner.ParticipantId}/certificate.pdf", UriKind.Relative);
        using var response = await organizer.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("GIẤY CHỨNG NHẬN", text, StringComparison.Ordinal);
        Assert.Contains(winner.Name, text, StringComparison.Ordinal);
        Assert.Contains(winner.Unit, text, StringComparison.Ordinal);
        Assert.Contains("đã đạt Giải Nhất", text, StringComparison.Ordinal);
        Assert.Contains("Tuần thi thứ 1", text, StringComparison.Ordinal);
        Assert.Contains("Cuộc thi tổng hợp Nghị quyết 66", text, StringComparison.Ordinal);
        Assert.Contains("Cộng hòa xã hội chủ nghĩa Việt Nam".ToUpperInvariant(), text.ToUpperInvariant(), StringComparison.Ordinal);
        var code = System.Text.RegularExpressions.Regex.Match(text, "Mã xác thực: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})").Groups[1].Value;
        Assert.NotEmpty(code);

        // The same winner always gets the same certificate.
        using var again = await organizer.GetAsync(url);
        Assert.Contains(code, PdfText(await again.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);

        // Verification: public, forgiving about case and dashes, with the name masked.
        using var visitor = App.CreateClient();
        var check = await visitor.GetOkAsync<CertificateCheck>($"/api/certificates/{code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}");
        Assert.Equal(code, check.Code);
        Assert.Equal("Giải Nhất", check.PrizeName);
        Assert.Equal(winner.Unit, check.UnitName);
        Assert.NotEqual(winner.Name, check.RecipientName);
        Assert.StartsWith("Nguyễn", check.RecipientName, StringComparison.Ordinal);
        using (var unknown = await visitor.GetAsync(new Uri("/api/certificates/AAAA-BBBB-CCCC", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // Round 3 is closed but not published: its winners get no certificate yet.
        var unpublished = await WinnerAsync(2);
        using (var early = await organizer.GetAsync(new Uri($"/api/organizer/unit-rankings/rounds/{unpublished.RoundId}/participants/{unpublished.ParticipantId}/certificate.pdf", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }

        // Collective: the unit with the first collective prize; a unit without a prize gets none.
        var ranking = await organizer.GetOkAsync<UnitRankingView>($"/api/organizer/unit-rankings/contests/{Data.ContestId}/ranking");
        var first = ranking.Rows.Single(r => r.PrizeCode == "nhat");
        using var collective = await organizer.GetAsync(new Uri($"/api/organizer/unit-rankings/contests/{Data.ContestId}/units/{first.UnitId}/certificate.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, collective.StatusCode);
        var collectiveText = PdfText(await collective.Content.ReadAsByteArrayAsync());
        Assert.Contains("chứng nhận tập thể", collectiveText, StringComparison.Ordinal);
        Assert.Contains(first.UnitName, collectiveText, StringComparison.Ordinal);
        Assert.Contains("đã đạt Giải Nhất", collectiveText, StringComparison.Ordinal);
        var none = ranking.Rows.First(r => r.PrizeCode is null);
        using (var noPrize = await organizer.GetAsync(new Uri($"/api/organizer/unit-rankings/contests/{Data.ContestId}/units/{none.UnitId}/certificate.pdf", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, noPrize.StatusCode);
        }

        // Published: no recompute, no new rule; the public page shows the prizes.
        using (var recompute = await organizer.PostAsync(new Uri($"/api/organizer/unit-rankings/contests/{Data.ContestId}/ranking/compute", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, recompute.StatusCode);
        }
        var published = await visitor.GetOkAsync<PublicUnitsView>($"/api/contests/{Data.Slug}/units");
        Assert.True(published.Published);
        Assert.Equal(["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Ba"], published.Ranking.Where(r => r.PrizeName is not null).Select(r => r.PrizeName));
    }

    [Fact]
    public async Task Report_and_certificate_downloads_and_the_winners_page_leave_audit_rows_with_account_target_and_outcome()
    {
        var unit = Data.TopUnitIds[2];
        using var organizer = await App.CreateOrganizerClientAsync(NQ66Quiz.Web.Features.Organizers.OrganizerRoles.UnitOrganizer, unit);
        using var admin = await App.CreateOrganizerClientAsync();
        await using var connection = App.OpenConnection();
        var accountId = await connection.ExecuteScalarAsync<long>("SELECT id FROM organizer_accounts WHERE unit_id = @unit AND role = 'unit-organizer' ORDER BY id DESC LIMIT 1", new { unit });
        var adminId = await connection.ExecuteScalarAsync<long>("SELECT id FROM organizer_accounts WHERE email = @OrganizerEmail", new { AppFixture.OrganizerEmail });
        var since = await connection.ExecuteScalarAsync<long>("SELECT coalesce(max(id), 0) FROM audit_log");
        var winner = await WinnerAsync(0);
        var prizeUnit = (await admin.GetOkAsync<UnitRankingView>($"/api/organizer/unit-rankings/contests/{Data.ContestId}/ranking")).Rows.First(r => r.PrizeCode is not null).UnitId;
        var c = Data.ContestId;
        var downloads = new (HttpClient Client, string Url, HttpStatusCode Status)[]
        {
            (organizer, $"/api/organizer/unit-rankings/contests/{c}/report.xlsx?unitId={unit}", HttpStatusCode.OK),
            (organizer, $"/api/organizer/unit-rankings/contests/{c}/report.xlsx?unitId={Data.TopUnitIds[3]}", HttpStatusCode.NotFound),
            (admin, $"/api/organizer/unit-rankings/contests/{c}/report.xlsx", HttpStatusCode.OK),
            (admin, $"/api/organizer/unit-rankings/rounds/{winner.RoundId}/participants/{winner.ParticipantId}/certificate.pdf", HttpStatusCode.OK),
            (admin, $"/api/organizer/unit-rankings/contests/{c}/units/{prizeUnit}/certificate.pdf", HttpStatusCode.OK),
            (admin, $"/to-chuc/xep-hang-don-vi/{c}", HttpStatusCode.OK),
            (admin, $"/api/organizer/rounds/{winner.RoundId}/flags", HttpStatusCode.OK),
        };
        foreach (var (client, url, status) in downloads)
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(status, response.StatusCode);
        }

        var rows = (await connection.QueryAsync<(long? AccountId, string Action, string Target, string Detail, string? Ip)>(
            "SELECT account_id, action, target, detail::text, host(ip) FROM audit_log WHERE id > @since ORDER BY id", new { since })).ToList();
        (long? AccountId, string Action, string Target, string Detail, string? Ip) Row(string target) => rows.Single(r => r.Target == target);
        var report = Row($"/api/organizer/unit-rankings/contests/{c}/report.xlsx?unitId={unit}");
        Assert.Equal((accountId, "GET /api/organizer/unit-rankings/contests/{contestId:long}/report.xlsx"), (report.AccountId, report.Action));
        Assert.Contains("\"status\": 200", report.Detail, StringComparison.Ordinal);
        Assert.NotNull(report.Ip);
        // A refused read is logged as what it was, for that account.
        var refusedRow = Row($"/api/organizer/unit-rankings/contests/{c}/report.xlsx?unitId={Data.TopUnitIds[3]}");
        Assert.Equal(accountId, refusedRow.AccountId);
        Assert.Contains("\"status\": 404", refusedRow.Detail, StringComparison.Ordinal);
        Assert.Equal(adminId, Row($"/api/organizer/unit-rankings/contests/{c}/report.xlsx").AccountId);
        var certificate = Row($"/api/organizer/unit-rankings/rounds/{winner.RoundId}/participants/{winner.ParticipantId}/certificate.pdf");
        Assert.Equal("GET /api/organizer/unit-rankings/rounds/{roundId:long}/participants/{participantId:long}/certificate.pdf", certificate.Action);
        Assert.Contains($"\"participantId\": \"{winner.ParticipantId}\"", certificate.Detail, StringComparison.Ordinal);
        Assert.Equal(adminId, Row($"/api/organizer/unit-rankings/contests/{c}/units/{prizeUnit}/certificate.pdf").AccountId);
        // The city's page lists winners by name: its reads are audited too, and so is the flag list (names, reasons).
        Assert.StartsWith("GET page /Organizer/UnitRankings/Index", Row($"/to-chuc/xep-hang-don-vi/{c}").Action, StringComparison.Ordinal);
        Assert.Equal(adminId, Row($"/api/organizer/rounds/{winner.RoundId}/flags").AccountId);
    }

    private static string Screenshot(string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        return Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png");
    }

    [Fact]
    public async Task Public_unit_ranking_page_draws_its_charts_and_keeps_the_tables_without_javascript()
    {
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync($"/cuoc-thi/{Data.Slug}/don-vi");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Xếp hạng đơn vị");
            await Expect(page.Locator(".chart-box canvas")).ToHaveCountAsync(2);
            await Expect(page.Locator("#top-by-rate")).ToHaveAttributeAsync("data-chart-ready", "true");
            await Expect(page.Locator("#unit-ranking tbody tr")).ToHaveCountAsync(10);
            await Expect(page.Locator("#unit-ranking")).ToContainTextAsync("Giải Nhất");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling at 360 px");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("units-public-contest-360"), FullPage = true });
        });

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 360, Height = 780 },
        });
        var noScript = await context.NewPageAsync();
        await noScript.GotoAsync($"/cuoc-thi/{Data.Slug}/don-vi");
        await Expect(noScript.Locator("canvas")).ToHaveCountAsync(0);
        await Expect(noScript.Locator("#top-by-rate tbody tr")).ToHaveCountAsync(10);
        await Expect(noScript.Locator("#over-time tbody tr").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Unit_page_shows_its_organizer_sub_units_trend_and_knowledge_map_with_charts()
    {
        var unitId = Data.TopUnitIds[0];
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync($"/to-chuc/dang-nhap?ReturnUrl={Uri.EscapeDataString($"/to-chuc/xep-hang-don-vi/{Data.ContestId}/{unitId}")}");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync($"**/to-chuc/xep-hang-don-vi/{Data.ContestId}/{unitId}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Phường Sinh Thử 001");
            await Expect(page.Locator(".chart-box canvas")).ToHaveCountAsync(2);
            await Expect(page.Locator("#sub-units tbody tr")).ToHaveCountAsync(2);
            await Expect(page.Locator("#unit-trend tbody tr")).ToHaveCountAsync(3);
            await Expect(page.Locator("#knowledge-map tbody tr")).ToHaveCountAsync(4);
            await Expect(page.Locator("#knowledge-map thead th")).ToHaveCountAsync(13);
            await Expect(page.Locator("#widget-snippet")).ToContainTextAsync($"/nhung/{Data.Slug}/sinh-001");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("units-unit-page-360"), FullPage = true });
        });
    }

    [Fact]
    public async Task Widget_shows_the_units_figures_inside_an_iframe_on_another_origin()
    {
        using var visitor = App.CreateClient();
        using var direct = await visitor.GetAsync(new Uri($"/nhung/{Data.Slug}/sinh-002", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("frame-ancestors *", direct.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(direct.Headers.Contains("X-Frame-Options"));
        using var missing = await visitor.GetAsync(new Uri($"/nhung/{Data.Slug}/khong-co", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var figures = (await App.Service<UnitFigures>().FiguresAsync(Data.ContestId, new UnitScope(Data.TopUnitIds[1]))).Single(f => f.UnitId == Data.TopUnitIds[1] && f.RoundNumber is null);
        var widgetUrl = new Uri(App.BaseAddress, $"/nhung/{Data.Slug}/sinh-002");
        // A unit's portal on another origin: a second loopback server on a port of its own (Chromium will not let a
        // page it cannot place on the network, such as a routed one, frame a private address, so this one is real).
        await using var portal = await PortalServer.StartAsync($"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body><h1>Cổng thông tin phường</h1><iframe id="nq66" src="{widgetUrl}" width="320" height="190" style="border:0"></iframe></body></html>""");
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync(portal.Address + "cong-thong-tin");
            Assert.NotEqual(new Uri(page.Url).GetLeftPart(UriPartial.Authority), widgetUrl.GetLeftPart(UriPartial.Authority));
            var frame = page.FrameLocator("#nq66");
            await Expect(frame.Locator("#widget")).ToContainTextAsync("Phường Sinh Thử 002");
            await Expect(frame.Locator("#widget-participants")).ToHaveTextAsync(figures.Participants.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")));
            await Expect(frame.Locator("#widget-rank")).ToContainTextAsync("/10");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("units-widget-iframe"), FullPage = true });
        });
    }

    [Fact]
    public async Task A_certificate_downloads_from_the_console_and_its_code_verifies_on_the_public_page()
    {
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync($"/to-chuc/dang-nhap?ReturnUrl={Uri.EscapeDataString($"/to-chuc/xep-hang-don-vi/{Data.ContestId}")}");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync($"**/to-chuc/xep-hang-don-vi/{Data.ContestId}");
            await Expect(page.Locator("#collective-ranking")).ToContainTextAsync("Giải Nhất");
            // The first certificate of a run also loads the fonts and PDFsharp itself: a generous limit for a hung download only.
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#winners a.individual-certificate").First.ClickAsync(),
                new PageRunAndWaitForDownloadOptions { Timeout = 60_000 });
            var path = await download.PathAsync();
            Assert.StartsWith("chung-nhan-", download.SuggestedFilename, StringComparison.Ordinal);
            var text = PdfText(await File.ReadAllBytesAsync(path));
            var code = System.Text.RegularExpressions.Regex.Match(text, "Mã xác thực: ([A-Z2-9-]{14})").Groups[1].Value;
            Assert.NotEmpty(code);

            await page.GotoAsync("/chung-nhan");
            await page.FillAsync("#code", code.ToLowerInvariant());
            await page.ClickAsync("button[type=submit]");
            await Expect(page.Locator("#certificate-result")).ToContainTextAsync("Giấy chứng nhận hợp lệ");
            await Expect(page.Locator("#certificate-result")).ToContainTextAsync("Giải Nhất");
            await Expect(page.Locator("#certificate-result")).ToContainTextAsync("Cuộc thi tổng hợp Nghị quyết 66");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("units-certificate-verified-360"), FullPage = true });

            await page.GotoAsync("/chung-nhan/AAAA-BBBB-CCCC");
            await Expect(page.Locator("#certificate-result")).ToContainTextAsync("Không tìm thấy");
        });
    }
}

/// <summary>A one-page web server on 127.0.0.1 and a free port in 20000–29999, standing for a unit's own portal.</summary>
internal sealed class PortalServer : IAsyncDisposable
{
    private readonly System.Net.HttpListener _listener;
    private readonly Task _loop;

    private PortalServer(System.Net.HttpListener listener, string html)
    {
        _listener = listener;
        _loop = Task.Run(async () =>
        {
            var body = Encoding.UTF8.GetBytes(html);
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    public string Address { get; private init; } = "";

    public static Task<PortalServer> StartAsync(string html)
    {
        for (var tries = 0; ; tries++)
        {
            var port = Random.Shared.Next(20000, 30000);
            var listener = new System.Net.HttpListener();
            var address = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(address);
            try
            {
                listener.Start();
                return Task.FromResult(new PortalServer(listener, html) { Address = address });
            }
            catch (HttpListenerException) when (tries < 20)
            {
                ((IDisposable)listener).Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
