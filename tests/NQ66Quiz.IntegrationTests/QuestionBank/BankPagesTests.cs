using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.IntegrationTests.QuestionBank;

public sealed partial class BankPagesTests(AppFixture app) : IntegrationTest(app)
{
    private async Task ImportAsync(params string[] questions)
    {
        await using var db = App.OpenConnection();
        await App.ImportMarkdownAsync(string.Concat(questions));
    }

    [Fact]
    public async Task The_bank_pages_and_api_are_for_organizers_only()
    {
        using var anonymous = App.CreateClient();

        using var page = await anonymous.GetAsync("/to-chuc/ngan-hang");
        using var preview = await anonymous.PostAsJsonAsync("/api/organizer/bank/preview", new { id = "x", markdown = "" });
        using var export = await anonymous.GetAsync("/api/organizer/bank/export.xlsx");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, preview.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_viewpoint_difficulty_and_text()
    {
        await ImportAsync(
            SampleBank.Question("qd1-001", stem: "Câu về quan điểm một?", viewpoint: "1"),
            SampleBank.Question("qd2-001", stem: "Câu về quan điểm hai?", viewpoint: "2", difficulty: "hard"),
            SampleBank.Question("qd2-002", stem: "Câu về thể chế?", viewpoint: "[2, 3]"));
        using var client = await App.CreateOrganizerClientAsync();

        var byViewpoint = WebUtility.HtmlDecode(await client.GetStringAsync("/to-chuc/ngan-hang?viewpoint=2"));
        var byDifficulty = await client.GetStringAsync("/to-chuc/ngan-hang?difficulty=hard");
        var byText = await client.GetStringAsync("/to-chuc/ngan-hang?q=TH%E1%BB%82%20CH%E1%BA%BE"); // "THỂ CHẾ"

        Assert.Equal(["qd2-001", "qd2-002"], Ids(byViewpoint));
        Assert.Contains("2 câu hỏi", byViewpoint, StringComparison.Ordinal);
        Assert.Equal(["qd2-001"], Ids(byDifficulty));
        Assert.Equal(["qd2-002"], Ids(byText));
    }

    [Fact]
    public async Task The_preview_renders_the_question_and_lists_validator_errors_with_their_lines()
    {
        using var client = await App.CreateOrganizerClientAsync();
        var markdown = SampleBank.Question("qd2-001").Replace("- [x] Bộ Chính trị", "- [ ] Bộ Chính trị", StringComparison.Ordinal);

        using var response = await client.PostAsJsonAsync("/api/organizer/bank/preview", new { id = "qd2-001", markdown });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<p>Cơ quan nào ban hành Nghị quyết 66-NQ/TW?</p>", body.GetProperty("questions")[0].GetProperty("stemHtml").GetString());
        var error = body.GetProperty("errors")[0];
        Assert.Equal(11, error.GetProperty("line").GetInt32());
        Assert.Contains("chưa có đáp án đúng", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retire_and_restore_from_the_edit_page_change_what_the_list_shows()
    {
        await ImportAsync(SampleBank.Question("qd2-001"), SampleBank.Question("qd2-002"));
        using var client = await App.CreateOrganizerClientAsync();

        using var retire = await PostFormAsync(client, "/to-chuc/ngan-hang/qd2-001", "Retire", []);
        var active = await client.GetStringAsync("/to-chuc/ngan-hang");
        var retired = await client.GetStringAsync("/to-chuc/ngan-hang?status=retired");
        using var restore = await PostFormAsync(client, "/to-chuc/ngan-hang/qd2-001", "Restore", []);
        var afterRestore = await client.GetStringAsync("/to-chuc/ngan-hang");

        Assert.Equal(HttpStatusCode.Redirect, retire.StatusCode);
        Assert.Equal(["qd2-002"], Ids(active));
        Assert.Equal(["qd2-001"], Ids(retired));
        Assert.Equal(["qd2-001", "qd2-002"], Ids(afterRestore));
    }

    [Fact]
    public async Task Saving_an_invalid_edit_stores_nothing_and_shows_the_error_and_a_valid_one_makes_version_2()
    {
        await ImportAsync(SampleBank.Question("qd2-001"));
        using var client = await App.CreateOrganizerClientAsync();

        using var invalid = await PostFormAsync(client, "/to-chuc/ngan-hang/qd2-001", null,
            [new("Markdown", SampleBank.Question("qd2-001", difficulty: "de"))]);
        var invalidPage = WebUtility.HtmlDecode(await invalid.Content.ReadAsStringAsync());
        using var valid = await PostFormAsync(client, "/to-chuc/ngan-hang/qd2-001", null,
            [new("Markdown", SampleBank.Question("qd2-001", stem: "Câu hỏi đã sửa?"))]);
        var store = App.Service<BankStore>();

        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("difficulty 'de' không có", invalidPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, valid.StatusCode);
        var current = (await store.GetAsync("qd2-001"))!;
        Assert.Equal(2, current.Version);
        Assert.Contains("Câu hỏi đã sửa?", current.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_exported_sheet_imports_back_unchanged_and_a_bad_row_is_refused_with_its_row_and_column()
    {
        await ImportAsync(SampleBank.Question("qd2-001"), SampleBank.Question("qd2-002", stem: "Câu **hai**?"));
        using var client = await App.CreateOrganizerClientAsync();

        var xlsx = await client.GetByteArrayAsync("/api/organizer/bank/export.xlsx");
        var sheet = BankXlsx.Read(new MemoryStream(xlsx), "export.xlsx");
        var again = await UploadAsync(client, xlsx);

        Assert.Empty(sheet.Errors);
        Assert.Equal(["qd2-001", "qd2-002"], sheet.Questions.Select(q => q.Id));
        Assert.Equal("Câu **hai**?", sheet.Questions[1].StemMd);
        Assert.Contains("0 câu mới, 0 câu có phiên bản mới, 2 câu không đổi", again, StringComparison.Ordinal);

        var broken = sheet.Questions.Select(q => q.Id == "qd2-002" ? q with { Kind = "many" } : q).ToList();
        using var brokenSheet = new MemoryStream();
        BankXlsx.Write(brokenSheet, broken);
        var refused = await UploadAsync(client, brokenSheet.ToArray());

        Assert.Contains("Chưa nhập gì: tệp có 1 lỗi", refused, StringComparison.Ordinal);
        Assert.Contains("Dòng 3, cột F: kind 'many' không có", refused, StringComparison.Ordinal);
        Assert.Equal(1, (await App.Service<BankStore>().GetAsync("qd2-002"))!.Version);
    }

    private static async Task<string> UploadAsync(HttpClient client, byte[] xlsx)
    {
        var token = await TokenAsync(client, "/to-chuc/ngan-hang");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(xlsx), "file", "bank.xlsx" },
        };
        using var response = await client.PostAsync("/to-chuc/ngan-hang?handler=Import", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string? handler, KeyValuePair<string, string>[] fields)
    {
        var token = await TokenAsync(client, url);
        using var form = new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]);
        return await client.PostAsync(handler is null ? url : $"{url}?handler={handler}", form);
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
    }

    private static List<string> Ids(string html) => [.. ListedId().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex Token();

    [GeneratedRegex("""<a class="bank-id" href="/to-chuc/ngan-hang/([a-z0-9-]+)">""")]
    private static partial Regex ListedId();
}
