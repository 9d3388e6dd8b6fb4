using System.Text.Json;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.QuestionBank;

/// <summary>One broken sample per error class (TestData/bank/broken): each reports exactly its mistake, located.</summary>
public sealed class BrokenSampleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "bank", "broken");
    private static readonly Lazy<BankCheckResult> Result = new(() => BankCheck.CheckFolder(Folder, "broken"));

    public static TheoryData<string, int, int, string> Expected => new()
    {
        { "bad-id.md", 1, 1, "id 'CH_919' không hợp lệ" },
        { "content-after-options.md", 15, 1, "Nội dung nằm sau danh sách phương án" },
        { "duplicate-id-b.md", 1, 1, "id 'ch-dup' trùng với câu hỏi ở broken/duplicate-id-a.md:1" },
        { "duplicate-options.md", 13, 1, "trùng với phương án ở dòng 12" },
        { "empty-stem.md", 9, 1, "Đề bài trống" },
        { "explanation-lacks-key.md", 15, 1, "Giải thích phải nhắc lại nguyên văn đáp án đúng \"Bộ Chính trị\"" },
        { "malformed-front-matter.md", 2, 1, "front matter không phải YAML hợp lệ" },
        { "missing-explanation.md", 1, 1, "Thiếu mục '### Giải thích'" },
        { "missing-kind.md", 1, 1, "Thiếu kind" },
        { "missing-source.md", 1, 1, "Thiếu mục '### Nguồn'" },
        { "multiple-one-correct.md", 11, 1, "Câu 'kind: multiple' cần ít nhất hai đáp án đúng" },
        { "no-tags.md", 1, 1, "Câu hỏi chưa gắn thẻ" },
        { "not-utf8.md", 9, 2, "Tệp không phải UTF-8: byte 0xF5" },
        { "option-refers-to-others.md", 13, 1, "Phương án không được nhắc tới phương án khác" },
        { "single-no-correct.md", 11, 1, "Câu 'kind: single' chưa có đáp án đúng" },
        { "single-two-correct.md", 11, 1, "Câu 'kind: single' có 2 đáp án đúng" },
        { "task-out-of-range.md", 4, 7, "task 8 không có" },
        { "too-few-options.md", 11, 1, "Chỉ có 1 phương án" },
        { "too-many-options.md", 17, 1, "Có 7 phương án: tối đa 6" },
        { "unknown-difficulty.md", 5, 13, "difficulty 'de' không có" },
        { "unknown-key.md", 5, 1, "Khoá 'level' không có" },
        { "unknown-section.md", 19, 1, "Mục '### Tham khảo' không có trong định dạng" },
        { "unknown-topic.md", 4, 8, "topic 'luat-dat-dai' không có" },
        { "unsafe-link.md", 9, 1, "liên kết không an toàn 'javascript:alert(1)'" },
        { "viewpoint-out-of-range.md", 4, 16, "viewpoint 6 không có" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_broken_sample_reports_its_mistake_at_its_line_and_column(string file, int line, int column, string message)
    {
        var errors = Result.Value.Errors.Where(e => e.File == "broken/" + file).ToList();

        Assert.Contains(errors, e => e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_sample_file_but_the_NFC_one_has_an_error_and_no_valid_file_has_a_stray_one()
    {
        var files = Directory.GetFiles(Folder, "*.md").Select(f => "broken/" + Path.GetFileName(f)).ToHashSet(StringComparer.Ordinal);
        var withErrors = Result.Value.Errors.Select(e => e.File).ToHashSet(StringComparer.Ordinal);

        files.Remove("broken/not-nfc.md");
        files.Remove("broken/duplicate-id-a.md"); // the first use of an id is fine; the second is reported
        Assert.Equal(files.Order(StringComparer.Ordinal), withErrors.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("broken/not-nfc.md", withErrors);
    }

    [Fact]
    public void Text_not_in_NFC_is_a_warning_at_the_first_such_line_not_an_error()
    {
        var warning = Assert.Single(Result.Value.Warnings);

        Assert.Equal(("broken/not-nfc.md", 9), (warning.File, warning.Line));
        Assert.Contains("không ở dạng Unicode NFC", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_check_verb_exits_1_and_its_json_locates_every_error()
    {
        var output = new StringWriter();

        var exit = await new ContentCheckVerb().RunAsync([Folder, "--json"], output, CancellationToken.None);

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(Result.Value.Questions.Count, root.GetProperty("questions").GetInt32());
        var errors = root.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(Result.Value.Errors.Count, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.EndsWith(".md", e.GetProperty("file").GetString(), StringComparison.Ordinal);
            Assert.True(e.GetProperty("line").GetInt32() >= 1);
            Assert.True(e.GetProperty("column").GetInt32() >= 1);
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString()));
        });
        Assert.Single(root.GetProperty("warnings").EnumerateArray());
        Assert.Equal(["1", "2", "3", "4", "5"], root.GetProperty("byViewpoint").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], root.GetProperty("byTask").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["muc-tieu", "ke-hoach-ha-noi", "chung"], root.GetProperty("byTopic").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["easy", "medium", "hard"], root.GetProperty("byDifficulty").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["recall", "scenario"], root.GetProperty("byForm").EnumerateObject().Select(p => p.Name));
        var cues = root.GetProperty("cues");
        Assert.Equal(["1", "2", "3", "4", "5", "6"], cues.GetProperty("keyPositions").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.30, cues.GetProperty("maxKeyLongestShare").GetDouble());
        Assert.True(cues.GetProperty("keyLongestShare").GetDouble() is >= 0 and <= 1);
    }

    [Fact]
    public async Task The_check_verb_exits_0_on_a_valid_bank_and_ends_with_the_counts_table()
    {
        var output = new StringWriter();

        var exit = await new ContentCheckVerb().RunAsync([Path.Combine(AppContext.BaseDirectory, "TestData", "bank", "valid")], output, CancellationToken.None);

        Assert.Equal(0, exit);
        var lines = output.ToString().TrimEnd().Split('\n');
        Assert.StartsWith("2 tệp, 4 câu hỏi: 0 lỗi, 0 cảnh báo.", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("difficulty    easy: 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("form          recall: 4", StringComparison.Ordinal));
        Assert.StartsWith("key longest ", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--json")]
    [InlineData("a b")]
    [InlineData("--verbose content")]
    [InlineData("/no/such/folder")]
    public async Task The_check_verb_exits_2_on_wrong_usage(string commandLine)
    {
        var output = new StringWriter();
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var exit = await new ContentCheckVerb().RunAsync(args, output, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("usage: content check DIR [--json]", output.ToString(), StringComparison.Ordinal);
    }
}
