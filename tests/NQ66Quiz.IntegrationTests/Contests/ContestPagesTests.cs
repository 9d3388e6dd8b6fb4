using System.Net;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Contests;

/// <summary>Every contest page answers, in Vietnamese, for the people it is meant for — and only them.</summary>
public sealed class ContestPagesTests(AppFixture app) : ContestTest(app)
{
    [Fact]
    public async Task Participant_pages_render_for_visitors_and_send_them_to_sign_in_where_needed()
    {
        var (organizer, contest, _) = await App.OpenRoundAsync();
        using var visitor = App.CreateClient();

        var list = await visitor.GetStringAsync("/cuoc-thi");
        var home = await visitor.GetStringAsync($"/cuoc-thi/{contest.Slug}");
        var register = await visitor.GetStringAsync("/dang-ky");
        var signIn = await visitor.GetStringAsync("/dang-nhap");
        var board = await visitor.GetStringAsync($"/cuoc-thi/{contest.Slug}/tuan/1/xep-hang");
        using var account = await visitor.GetAsync("/tai-khoan");
        using var results = await visitor.GetAsync($"/cuoc-thi/{contest.Slug}/tuan/1/ket-qua");

        Assert.Contains(contest.Name, list, StringComparison.Ordinal);
        Assert.Contains("Tuần thi 1", home, StringComparison.Ordinal);
        Assert.Contains("Đang diễn ra", home, StringComparison.Ordinal);
        Assert.Contains("Phường Hoàn Kiếm", register, StringComparison.Ordinal);
        Assert.Contains("Đăng nhập", signIn, StringComparison.Ordinal);
        Assert.Contains("Chưa có ai nộp bài.", board, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Equal("/dang-nhap?ReturnUrl=%2Ftai-khoan", account.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, results.StatusCode);
        organizer.Dispose();
    }

    [Fact]
    public async Task An_attempt_page_belongs_to_its_participant_only_and_never_shows_the_key()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var (owner, _) = await App.RegisterAsync(TestData.Registration("0912345678", unit));
        var (other, _) = await App.RegisterAsync(TestData.Registration("0987654321", unit, name: "Trần Thị Bình"));
        var paper = await owner.StartAsync(round.Id);

        var page = await owner.GetStringAsync($"/cuoc-thi/luot-thi/{paper.Id}");
        using var stranger = await other.GetAsync($"/cuoc-thi/luot-thi/{paper.Id}");
        using var earlyResult = await owner.GetAsync($"/cuoc-thi/luot-thi/{paper.Id}/ket-qua");

        Assert.Contains("Câu hỏi q00", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Giải thích q", page, StringComparison.Ordinal);
        Assert.DoesNotContain("correct", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, earlyResult.StatusCode);
        owner.Dispose();
        other.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Without_JavaScript_the_attempt_form_submits_every_answer_and_lands_on_the_result()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var (client, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        var paper = await client.StartAsync(round.Id);
        var key = await App.KeyAsync(paper.Id);
        var html = await client.GetStringAsync($"/cuoc-thi/luot-thi/{paper.Id}");
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = key.Select(k => new KeyValuePair<string, string>($"q{k.Key}", k.Value.Right.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("prediction", "5")).Append(new("__RequestVerificationToken", token));

        using var response = await client.PostAsync($"/cuoc-thi/luot-thi/{paper.Id}", new FormUrlEncodedContent(form));
        var result = await client.GetStringAsync($"/cuoc-thi/luot-thi/{paper.Id}/ket-qua");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("<strong id=\"score\">4/4</strong>", result, StringComparison.Ordinal);
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task The_organizer_console_lists_creates_and_reviews_contests()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync();
        using var visitor = App.CreateClient();

        var list = await organizer.GetStringAsync("/to-chuc/cuoc-thi");
        var detail = await organizer.GetStringAsync($"/to-chuc/cuoc-thi/{contest.Id}");
        var roundPage = await organizer.GetStringAsync($"/to-chuc/cuoc-thi/tuan/{round.Id}");
        using var denied = await visitor.GetAsync("/to-chuc/cuoc-thi");

        Assert.Contains(contest.Name, list, StringComparison.Ordinal);
        Assert.Contains("Thêm tuần thi", detail, StringComparison.Ordinal);
        Assert.Contains("Tuần thi 1", roundPage, StringComparison.Ordinal);
        Assert.Contains("4 câu bất kỳ", roundPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/to-chuc/dang-nhap", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        organizer.Dispose();
    }
}
