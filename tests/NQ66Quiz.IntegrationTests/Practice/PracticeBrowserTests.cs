using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Practice;

public sealed class PracticeBrowserTests(AppFixture app, BrowserFixture browser) : IntegrationTest(app)
{
    [Fact]
    public async Task A_reader_goes_from_a_study_page_to_practising_that_viewpoint_and_sees_the_explanation()
    {
        await App.ImportQuestionsAsync(
            new TestQuestion("qd2-001")
            {
                Viewpoints = [2],
                Stem = "Công tác xây dựng và thi hành pháp luật được xác định là gì?",
                Options = [("“Đột phá của đột phá”", true), ("Nhiệm vụ riêng của ngành Tư pháp", false), ("Nội dung của cải cách hành chính", false)],
                Explanation = "Quan điểm 2 gọi đây là “Đột phá của đột phá”.",
            },
            new TestQuestion("qd2-002")
            {
                Viewpoints = [2],
                Difficulty = "hard",
                Stem = "Câu hỏi thứ hai của quan điểm 2?",
                Options = [("Phương án đúng", true), ("Phương án sai", false)],
            });

        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync("/hoc/quan-diem-2");
            await page.GetByRole(AriaRole.Link, new() { Name = "Luyện tập phần này" }).First.ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Uri(App.BaseAddress, "/luyen-tap?phan=quan-diem-2").ToString());
            await Assertions.Expect(page.Locator(".practice-progress")).ToHaveTextAsync("Câu 1/2");
            await Assertions.Expect(page.Locator(".practice-stem")).ToContainTextAsync("Công tác xây dựng và thi hành pháp luật");
            // Before answering, nothing in the page tells the key or the explanation.
            Assert.DoesNotContain("Quan điểm 2 gọi đây là", await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator(".is-key").CountAsync());

            await page.GetByText("Nhiệm vụ riêng của ngành Tư pháp").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Trả lời" }).ClickAsync();

            await Assertions.Expect(page.Locator(".practice-verdict")).ToHaveTextAsync("Chưa đúng.");
            await Assertions.Expect(page.Locator(".practice-explanation")).ToHaveTextAsync("Quan điểm 2 gọi đây là “Đột phá của đột phá”.");
            await Assertions.Expect(page.Locator(".practice-option.is-key")).ToContainTextAsync("“Đột phá của đột phá”");
            await Assertions.Expect(page.Locator(".practice-option.is-wrong")).ToContainTextAsync("Nhiệm vụ riêng của ngành Tư pháp");
            var readMore = page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Đọc thêm: Quan điểm 2") });
            await Assertions.Expect(readMore).ToHaveAttributeAsync("href", "/hoc/quan-diem-2");
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 360, $"page is {scrollWidth}px wide at a 360px viewport");

            await page.GetByRole(AriaRole.Button, new() { Name = "Câu tiếp theo" }).ClickAsync();
            await Assertions.Expect(page.Locator(".practice-progress")).ToHaveTextAsync("Câu 2/2");
            await page.GetByText("Phương án đúng").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Trả lời" }).ClickAsync();
            await Assertions.Expect(page.Locator(".practice-verdict")).ToHaveTextAsync("Chính xác!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Xem kết quả" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kết quả: đúng 1/2 câu" })).ToBeVisibleAsync();

            // A visitor's results stay in this browser and show on the chooser, weakest first.
            await page.Locator("#practice").GetByRole(AriaRole.Link, new() { Name = "Chọn phần khác" }).ClickAsync();
            var row = page.Locator("#local-results tbody tr").First;
            await Assertions.Expect(row).ToContainTextAsync("Quan điểm 2");
            await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2");
            await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
            await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("50%");
        });
    }
}
