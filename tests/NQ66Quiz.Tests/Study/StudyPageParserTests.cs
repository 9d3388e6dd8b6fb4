using System.Text;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Tests.Study;

public sealed class StudyPageParserTests
{
    private const string Page = """
        ---
        title: "Quan điểm 9: Thử"
        slug: quan-diem-9
        order: 9
        ---

        Mở đầu.

        ## Nội dung chính

        Có <script>alert(1)</script> và <b>đậm</b>.

        ## Vì sao **quan trọng**

        ### Không vào mục lục

        ## Nguồn

        - [Báo Lao Động](https://laodong.vn/a)
        """;

    [Fact]
    public void Level_two_headings_become_the_table_of_contents_with_the_ids_the_body_uses()
    {
        var page = StudyPageParser.Parse("quan-diem-9", Page);

        Assert.Equal("Quan điểm 9: Thử", page.Title);
        Assert.Equal(9, page.Order);
        Assert.Equal(["Nội dung chính", "Vì sao quan trọng", "Nguồn"], page.Contents.Select(h => h.Text));
        Assert.Equal(["noi-dung-chinh", "vi-sao-quan-trong", "nguon"], page.Contents.Select(h => h.Id));
        foreach (var heading in page.Contents)
        {
            Assert.Contains($"<h2 id=\"{heading.Id}\">", page.BodyHtml, StringComparison.Ordinal);
        }
        Assert.Contains("<a href=\"https://laodong.vn/a\">Báo Lao Động</a>", page.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_html_in_a_page_is_shown_as_text_never_rendered()
    {
        var page = StudyPageParser.Parse("quan-diem-9", Page);

        Assert.DoesNotContain("<script>", page.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Decomposed_Vietnamese_is_normalised_to_NFC()
    {
        var page = StudyPageParser.Parse("quan-diem-9", Page.Normalize(NormalizationForm.FormD));

        Assert.Equal("Quan điểm 9: Thử".Normalize(NormalizationForm.FormC), page.Title);
        Assert.True(page.BodyHtml.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("noi-dung-chinh", page.Contents[0].Id);
    }

    [Theory]
    [InlineData("# no front matter", "không có front matter")]
    [InlineData("---\nslug: quan-diem-9\norder: 1\n---\nx", "thiếu 'title'")]
    [InlineData("---\ntitle: T\nslug: quan-diem-8\norder: 1\n---\nx", "'slug' phải trùng tên tệp ('quan-diem-9')")]
    [InlineData("---\ntitle: T\nslug: quan-diem-9\n---\nx", "thiếu 'order'")]
    [InlineData("---\ntitle: [\n---\nx", "front matter không đọc được")]
    public void A_broken_page_names_its_file_and_the_problem(string markdown, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => StudyPageParser.Parse("quan-diem-9", markdown));

        Assert.StartsWith("study/quan-diem-9.md: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_study_pages_load_in_order_viewpoints_tasks_goals_and_the_Hanoi_plan()
    {
        var folder = StudyOptions.FindContentFolder(AppContext.BaseDirectory);
        Assert.NotNull(folder);

        var pages = StudyLibrary.Load(Path.Combine(folder, "study"));

        Assert.Equal(
            ["quan-diem-1", "quan-diem-2", "quan-diem-3", "quan-diem-4", "quan-diem-5",
             "nhiem-vu-1", "nhiem-vu-2", "nhiem-vu-3", "nhiem-vu-4", "nhiem-vu-5", "nhiem-vu-6", "nhiem-vu-7",
             "muc-tieu", "ke-hoach-ha-noi"],
            pages.Select(p => p.Slug));
        Assert.All(pages, p =>
        {
            Assert.NotEmpty(p.Contents);
            Assert.All(p.Contents, h => Assert.Matches("^[a-z0-9-]+$", h.Id));
            Assert.Contains("href=\"http", p.BodyHtml, StringComparison.Ordinal);
        });
    }
}
