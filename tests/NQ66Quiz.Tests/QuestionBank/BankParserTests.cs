using System.Text;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.QuestionBank;

public sealed class BankParserTests
{
    private static readonly string Valid = Path.Combine(AppContext.BaseDirectory, "TestData", "bank", "valid");

    private static BankCheckResult CheckValid() => BankCheck.CheckFolder(Valid, "valid");

    [Fact]
    public void The_valid_sample_bank_has_no_error_and_no_warning()
    {
        var result = CheckValid();

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(["mau-kh-001", "mau-kh-002", "mau-qd-001", "mau-qd-002"], result.Questions.Select(q => q.Id));
    }

    [Fact]
    public void Front_matter_gives_defaults_and_a_key_in_the_question_replaces_it()
    {
        var questions = CheckValid().Questions.ToDictionary(q => q.Id);

        var first = questions["mau-qd-001"];
        Assert.Equal([2], first.Viewpoints);
        Assert.Equal("easy", first.Difficulty);      // own key
        Assert.Equal("single", first.Kind);          // from front matter
        var second = questions["mau-qd-002"];
        Assert.Equal([1, 3], second.Viewpoints);     // list replaces the default 2
        Assert.Equal([2], second.Tasks);
        Assert.Equal("medium", second.Difficulty);
        Assert.Equal("multiple", second.Kind);
        var plan = questions["mau-kh-002"];
        Assert.Equal(["ke-hoach-ha-noi", "muc-tieu"], plan.Topics);
        Assert.Equal([7], plan.Tasks);
        Assert.Equal("valid/ke-hoach.md", plan.Positions.File);
        Assert.Equal("ke-hoach.md", plan.SourceFile);
    }

    [Fact]
    public void A_stem_may_end_with_its_own_list_and_the_options_are_the_task_list_after_it()
    {
        var q = CheckValid().Questions.Single(q => q.Id == "mau-qd-002");

        Assert.EndsWith("- Có thể có nhiều đáp án đúng.", q.StemMd, StringComparison.Ordinal);
        Assert.Equal(6, q.Options.Count);
        Assert.Equal([true, true, false, false, false, false], q.Options.Select(o => o.Correct));
        Assert.Equal("Bảo đảm sự lãnh đạo của Đảng đối với công tác xây dựng pháp luật", q.Options[0].Md);
        Assert.StartsWith("Hai nội dung đúng:", q.ExplanationMd, StringComparison.Ordinal);
        Assert.Equal("Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị, phần Quan điểm chỉ đạo — [bài viết](https://example.org/nq66)", q.Source);
        Assert.Contains("<li>Có thể có nhiều đáp án đúng.</li>", BankMarkdown.ToHtml(q.StemMd), StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_html_is_shown_as_text_and_unsafe_links_are_neutralised_in_the_html()
    {
        var html = BankMarkdown.ToHtml("Chọn <script>alert(1)</script> **đúng** [x](javascript:alert(2)) ![a](http://evil/a.png)");

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<strong>đúng</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Equal("Bộ <em>Chính trị</em>", BankMarkdown.InlineToHtml("Bộ *Chính trị*"));
    }

    [Fact]
    public void Text_typed_with_combining_accents_is_normalised_to_NFC_and_warned_about()
    {
        var text = File.ReadAllText(Path.Combine(Valid, "quan-diem.md"));
        var nfd = text.Normalize(NormalizationForm.FormD);

        var fromNfc = BankCheck.CheckText("a.md", text);
        var fromNfd = BankCheck.CheckText("a.md", nfd);

        Assert.Empty(fromNfd.Errors);
        var warning = Assert.Single(fromNfd.Warnings);
        Assert.Equal(7, warning.Line); // "# Mẫu: ..." is the first line with an accent
        Assert.All(fromNfd.Questions.Zip(fromNfc.Questions), pair =>
        {
            Assert.True(pair.First.SameContent(pair.Second));
            Assert.True(pair.First.StemMd.IsNormalized(NormalizationForm.FormC));
        });
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_read_the_same()
    {
        var text = File.ReadAllText(Path.Combine(Valid, "ke-hoach.md"));
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))).ToArray();

        var crlf = BankParser.ParseBytes("a.md", bytes);
        var lf = BankParser.Parse("a.md", text);

        Assert.Empty(crlf.Issues);
        Assert.Equal(lf.Questions.Select(BankMarkdown.Canonical), crlf.Questions.Select(BankMarkdown.Canonical));
    }

    [Fact]
    public void Duplicate_ids_are_found_across_files_with_the_first_place_named()
    {
        var one = Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(Valid, "ke-hoach.md")));

        var result = BankCheck.CheckFiles([("a.md", "a.md", one), ("b.md", "b.md", one)]);

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("b.md", e.File));
        Assert.Contains(result.Errors, e => e.Line == 7 && e.Message.StartsWith("id 'mau-kh-001' trùng với câu hỏi ở a.md:7", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("- [x] Cả A và B")]
    [InlineData("- [x] A và B đều đúng")]
    [InlineData("- [x] Không có phương án nào đúng")]
    [InlineData("- [x] Tất cả đều đúng")]
    [InlineData("- [x] Phương án B")]
    public void Options_that_refer_to_other_options_are_refused_because_options_are_shuffled(string option)
    {
        var text = $"## q-1\n\n```yaml\ntopic: chung\ndifficulty: easy\nkind: single\n```\n\nCâu hỏi?\n\n- [ ] Một\n- [ ] Hai\n{option}\n\n### Giải thích\n\n{option[6..]}\n\n### Nguồn\n\nNguồn\n";

        var result = BankCheck.CheckText("a.md", text);

        var error = Assert.Single(result.Errors);
        Assert.Equal(13, error.Line);
        Assert.Contains("xáo trộn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_question_uses_the_study_page_of_its_first_tag()
    {
        var questions = CheckValid().Questions.ToDictionary(q => q.Id);

        Assert.Equal("/hoc/quan-diem-2", questions["mau-qd-001"].StudyPath);
        Assert.Equal("/hoc/quan-diem-1", questions["mau-qd-002"].StudyPath);
        Assert.Equal("/hoc/nhiem-vu-7", questions["mau-kh-002"].StudyPath);
        Assert.Equal("/hoc/ke-hoach-ha-noi", questions["mau-kh-001"].StudyPath);
    }

    private static string WithForm(string formLine) =>
        $"## q-1\n\n```yaml\ntopic: chung\ndifficulty: easy\nkind: single\n{formLine}```\n\nMột phường nhận được đơn?\n\n- [ ] Một\n- [x] Hai\n\n### Giải thích\n\nĐáp án là hai.\n\n### Nguồn\n\nNguồn\n";

    [Fact]
    public void Form_is_recall_unless_the_question_says_scenario_and_the_canonical_text_keeps_it()
    {
        var recall = Assert.Single(BankCheck.CheckText("a.md", WithForm("")).Questions);
        var scenario = Assert.Single(BankCheck.CheckText("a.md", WithForm("form: scenario\n")).Questions);
        var fromFrontMatter = Assert.Single(BankCheck.CheckText("a.md", "---\nform: scenario\n---\n\n" + WithForm("")).Questions);

        Assert.Equal("recall", recall.Form);
        Assert.Equal("scenario", scenario.Form);
        Assert.Equal("scenario", fromFrontMatter.Form);
        // Writing the default changes nothing, so no recall question gets a new version when 'form' is added.
        Assert.Equal(BankMarkdown.ContentHash(recall), BankMarkdown.ContentHash(Assert.Single(BankCheck.CheckText("a.md", WithForm("form: recall\n")).Questions)));
        Assert.NotEqual(BankMarkdown.ContentHash(recall), BankMarkdown.ContentHash(scenario));
        var reread = Assert.Single(BankCheck.CheckText("b.md", BankMarkdown.Canonical(scenario)).Questions);
        Assert.Equal("scenario", reread.Form);
        Assert.True(reread.SameContent(scenario));
    }

    [Fact]
    public void An_unknown_form_is_an_error_that_names_the_allowed_values()
    {
        var result = BankCheck.CheckText("a.md", WithForm("form: tinh-huong\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("form 'tinh-huong' không có", error.Message, StringComparison.Ordinal);
        Assert.Contains("scenario", error.Message, StringComparison.Ordinal);
    }
}
