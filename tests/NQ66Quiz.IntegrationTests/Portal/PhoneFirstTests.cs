using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Portal;

/// <summary>
/// Phone-first details measured at 360 px: 44 × 44 px tap targets and axe-core on every page a participant walks
/// through and on the main organizer pages, dates typed dd/mm/yyyy whatever the browser's language, errors that clear,
/// the attempt's answered count, in-page confirmation and time-up notice, and the question editor's font.
/// </summary>
public sealed class PhoneFirstTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    private static async Task SignInOrganizerAsync(IPage page, string returnUrl)
    {
        await page.GotoAsync($"/to-chuc/dang-nhap?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("#email", AppFixture.OrganizerEmail);
        await page.FillAsync("#password", AppFixture.OrganizerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync("**" + returnUrl);
    }

    /// <summary>Like <see cref="BrowserFixture.RunAsync"/> (360 px, screenshot on failure) in a browser set to another language.</summary>
    private async Task RunInLocaleAsync(string locale, Func<IPage, Task> body, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 780 },
            Locale = locale,
            TimezoneId = "Asia/Ho_Chi_Minh",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            await body(page);
        }
        catch
        {
            await Screenshots.KeepAsync(page, $"{test}-failed-{DateTime.UtcNow:HHmmss}");
            throw;
        }
    }

    [Fact]
    public async Task A_participant_walks_every_page_at_360px_with_44px_tap_targets_and_no_axe_violations()
    {
        await App.LoadUnitsAsync();
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4),
            contest: TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), answersShown: "after_each_attempt"));
        organizer.Dispose();

        var report = new PhoneReport();
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            var nativeDialogs = 0;
            page.Dialog += async (_, dialog) => { nativeDialogs++; await dialog.DismissAsync(); };

            await page.GotoAsync("/");
            await report.CheckAsync(page, "phone-home");
            await page.GotoAsync("/cuoc-thi");
            await report.CheckAsync(page, "phone-contests");
            await page.GotoAsync($"/cuoc-thi/{contest.Slug}");
            await report.CheckAsync(page, "phone-contest");
            await page.GotoAsync("/dang-nhap");
            await report.CheckAsync(page, "phone-sign-in");
            await page.GotoAsync("/hoc");
            await report.CheckAsync(page, "phone-study-index");
            await page.GotoAsync("/hoc/quan-diem-1");
            await report.CheckAsync(page, "phone-study-page");

            await page.GotoAsync("/luyen-tap");
            await report.CheckAsync(page, "phone-practice");
            await page.GotoAsync("/luyen-tap?phan=quan-diem-2");
            await page.Locator(".practice-option").First.ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Trả lời" }).ClickAsync();
            await Assertions.Expect(page.Locator(".practice-verdict")).ToBeVisibleAsync();
            await report.CheckAsync(page, "phone-practice-feedback");

            await page.GotoAsync($"/dang-ky?ReturnUrl=%2Fcuoc-thi%2F{contest.Slug}");
            await report.CheckAsync(page, "phone-register");
            await page.GetByLabel("Họ và tên", new() { Exact = true }).FillAsync("Nguyễn Văn An");
            await page.GetByLabel("Ngày sinh", new() { Exact = true }).FillAsync("15/04/1990");
            await page.GetByLabel("Số điện thoại di động", new() { Exact = true }).FillAsync("0912 345 678");
            await page.GetByLabel("Tìm đơn vị theo tên").FillAsync("hoan kiem");
            await Assertions.Expect(page.Locator("#unit option")).ToHaveCountAsync(2);
            await page.GetByLabel("Đơn vị (xã, phường, cơ quan, trường học…)").SelectOptionAsync(new SelectOptionValue { Label = "Phường Hoàn Kiếm" });
            await page.GetByLabel("Nhân dân", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Mật khẩu (ít nhất 8 ký tự)", new() { Exact = true }).FillAsync("mat-khau-an-toan");
            await page.Locator("input[name='Form.ConsentParticipation']").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
            await page.WaitForURLAsync($"**/cuoc-thi/{contest.Slug}");
            await report.CheckAsync(page, "phone-contest-signed-in");

            await page.GetByRole(AriaRole.Button, new() { Name = "Vào thi" }).ClickAsync();
            await page.WaitForURLAsync("**/cuoc-thi/luot-thi/*");
            await Assertions.Expect(page.Locator("#answered")).ToHaveTextAsync("đã trả lời 0/4");
            await report.CheckAsync(page, "phone-attempt");
            await page.Locator("#cau-1 label.option").First.ClickAsync();
            await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("Đã lưu câu 1");
            await page.Locator("#cau-2 label.option").Nth(1).ClickAsync();
            await Assertions.Expect(page.Locator("#answered")).ToHaveTextAsync("đã trả lời 2/4");
            // The answered count stays in view (sticky) at the bottom of the paper.
            await page.Locator("#submit").ScrollIntoViewIfNeededAsync();
            Assert.True(await page.Locator("#attempt-bar").EvaluateAsync<bool>("b => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"));

            // Two left: the page asks in a dialog of its own; "Làm tiếp" goes back to the paper.
            await page.GetByRole(AriaRole.Button, new() { Name = "Nộp bài" }).ClickAsync();
            var ask = page.GetByRole(AriaRole.Dialog, new() { Name = "Nộp bài?" });
            await Assertions.Expect(ask).ToBeVisibleAsync();
            await Assertions.Expect(ask).ToContainTextAsync("Còn 2 câu chưa trả lời.");
            await report.CheckAsync(page, "phone-attempt-confirm");
            await ask.GetByRole(AriaRole.Button, new() { Name = "Làm tiếp" }).ClickAsync();
            await Assertions.Expect(ask).ToBeHiddenAsync();
            Assert.Contains("/cuoc-thi/luot-thi/", page.Url, StringComparison.Ordinal);
            await page.GetByRole(AriaRole.Button, new() { Name = "Nộp bài" }).ClickAsync();
            await ask.GetByRole(AriaRole.Button, new() { Name = "Nộp bài" }).ClickAsync();
            await page.WaitForURLAsync("**/ket-qua");
            Assert.Equal(0, nativeDialogs);
            await Assertions.Expect(page.Locator("#time-up")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("a.read-more").First).ToBeVisibleAsync();
            await report.CheckAsync(page, "phone-result");

            await page.GotoAsync($"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/xep-hang");
            await report.CheckAsync(page, "phone-leaderboard");
            await page.GotoAsync("/tai-khoan");
            await report.CheckAsync(page, "phone-account");
        });
        report.AssertClean();
    }

    [Fact]
    public async Task The_main_organizer_pages_at_360px_have_44px_tap_targets_and_no_axe_violations_and_the_editor_keeps_tone_marks_on_their_letters()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        organizer.Dispose();
        await App.ImportQuestionsAsync(new TestQuestion("kh-001") { Topics = ["ke-hoach-ha-noi"], Stem = "Kế hoạch số 244/KH-UBND của Thành phố do ai ký?" });

        var report = new PhoneReport();
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await SignInOrganizerAsync(page, "/to-chuc");
            await report.CheckAsync(page, "phone-organizer-console");
            await page.GotoAsync("/to-chuc/cuoc-thi");
            await report.CheckAsync(page, "phone-organizer-contests");
            await page.GotoAsync($"/to-chuc/cuoc-thi/{contest.Id}");
            await report.CheckAsync(page, "phone-organizer-contest");
            await page.GotoAsync("/to-chuc/ngan-hang");
            await report.CheckAsync(page, "phone-organizer-bank");
            await page.GotoAsync("/to-chuc/ngan-hang/kh-001");
            await report.CheckAsync(page, "phone-organizer-bank-editor");

            // Monospace fonts without Vietnamese glyphs fall back per mark and print "Kê´hoạch"; the editor uses the
            // proportional face the rest of the page reads in, and that face has the precomposed letters.
            var editor = page.Locator("#bank-markdown");
            var family = await editor.EvaluateAsync<string>("e => getComputedStyle(e).fontFamily");
            Assert.DoesNotContain("monospace", family, StringComparison.OrdinalIgnoreCase);
            var widths = await page.EvaluateAsync<double[]>("""
                () => { const c = document.createElement("canvas").getContext("2d");
                  c.font = "16px " + getComputedStyle(document.getElementById("bank-markdown")).fontFamily;
                  return [c.measureText("ế").width, c.measureText("e").width]; }
                """);
            // A combining mark placed on its letter adds no advance width; a fallback that draws it beside the letter does.
            Assert.True(widths[0] <= widths[1] + 0.5, $"'ế' is {widths[0]:F1}px wide against 'e' {widths[1]:F1}px: the marks sit beside the letter");
            Assert.Contains("Kế hoạch số 244", await editor.InputValueAsync(), StringComparison.Ordinal);
        });
        report.AssertClean();
    }

    [Fact]
    public async Task A_city_admin_without_a_second_factor_is_led_from_sign_in_through_enrolment_at_360px_and_then_into_the_console()
    {
        await App.EnsureAdminAsync();
        // The shipped setting (the suite's own app lets admins in without a code).
        await using var shipped = new Security.LimitedApp(App, new() { ["Organizers:SecondFactor:RequiredForCityAdmins"] = "true" });
        var address = shipped.StartKestrel();
        var report = new PhoneReport();
        await browser.RunAsync(address, async page =>
        {
            await page.GotoAsync("/to-chuc/dang-nhap?ReturnUrl=%2Fto-chuc%2Fcuoc-thi");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
            await page.WaitForURLAsync("**/to-chuc/xac-thuc-hai-buoc?ReturnUrl=%2Fto-chuc%2Fcuoc-thi");
            Assert.Contains("phải bật xác thực hai bước", await page.InnerTextAsync("main"), StringComparison.Ordinal);
            await report.CheckAsync(page, "phone-organizer-second-factor-required");

            await page.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu" }).ClickAsync();
            var secret = await page.Locator("p.muted code").InnerTextAsync();
            await report.CheckAsync(page, "phone-organizer-second-factor-qr");
            var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret));
            await page.FillAsync("#code", totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime));
            await page.GetByRole(AriaRole.Button, new() { Name = "Bật xác thực hai bước" }).ClickAsync();
            Assert.Equal(10, await page.Locator("ul.recovery-codes li").CountAsync());
            await report.CheckAsync(page, "phone-organizer-second-factor-codes");

            await page.GetByRole(AriaRole.Link, new() { Name = "Tiếp tục" }).ClickAsync();
            await page.WaitForURLAsync("**/to-chuc/cuoc-thi");
        });
        report.AssertClean();
    }

    [Fact]
    public async Task Dates_are_typed_day_month_year_in_a_browser_set_to_English()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        organizer.Dispose();
        var opens = VietnamTime.ToLocal(App.Clock.GetUtcNow()).Date.AddDays(10).AddHours(8);

        await RunInLocaleAsync("en-US", async page =>
        {
            await page.GotoAsync("/dang-ky");
            var dob = page.GetByLabel("Ngày sinh", new() { Exact = true });
            Assert.Equal("text", await dob.GetAttributeAsync("type") ?? "text");
            await Assertions.Expect(dob).ToHaveAttributeAsync("placeholder", "dd/mm/yyyy");
            await Assertions.Expect(page.Locator("#dob-hint")).ToHaveTextAsync("ngày/tháng/năm, ví dụ 25/12/1990");
            await dob.PressSequentiallyAsync("05/11/2008");
            await page.GetByLabel("Họ và tên", new() { Exact = true }).FocusAsync();
            // 18 years old on the fake clock's date: no guardian section.
            await Assertions.Expect(page.Locator("#guardian")).ToBeHiddenAsync();
            await page.GetByLabel("Họ và tên", new() { Exact = true }).FillAsync("Trần Thị Bình");
            await page.GetByLabel("Số điện thoại di động", new() { Exact = true }).FillAsync("0912345679");
            await page.GetByLabel("Đơn vị (xã, phường, cơ quan, trường học…)").SelectOptionAsync(new SelectOptionValue { Label = "Phường Hoàn Kiếm" });
            await page.GetByLabel("Nhân dân", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Mật khẩu (ít nhất 8 ký tự)", new() { Exact = true }).FillAsync("mat-khau-an-toan");
            await page.Locator("input[name='Form.ConsentParticipation']").CheckAsync();
            await Screenshots.KeepAsync(page, "phone-register-en-US");
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
            await page.WaitForURLAsync("**/cuoc-thi");

            await SignInOrganizerAsync(page, $"/to-chuc/cuoc-thi/{contest.Id}");
            var opensAt = page.GetByLabel("Giờ mở (giờ Việt Nam)");
            Assert.Equal("text", await opensAt.GetAttributeAsync("type") ?? "text");
            await Assertions.Expect(opensAt).ToHaveValueAsync(new Regex(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}(:\d{2})?$"));
            await opensAt.FillAsync(opens.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture));
            await page.GetByLabel("Giờ đóng (giờ Việt Nam)").FillAsync(opens.AddDays(7).AddHours(14).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture));
            await page.Locator("input[name='Round.Blueprint[0].Count']").FillAsync("4");
            await Screenshots.KeepAsync(page, "phone-organizer-round-form-en-US");
            await page.GetByRole(AriaRole.Button, new() { Name = "Thêm tuần thi" }).ClickAsync();
            await page.WaitForURLAsync("**/to-chuc/cuoc-thi/tuan/*");
        });

        await using var connection = App.OpenConnection();
        Assert.Equal(new DateTime(2008, 11, 5), await connection.QuerySingleAsync<DateTime>("SELECT date_of_birth FROM participants WHERE phone = '0912345679'"));
        var times = await connection.QuerySingleAsync<(DateTime Opens, DateTime Closes)>("SELECT opens_at, closes_at FROM contest_rounds WHERE number = 2");
        Assert.Equal(opens.AddHours(-7), times.Opens);
        Assert.Equal(opens.AddDays(7).AddHours(7), times.Closes);
    }

    [Fact]
    public Task A_fields_error_clears_once_the_field_is_put_right_and_the_unit_picker_is_labelled_once() =>
        browser.RunAsync(App.BaseAddress, async page =>
        {
            await App.LoadUnitsAsync();
            await page.GotoAsync("/dang-ky");
            await page.GetByLabel("Số điện thoại di động", new() { Exact = true }).FillAsync("0912");
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-fullName")).Not.ToBeEmptyAsync();
            await Assertions.Expect(page.Locator("#error-phone")).ToContainTextAsync("10 chữ số");
            await Assertions.Expect(page.Locator("#error-dateOfBirth")).Not.ToBeEmptyAsync();
            var name = page.GetByLabel("Họ và tên", new() { Exact = true });
            await Assertions.Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
            await Screenshots.KeepAsync(page, "phone-register-errors");

            await name.FillAsync("Lê Văn Cường");
            await Assertions.Expect(page.Locator("#error-fullName")).ToBeEmptyAsync();
            await Assertions.Expect(name).Not.ToHaveAttributeAsync("aria-invalid", "true");
            // Still wrong: its message stays.
            var phone = page.GetByLabel("Số điện thoại di động", new() { Exact = true });
            await phone.FillAsync("09123");
            await Assertions.Expect(page.Locator("#error-phone")).ToContainTextAsync("10 chữ số");
            await phone.FillAsync("0912 345 677");
            await Assertions.Expect(page.Locator("#error-phone")).ToBeEmptyAsync();
            var dob = page.GetByLabel("Ngày sinh", new() { Exact = true });
            await dob.FillAsync("31/02/1990");
            await Assertions.Expect(page.Locator("#error-dateOfBirth")).Not.ToBeEmptyAsync();
            await dob.FillAsync("28/02/1990");
            await Assertions.Expect(page.Locator("#error-dateOfBirth")).ToBeEmptyAsync();
            await page.GetByLabel("Nhân dân", new() { Exact = true }).CheckAsync();
            await Assertions.Expect(page.Locator("#error-participantType")).ToBeEmptyAsync();
            await Assertions.Expect(page.Locator("#error-unitId")).Not.ToBeEmptyAsync();
            await page.GetByLabel("Tìm đơn vị theo tên").FillAsync("hoan kiem");
            await Assertions.Expect(page.Locator("#unit option")).ToHaveCountAsync(2);
            await page.GetByLabel("Đơn vị (xã, phường, cơ quan, trường học…)").SelectOptionAsync(new SelectOptionValue { Label = "Phường Hoàn Kiếm" });
            await Assertions.Expect(page.Locator("#error-unitId")).ToBeEmptyAsync();
            await PageChecks.AssertPhoneReadyAsync(page, "phone-register-errors-fixed");
        });

    [Fact]
    public async Task When_time_runs_out_the_page_submits_for_the_participant_and_the_result_says_so()
    {
        await App.LoadUnitsAsync();
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4, minutes: 1));
        organizer.Dispose();
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        var paper = await participant.StartAsync(round.Id);
        await App.AnswerAsync(participant, paper, right: 1);
        var cookies = App.CookieHeader(participant).Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Split('=', 2))
            .Select(c => new Cookie { Name = c[0], Value = c[1], Domain = App.BaseAddress.Host, Path = "/" })
            .ToList();
        participant.Dispose();
        // Four seconds left on the server's clock: the page counts them down on its own and submits at zero.
        App.Clock.Advance(TimeSpan.FromSeconds(56));

        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.Context.AddCookiesAsync(cookies);
            await page.GotoAsync($"/cuoc-thi/luot-thi/{paper.Id}");
            await Assertions.Expect(page.Locator("#answered")).ToHaveTextAsync("đã trả lời 4/4");
            await page.WaitForURLAsync("**/ket-qua?het-gio=1", new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("#time-up")).ToHaveTextAsync(
                "Đã hết giờ làm bài: bài của bạn đã được nộp tự động với các câu trả lời đã lưu trước khi hết giờ.");
            await Assertions.Expect(page.Locator("#score")).ToHaveTextAsync("1/4");
            await PageChecks.AssertPhoneReadyAsync(page, "phone-result-time-up");
        });

        // Closed by the server instead (the phone was off): the result says it too, without the page's hint.
        var (other, _) = await App.RegisterAsync(TestData.Registration("0912345670", await App.UnitIdAsync("Phường Hoàn Kiếm"), name: "Phạm Thị Dung"));
        var late = await other.StartAsync(round.Id);
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        var html = await other.GetStringAsync($"/cuoc-thi/luot-thi/{late.Id}/ket-qua");
        Assert.Contains("id=\"time-up\"", html, StringComparison.Ordinal);
        other.Dispose();
        _ = contest;
    }
}
