using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.IntegrationTests.QuestionBank;

public sealed class BankEditorBrowserTests(AppFixture app, BrowserFixture browser) : IntegrationTest(app)
{
    [Fact]
    public async Task An_organizer_edits_a_question_sees_the_live_preview_and_a_validation_error_then_saves_version_2()
    {
        await using (var db = App.OpenConnection())
        {
            await BankImporter.ImportMarkdownAsync(db, SampleBank.Question("qd2-001"));
        }

        await App.EnsureAdminAsync();
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync("/to-chuc/ngan-hang");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync("**/to-chuc/ngan-hang");
            await page.ClickAsync("a.bank-id:text('qd2-001')");
            var textarea = page.Locator("#bank-markdown");
            var original = await textarea.InputValueAsync();
            var edited = original.Replace("Cơ quan nào ban hành", "Cơ quan **nào** đã ban hành", StringComparison.Ordinal);

            await textarea.FillAsync(edited);
            await Assertions.Expect(page.Locator(".bank-preview-stem strong")).ToHaveTextAsync("nào");

            await textarea.FillAsync(edited.Replace("- [x] Bộ Chính trị", "- [ ] Bộ Chính trị", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#bank-issues li.error")).ToContainTextAsync("Dòng 11, cột 1: Câu 'kind: single' chưa có đáp án đúng");

            await textarea.FillAsync(edited);
            await Assertions.Expect(page.Locator("#bank-issues")).ToContainTextAsync("Không có lỗi.");
            await page.ClickAsync("button:text('Lưu phiên bản mới')");
            await Assertions.Expect(page.Locator("#bank-message")).ToContainTextAsync("Đã lưu phiên bản 2.");
            await Assertions.Expect(page.Locator(".bank-versions tbody tr")).ToHaveCountAsync(2);

            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 360, $"page is {scrollWidth}px wide at a 360px viewport");
        });

        Assert.Contains("Cơ quan **nào** đã ban hành", (await App.Service<BankStore>().GetAsync("qd2-001"))!.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bank_list_fits_a_360px_phone()
    {
        await using (var db = App.OpenConnection())
        {
            await BankImporter.ImportMarkdownAsync(db, SampleBank.Question("qd2-001") + SampleBank.Question("kh-002-mot-id-rat-dai-cho-dien-thoai-nho", viewpoint: "[1, 2, 3]"));
        }

        await App.EnsureAdminAsync();
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync("/to-chuc/ngan-hang");
            await page.FillAsync("#email", AppFixture.OrganizerEmail);
            await page.FillAsync("#password", AppFixture.OrganizerPassword);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync("**/to-chuc/ngan-hang");

            await Assertions.Expect(page.Locator(".bank-list li")).ToHaveCountAsync(2);
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 360, $"page is {scrollWidth}px wide at a 360px viewport");
        });
    }
}
