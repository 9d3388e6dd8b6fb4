using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.IntegrationTests.Portal;

/// <summary>The official framing: the organizing body and contest title, the open round first, contact, favicon, titles, no internal notes.</summary>
public sealed partial class PortalFramingTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    private const string Body = "Sở Tư pháp Thành phố Hà Nội";
    private const string Title = "Cuộc thi tìm hiểu Nghị quyết số 66-NQ/TW";

    [Fact]
    public async Task The_home_page_leads_with_the_open_round_under_the_organizing_body_with_contact_and_privacy_in_the_footer()
    {
        var prizes = new List<PrizeTier> { new("nhat", "Giải Nhất", 1), new("nhi", "Giải Nhì", 2), new("ba", "Giải Ba", 0) };
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4,
            round: App.Round(questions: 4, length: TimeSpan.FromDays(5) + TimeSpan.FromHours(3), prizes: prizes));
        organizer.Dispose();
        // Just under an hour: round times are whole seconds and the clock may not be, and the page never says more than is left.
        App.Clock.Advance(TimeSpan.FromMinutes(59));

        await browser.RunAsync(App.BaseAddress, async page =>
        {
            var missing = new List<string>();
            page.Response += (_, r) => { if (r.Status == 404) missing.Add(r.Url); };
            await page.GotoAsync("/");

            var header = page.Locator("header.site-header");
            await Assertions.Expect(header.Locator(".brand-body")).ToHaveTextAsync(Body);
            await Assertions.Expect(header.Locator(".brand-title")).ToHaveTextAsync(Title);
            Assert.Equal(0, await header.Locator("img").CountAsync()); // no emblem configured: the name alone
            await Assertions.Expect(page).ToHaveTitleAsync($"Trang chủ · {Title}");

            var lead = page.Locator(".open-round").First;
            await Assertions.Expect(lead.Locator("h1")).ToHaveTextAsync(contest.Name);
            await Assertions.Expect(lead).ToContainTextAsync("Tuần thi 1");
            await Assertions.Expect(lead.Locator(".time-left")).ToHaveTextAsync("5 ngày 2 giờ");
            await Assertions.Expect(lead.Locator(".open-round-prizes")).ToHaveTextAsync("Giải thưởng mỗi tuần: 1 giải Nhất, 2 giải Nhì.");
            var register = lead.GetByRole(AriaRole.Link, new() { Name = "Đăng ký dự thi" });
            await Assertions.Expect(register).ToHaveAttributeAsync("href", $"/dang-ky?ReturnUrl=%2Fcuoc-thi%2F{contest.Slug}");
            // The open round comes before anything else in the page's content.
            Assert.Equal("open-round", await page.EvaluateAsync<string>("document.querySelector('main').firstElementChild.className"));

            var footer = page.Locator("footer.site-footer");
            await Assertions.Expect(footer).ToContainTextAsync(Body);
            await Assertions.Expect(footer.Locator("#footer-address")).ToHaveTextAsync($"Địa chỉ: {AppFactory.PortalAddress}");
            await Assertions.Expect(footer.Locator("#footer-hotline")).ToHaveAttributeAsync("href", "tel:02438250000");
            await Assertions.Expect(footer.Locator("#footer-hotline")).ToHaveTextAsync($"Đường dây nóng: {AppFactory.PortalHotline}");
            await Assertions.Expect(footer.Locator("#footer-email")).ToHaveAttributeAsync("href", $"mailto:{AppFactory.PortalEmail}");
            await Assertions.Expect(footer.GetByRole(AriaRole.Link, new() { Name = "Quyền riêng tư và dữ liệu cá nhân" })).ToHaveAttributeAsync("href", "/quyen-rieng-tu");
            Assert.DoesNotContain("NQ66Quiz", await page.InnerTextAsync("body"), StringComparison.Ordinal);
            await PageChecks.AssertPhoneReadyAsync(page, "portal-home-open-round");

            // Registering from the lead comes back to the contest, where the participant takes the test.
            await register.ClickAsync();
            await page.WaitForURLAsync("**/dang-ky?ReturnUrl=*");
            await page.GotoAsync("/hoc");
            Assert.Empty(missing); // the favicon included: the browser asks for it on every page
        });

        using var http = App.CreateClient();
        using var favicon = await http.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Equal("image/x-icon", favicon.Content.Headers.ContentType?.MediaType);
        using var svg = await http.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
    }

    [Fact]
    public async Task With_nothing_open_the_home_page_names_the_next_round_and_a_signed_in_participant_is_sent_to_take_it()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4, opensIn: TimeSpan.FromHours(30.5)));
        organizer.Dispose();
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));

        var html = await participant.GetStringAsync("/");
        Assert.Contains("Sắp mở", html, StringComparison.Ordinal);
        Assert.Contains("Mở sau <strong class=\"time-left\">1 ngày 6 giờ</strong>", html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"button\" href=\"/cuoc-thi/{contest.Slug}\">Xem cuộc thi</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Đăng ký dự thi", html, StringComparison.Ordinal);

        App.Clock.Advance(TimeSpan.FromHours(31));
        html = await participant.GetStringAsync("/");
        Assert.Contains($"<a class=\"button\" href=\"/cuoc-thi/{contest.Slug}\">Vào thi</a>", html, StringComparison.Ordinal);
        participant.Dispose();
    }

    [Fact]
    public async Task A_configured_emblem_is_served_and_shown_beside_the_name()
    {
        var emblem = Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", "wwwroot", "apple-touch-icon.png");
        await using var withEmblem = App.Factory.WithWebHostBuilder(b => b.UseSetting("Portal:EmblemFile", emblem));
        using var http = withEmblem.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var html = await http.GetStringAsync("/");
        using var image = await http.GetAsync("/bieu-trung");

        Assert.Contains("<img class=\"brand-emblem\" src=\"/bieu-trung\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(emblem), await image.Content.ReadAsByteArrayAsync());
        using var none = await App.CreateClient().GetAsync("/bieu-trung");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Every_page_has_a_Vietnamese_title_and_shows_no_internal_notes_file_paths_or_setting_names()
    {
        await App.LoadUnitsAsync();
        // The real bank and study pages, as .ci/serve loads them: their sources are what a person reads.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestData.ContentRoot, "questions"), "*.md"))
        {
            await App.ImportMarkdownAsync(await File.ReadAllTextAsync(file));
        }
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4),
            contest: TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), answersShown: "after_each_attempt"));
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        var paper = await participant.StartAsync(round.Id);
        // Option A everywhere: the draw may include the real bank's multiple-answer questions.
        foreach (var q in paper.Questions)
        {
            using var answered = await participant.AnswerAsync(paper.Id, q.Position, 0);
            Assert.True(answered.IsSuccessStatusCode);
        }
        using (var submitted = await participant.SubmitAsync(paper.Id, prediction: 3))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }
        using var visitor = App.CreateClient();
        var study = StudyLink().Matches(await visitor.GetStringAsync("/hoc")).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(study.Count >= 14, $"only {study.Count} study pages listed");
        // Every question's editor page: the bank list's pages until one adds nothing new.
        var bank = new List<string>();
        for (var p = 1; p <= 40; p++)
        {
            var onPage = BankLink().Matches(await organizer.GetStringAsync($"/to-chuc/ngan-hang?p={p}")).Select(m => m.Groups[1].Value).Except(bank).ToList();
            if (onPage.Count == 0)
            {
                break;
            }
            bank.AddRange(onPage);
        }
        Assert.True(bank.Count >= 200, $"only {bank.Count} questions' editor pages found");

        var pages = new List<(HttpClient Client, string Path)>
        {
            (visitor, "/"), (visitor, "/cuoc-thi"), (visitor, $"/cuoc-thi/{contest.Slug}"), (visitor, "/hoc"), (visitor, "/luyen-tap"),
            (visitor, "/luyen-tap?phan=quan-diem-1"), (visitor, "/dang-ky"), (visitor, "/dang-nhap"), (visitor, "/to-chuc/dang-nhap"),
            (visitor, $"/cuoc-thi/{contest.Slug}/tuan/1/xep-hang"), (visitor, $"/cuoc-thi/{contest.Slug}/don-vi"), (visitor, "/khong-co-trang-nay"),
            (participant, "/tai-khoan"), (participant, $"/cuoc-thi/luot-thi/{paper.Id}/ket-qua"),
            (organizer, "/to-chuc"), (organizer, "/to-chuc/cuoc-thi"), (organizer, $"/to-chuc/cuoc-thi/{contest.Id}"),
            (organizer, $"/to-chuc/cuoc-thi/tuan/{round.Id}"), (organizer, "/to-chuc/ngan-hang"), (organizer, "/to-chuc/don-vi"),
            (organizer, "/to-chuc/xep-hang-don-vi"), (organizer, "/to-chuc/tai-khoan"), (organizer, "/to-chuc/tai-khoan/nhat-ky"),
            (organizer, "/to-chuc/truc-tiep"), (organizer, "/to-chuc/mat-khau"),
        };
        pages.AddRange(study.Select(p => (visitor, p)));
        pages.AddRange(bank.Select(p => (organizer, p)));

        var failures = new List<string>();
        foreach (var (client, path) in pages)
        {
            using var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            var title = PageTitle().Match(html);
            if (!title.Success || !title.Groups[1].Value.EndsWith(" · " + Title, StringComparison.Ordinal) || title.Groups[1].Value.Length <= Title.Length + 3)
            {
                failures.Add($"{path}: title \"{(title.Success ? title.Groups[1].Value : "(none)")}\" is not \"<page> · {Title}\"");
            }
            try
            {
                PageChecks.AssertNoInternalNotes(path, html);
            }
            catch (Xunit.Sdk.TrueException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(pages.Count > 40, $"only {pages.Count} pages checked");
        foreach (var client in new[] { organizer, participant })
        {
            client.Dispose();
        }
    }

    [GeneratedRegex("href=\"(/hoc/[a-z0-9-]+)\"")]
    private static partial Regex StudyLink();

    [GeneratedRegex("href=\"(/to-chuc/ngan-hang/[a-z0-9-]+)\"")]
    private static partial Regex BankLink();

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex PageTitle();
}
