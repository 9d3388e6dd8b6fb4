using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Npgsql;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.ErrorPages;

/// <summary>Wherever a participant lands by mistake: a Vietnamese page with a way back, or a Vietnamese ProblemDetails for /api.</summary>
public sealed class ErrorPagesTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"vi\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", html, StringComparison.Ordinal); // the way back
        return html;
    }

    [Fact]
    public async Task Unknown_pages_unpublished_results_and_someone_elses_attempt_answer_in_Vietnamese_for_browsers_and_api_callers()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var hk = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var (owner, _) = await App.RegisterAsync(TestData.Registration("0912345678", hk));
        var (other, _) = await App.RegisterAsync(TestData.Registration("0912345679", hk, name: "Trần Thị Bình"));
        var paper = await owner.StartAsync(round.Id);
        using var visitor = App.CreateClient();

        using var unknownPage = await visitor.GetAsync("/khong-co-trang-nay");
        using var unknownApi = await visitor.GetAsync("/api/khong-co");
        using var unpublished = await visitor.GetAsync($"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/ket-qua");
        using var othersPage = await other.GetAsync($"/cuoc-thi/luot-thi/{paper.Id}");
        using var othersResult = await other.GetAsync($"/cuoc-thi/luot-thi/{paper.Id}/ket-qua");
        using var othersApi = await other.GetAsync($"/api/attempts/{paper.Id}");
        using var anonymousApi = await visitor.GetAsync("/api/attempts");
        using var organizerApi = await other.GetAsync("/api/organizer/contests/1");

        Assert.Equal(HttpStatusCode.NotFound, unknownPage.StatusCode);
        Assert.Contains("Không tìm thấy trang", await HtmlAsync(unknownPage), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);
        Assert.Equal("Không tìm thấy nội dung bạn yêu cầu.", (await ProblemAsync(unknownApi)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
        var unpublishedHtml = await HtmlAsync(unpublished);
        Assert.Contains("Kết quả chưa được công bố", unpublishedHtml, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/xep-hang\"", unpublishedHtml, StringComparison.Ordinal);
        foreach (var page in new[] { othersPage, othersResult })
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Contains("Lượt thi này không có trong tài khoản bạn đang đăng nhập", await HtmlAsync(page), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, othersApi.StatusCode);
        Assert.StartsWith("Không tìm thấy", (await ProblemAsync(othersApi)).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousApi.StatusCode);
        Assert.Equal("Bạn cần đăng nhập để làm việc này.", (await ProblemAsync(anonymousApi)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, organizerApi.StatusCode);
        Assert.Equal("Tài khoản của bạn không có quyền làm việc này.", (await ProblemAsync(organizerApi)).GetProperty("title").GetString());
        owner.Dispose();
        other.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Malformed_json_is_answered_with_a_Vietnamese_detail_that_says_what_and_where()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var (client, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        var paper = await client.StartAsync(round.Id);

        using var broken = await client.PutAsync($"/api/attempts/{paper.Id}/answers/1",
            new StringContent("{\"choices\": [0,\n  }", Encoding.UTF8, "application/json"));
        using var wrongType = await client.PutAsync($"/api/attempts/{paper.Id}/answers/1",
            new StringContent("{\"choices\": \"A\"}", Encoding.UTF8, "application/json"));
        using var notJson = await client.PutAsync($"/api/attempts/{paper.Id}/answers/1", new StringContent("choices=0", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var brokenProblem = await ProblemAsync(broken);
        Assert.Equal("Yêu cầu không hợp lệ.", brokenProblem.GetProperty("title").GetString());
        Assert.Matches("^Nội dung JSON không hợp lệ ở dòng 2, vị trí 3.*sai cú pháp JSON", brokenProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("trường $.choices: giá trị không đúng kiểu", (await ProblemAsync(wrongType)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Contains("application/json", (await ProblemAsync(notJson)).GetProperty("title").GetString(), StringComparison.Ordinal);
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_answered_413_before_it_is_sent_while_organizer_imports_get_a_larger_limit()
    {
        // Declares 5 MB and sends 10 bytes: a server that read the body first would wait for the rest and time out.
        var participant = await RawPostAsync("/api/participants/register", 5_000_000);
        var organizer = await RawPostAsync("/api/organizer/contests", 20_000_000);
        using var client = App.CreateClient();
        using var underOrganizerLimit = await client.PostAsync("/api/organizer/sign-in",
            new StringContent("{\"password\":\"" + new string('x', 1_000_000) + "\"}", Encoding.UTF8, "application/json"));

        Assert.StartsWith("HTTP/1.1 413", participant, StringComparison.Ordinal);
        Assert.Contains("Nội dung gửi lên quá lớn.", participant, StringComparison.Ordinal);
        Assert.Contains("64 KB", participant, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 413", organizer, StringComparison.Ordinal);
        Assert.Contains("16", organizer, StringComparison.Ordinal);
        // 1 MB is over the participant limit but under the organizer one: read, and refused for its content instead.
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, underOrganizerLimit.StatusCode);
    }

    private async Task<string> RawPostAsync(string path, int declaredLength)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(App.BaseAddress.Host, App.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {App.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {declaredLength}\r\n\r\n{{\"a\":1234}}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        var received = new StringBuilder();
        // Until the last chunk of the answer; the timeout fails the test if the server waits for the body instead.
        while (!received.ToString().Contains("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                break;
            }
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return received.ToString();
    }

    [Fact]
    public async Task A_server_error_is_a_Vietnamese_page_with_a_reference_and_a_Vietnamese_problem_for_api_callers()
    {
        var pg = new NpgsqlConnectionStringBuilder(App.ConnectionString);
        await using var proxy = new TcpProxy(pg.Host!, pg.Port);
        proxy.Start();
        pg.Port = proxy.Port;
        pg.Pooling = false;
        await using var factory = App.Factory.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Postgres", pg.ToString()));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        proxy.Stop();

        using var page = await client.GetAsync("/cuoc-thi");
        using var api = await client.GetAsync("/api/contests");

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        var html = await HtmlAsync(page);
        Assert.Contains("Hệ thống đang gặp sự cố", html, StringComparison.Ordinal);
        Assert.Contains("Khi liên hệ ban tổ chức, xin đọc mã này", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        // An API caller is told the database is away and to retry (DatabaseUnavailableHandler), still in Vietnamese.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.True(api.Headers.Contains("Retry-After"));
        var problem = await ProblemAsync(api);
        Assert.Equal(NQ66Quiz.Web.Infrastructure.DatabaseUnavailableHandler.Title, problem.GetProperty("title").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _));
        proxy.Start();
    }

    [Fact]
    public async Task Error_pages_are_readable_on_a_phone_and_lead_back()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        organizer.Dispose();
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            var response = await page.GotoAsync("/khong-co-trang-nay");
            Assert.Equal(404, response!.Status);
            Assert.Equal("Không tìm thấy trang", (await page.Locator("h1").InnerTextAsync()).Trim());
            Assert.StartsWith("Không tìm thấy trang", await page.TitleAsync(), StringComparison.Ordinal);
            await Screenshots.KeepAsync(page, "error-404");

            await page.GotoAsync($"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/ket-qua");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Kết quả chưa được công bố");
            await Screenshots.KeepAsync(page, "error-results-unpublished");
            await page.GetByRole(AriaRole.Link, new() { Name = "Xem bảng xếp hạng" }).ClickAsync();
            await page.WaitForURLAsync($"**/cuoc-thi/{contest.Slug}/tuan/{round.Number}/xep-hang");
        });
    }
}
