using System.Net;
using System.Text.RegularExpressions;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Study;

public sealed class StudyPagesTests(AppFixture app) : IntegrationTest(app)
{
    // Razor escapes non-ASCII letters as entities; the assertions read the text as a browser would.
    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var client = App.CreateClient();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_index_lists_the_14_pages_viewpoints_then_tasks_then_goals_and_the_Hanoi_plan()
    {
        var (status, html) = await GetAsync("/hoc");

        Assert.Equal(HttpStatusCode.OK, status);
        var slugs = Regex.Matches(html, "href=\"/hoc/([a-z0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(
            ["quan-diem-1", "quan-diem-2", "quan-diem-3", "quan-diem-4", "quan-diem-5",
             "nhiem-vu-1", "nhiem-vu-2", "nhiem-vu-3", "nhiem-vu-4", "nhiem-vu-5", "nhiem-vu-6", "nhiem-vu-7",
             "muc-tieu", "ke-hoach-ha-noi"],
            slugs);
        Assert.Contains("05 quan điểm chỉ đạo", html, StringComparison.Ordinal);
        Assert.Contains("07 nhiệm vụ, giải pháp", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_study_page_has_its_title_a_table_of_contents_to_its_headings_its_sources_and_a_practice_link()
    {
        var (status, html) = await GetAsync("/hoc/quan-diem-2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches("<h1>Quan điểm 2: [^<]+</h1>", html);
        var tocTargets = Regex.Matches(html, "<li><a href=\"#([a-z0-9-]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("noi-dung-chinh", tocTargets);
        Assert.Contains("nguon", tocTargets);
        Assert.All(tocTargets, id => Assert.Contains($"<h2 id=\"{id}\">", html, StringComparison.Ordinal));
        Assert.Contains("<a class=\"button\" href=\"/luyen-tap?phan=quan-diem-2\">Luyện tập phần này</a>", html, StringComparison.Ordinal);
        Assert.Matches("<a href=\"https://[^\"]+\">", html);
    }

    [Theory]
    [InlineData("/hoc/nhiem-vu-7", "/luyen-tap?phan=nhiem-vu-7")]
    [InlineData("/hoc/muc-tieu", "/luyen-tap?phan=muc-tieu")]
    [InlineData("/hoc/ke-hoach-ha-noi", "/luyen-tap?phan=ke-hoach-ha-noi")]
    public async Task Every_kind_of_page_links_to_its_own_practice(string path, string practice)
    {
        var (status, html) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"href=\"{practice}\">Luyện tập phần này", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_page_answers_404_in_Vietnamese_with_the_way_back()
    {
        var (status, html) = await GetAsync("/hoc/quan-diem-9");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Không tìm thấy bài đọc", html, StringComparison.Ordinal);
        Assert.Contains("“quan-diem-9”", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/hoc\"", html, StringComparison.Ordinal);
    }
}
