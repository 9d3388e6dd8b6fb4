using Dapper;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Attempts;

public sealed class AttemptBrowserTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"{page.Url} is {width}px wide at a 360px viewport");
    }

    [Fact]
    public async Task A_citizen_registers_takes_a_whole_attempt_on_a_phone_and_sees_the_result()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        organizer.Dispose();

        await browser.RunAsync(App.BaseAddress, async page =>
        {
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.GotoAsync($"/cuoc-thi/{contest.Slug}");
            Assert.Equal(contest.Name, (await page.Locator("h1").InnerTextAsync()).Trim());
            await Assertions.Expect(page.Locator(".rules strong")).ToHaveTextAsync("10 câu hỏi");
            await AssertNoSidewaysScrollAsync(page);

            await page.GetByRole(AriaRole.Link, new() { Name = "đăng ký" }).ClickAsync();
            await page.GetByLabel("Họ và tên", new() { Exact = true }).FillAsync("  Nguyễn   Văn An ");
            await page.GetByLabel("Ngày sinh", new() { Exact = true }).FillAsync("1990-04-15");
            await page.GetByLabel("Số điện thoại di động", new() { Exact = true }).FillAsync("0912 345 678");
            await page.Locator("#unit-search").FillAsync("hoan kiem");
            await Assertions.Expect(page.Locator("#unit option")).ToHaveCountAsync(2);
            await page.Locator("#unit").SelectOptionAsync(new SelectOptionValue { Label = "Phường Hoàn Kiếm" });
            await page.GetByLabel("Nhân dân", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Mật khẩu (ít nhất 8 ký tự)", new() { Exact = true }).FillAsync("mat-khau-an-toan");
            await Assertions.Expect(page.Locator("#guardian")).ToBeHiddenAsync();
            await page.Locator("input[name='Form.ConsentParticipation']").CheckAsync();
            await page.Locator("input[name='Form.ConsentPublishIfWinner']").CheckAsync();
            await AssertNoSidewaysScrollAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();

            await page.WaitForURLAsync($"**/cuoc-thi/{contest.Slug}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Vào thi" }).ClickAsync();
            await page.WaitForURLAsync("**/cuoc-thi/luot-thi/*");
            await Assertions.Expect(page.Locator("#countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(10:00|9:5\\d)$"));
            await Assertions.Expect(page.Locator("fieldset.question[data-position]")).ToHaveCountAsync(4);
            await AssertNoSidewaysScrollAsync(page);

            var attemptId = long.Parse(page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
            var key = await App.KeyAsync(attemptId);
            foreach (var (position, answer) in key.OrderBy(k => k.Key))
            {
                var choice = position <= 3 ? answer.Right : answer.Wrong;
                await page.Locator($"#cau-{position} input[value='{choice}']").CheckAsync();
                await Assertions.Expect(page.Locator($"#navigator a[data-position='{position}']")).ToHaveClassAsync("answered");
                await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync($"Đã lưu câu {position}");
            }
            await page.GetByLabel("Theo bạn, tuần thi này").FillAsync("120");
            await page.GetByLabel("Theo bạn, tuần thi này").BlurAsync();
            await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("Đã lưu số dự đoán");

            // Answers were acknowledged after their commit: they are in the database before the submission.
            await using (var connection = App.OpenConnection())
            {
                Assert.Equal(4, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM attempt_questions WHERE chosen IS NOT NULL"));
            }
            App.Clock.Advance(TimeSpan.FromSeconds(83.4));
            await page.GetByRole(AriaRole.Button, new() { Name = "Nộp bài" }).ClickAsync();

            await page.WaitForURLAsync("**/ket-qua");
            await Assertions.Expect(page.Locator("#score")).ToHaveTextAsync("3/4");
            await Assertions.Expect(page.Locator("#duration")).ToHaveTextAsync("1 phút 23,4 giây");
            // The round is open and attempts remain: which question was wrong, but no key until the round closes.
            await Assertions.Expect(page.Locator("#wrong")).ToHaveTextAsync("Các câu trả lời chưa đúng: 4.");
            await Assertions.Expect(page.Locator("#attempts-left")).ToContainTextAsync("Bạn còn 2 lượt thi");
            await Assertions.Expect(page.Locator("#answers-pending")).ToContainTextAsync("khi tuần thi kết thúc");
            await Assertions.Expect(page.Locator("section.result")).ToHaveCountAsync(0);
            await AssertNoSidewaysScrollAsync(page);

            await page.GotoAsync("/tai-khoan");
            await Assertions.Expect(page.Locator(".history li")).ToContainTextAsync("3/4 câu đúng");
            await page.GotoAsync($"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/xep-hang");
            await Assertions.Expect(page.Locator("#my-rank")).ToContainTextAsync("Thứ hạng của bạn: 1");
            await Assertions.Expect(page.Locator(".leaderboard tbody tr")).ToContainTextAsync("Nguyễn V. A.");
            await AssertNoSidewaysScrollAsync(page);
        });
    }
}
