using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.QuestionBank;

/// <summary>
/// The cue statistics (key position, key length, absolutes) and the <c>form</c> key: the measures on banks written
/// here, so that each one is seen to fire, and the editorial thresholds held on the shipped bank (issue 10).
/// </summary>
public sealed class BankCueTests
{
    private static string Question(string id, string options, string extraYaml = "") => $$"""
        ## {{id}}

        ```yaml
        viewpoint: 2
        difficulty: easy
        kind: {{(options.Split('\n').Count(l => l.StartsWith("- [x]", StringComparison.Ordinal)) > 1 ? "multiple" : "single")}}
        {{extraYaml}}
        ```

        Câu hỏi {{id}}?

        {{options}}

        ### Giải thích

        Đáp án đúng: {{string.Join("; ", options.Split('\n').Where(l => l.StartsWith("- [x]", StringComparison.Ordinal)).Select(l => $"**{l[6..]}**"))}}.

        ### Nguồn

        Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị — https://example.vn/nq66

        """;

    private static string[] Rotate(string[] lines, int by) => [.. lines.Skip(by % lines.Length), .. lines.Take(by % lines.Length)];

    private static BankCheckResult Check(params string[] questions) =>
        BankCheck.CheckText("t.md", string.Join("\n", questions));

    [Fact]
    public void Key_position_key_length_and_keys_first_are_counted()
    {
        var r = Check(
            Question("a-1", "- [x] Một đáp án rất dài hơn mọi phương án khác\n- [ ] Ngắn\n- [ ] Cũng ngắn"),
            Question("a-2", "- [ ] Phương án sai thứ nhất\n- [x] Đúng\n- [ ] Sai"),
            Question("a-3", "- [x] Đúng một\n- [x] Đúng hai\n- [ ] Sai"),
            Question("a-4", "- [ ] Sai\n- [x] Đúng một\n- [x] Đúng hai"));

        var c = r.Cues;
        Assert.Equal(2, c.SingleQuestions);
        Assert.Equal(1, c.KeyPositions["1"]);
        Assert.Equal(1, c.KeyPositions["2"]);
        Assert.Equal(0, c.KeyPositions["3"]);
        Assert.Equal(1, c.KeyLongest);
        Assert.Equal(0.5, c.KeyLongestShare);
        Assert.Equal(1, c.KeyClearlyLonger);
        Assert.Equal(2, c.MultipleQuestions);
        Assert.Equal(1, c.MultipleKeysFirst);
    }

    [Theory]
    [InlineData("Chỉ Quốc hội có trách nhiệm", true)]
    [InlineData("Nhiệm vụ của riêng ngành Tư pháp", true)]
    [InlineData("Mọi cơ quan đều phải làm", true)]
    [InlineData("Phương án duy nhất", true)]
    [InlineData("Quan điểm chỉ đạo thứ hai", false)]
    [InlineData("Chỉ tiêu năm 2025", false)]
    [InlineData("Không chỉ để quản lý", false)]
    [InlineData("Địa chỉ trang thông tin", false)]
    [InlineData("Cơ chế riêng biệt", false)]
    public void An_absolute_is_chi_rieng_moi_tat_ca_duy_nhat_but_not_chi_dao_or_chi_tieu(string option, bool absolute) =>
        Assert.Equal(absolute, BankCueStats.HasAbsolute(option));

    [Fact]
    public void Absolutes_only_in_distractors_are_counted_and_past_the_ratio_the_bank_is_warned()
    {
        // 60 single-answer questions whose only absolute is in a distractor: "the absolute one is wrong" always works.
        var questions = Enumerable.Range(1, 60)
            .Select(i => Question($"b-{i}", string.Join("\n", Rotate([$"- [ ] Chỉ Quốc hội làm việc này {i}", $"- [x] Cả hệ thống chính trị {i}", $"- [ ] Cơ quan tư pháp {i}"], i))))
            .ToArray();
        var c = BankCueStats.Of(Check(questions).Questions);

        Assert.Equal(60, c.AbsoluteOnlyInDistractors);
        Assert.Equal(0, c.AbsoluteKeys);
        var warning = Assert.Single(c.Warnings("content"));
        Assert.Equal(IssueSeverity.Warning, warning.Severity);
        Assert.Contains("từ tuyệt đối", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bank_with_the_key_always_first_and_longest_is_warned_but_a_handful_of_questions_is_not()
    {
        var questions = Enumerable.Range(1, BankCueStats.MinQuestionsForShares)
            .Select(i => Question($"c-{i}", $"- [x] Đáp án đúng dài hơn hẳn các phương án khác {i}\n- [ ] Sai {i}\n- [ ] Cũng sai {i}"))
            .ToArray();

        var warnings = BankCueStats.Of(Check(questions).Questions).Warnings("content").Select(w => w.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, m => m.Contains("phương án dài nhất", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("vị trí 1", StringComparison.Ordinal));

        Assert.Empty(BankCueStats.Of(Check(questions[..5]).Questions).Warnings("content"));
    }

    [Fact]
    public void Form_defaults_to_recall_reads_scenario_refuses_others_and_survives_the_canonical_form_and_excel()
    {
        var r = Check(
            Question("f-1", "- [x] Đúng\n- [ ] Sai"),
            Question("f-2", "- [x] Đúng\n- [ ] Sai", "form: scenario"));
        Assert.True(r.Ok, string.Join('\n', r.Errors));
        Assert.Equal(["recall", "scenario"], r.Questions.Select(q => q.Form));
        Assert.Equal(1, r.ByForm["scenario"]);

        var recallCanonical = BankMarkdown.Canonical(r.Questions[0]);
        Assert.DoesNotContain("form:", recallCanonical, StringComparison.Ordinal);
        var reparsed = BankCheck.CheckText("c.md", BankMarkdown.Canonical(r.Questions[1])).Questions.Single();
        Assert.Equal("scenario", reparsed.Form);
        Assert.True(reparsed.SameContent(r.Questions[1]));

        using var sheet = new MemoryStream();
        BankXlsx.Write(sheet, r.Questions);
        sheet.Position = 0;
        var back = BankXlsx.Read(sheet, "bank.xlsx");
        Assert.True(back.Ok, string.Join('\n', back.Errors));
        Assert.Equal(["recall", "scenario"], back.Questions.Select(q => q.Form));

        var bad = Check(Question("f-3", "- [x] Đúng\n- [ ] Sai", "form: tinh-huong"));
        Assert.Contains(bad.Errors, e => e.Message.StartsWith("form 'tinh-huong' không có", StringComparison.Ordinal));
    }

    [Fact]
    public void A_source_with_an_internal_label_is_warned_and_a_cited_document_is_not()
    {
        var labelled = Question("s-1", "- [x] Đúng\n- [ ] Sai").Replace("Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị", "Fact sheet §2.2", StringComparison.Ordinal);
        var seed = Question("s-2", "- [x] Đúng\n- [ ] Sai").Replace("Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị — https://example.vn/nq66", "Kế hoạch (seed), mục 4", StringComparison.Ordinal);

        var r = Check(labelled, seed, Question("s-3", "- [x] Đúng\n- [ ] Sai"));

        Assert.True(r.Ok);
        Assert.Equal(2, r.Warnings.Count(w => w.Message.StartsWith("Nguồn ghi nhãn nội bộ", StringComparison.Ordinal)));
    }

    /// <summary>The shipped bank (with whatever scenario files are in content/questions) holds every threshold.</summary>
    [Fact]
    public void The_shipped_bank_holds_the_cue_thresholds_and_has_no_warning()
    {
        var result = BankCheck.CheckFolder(Path.Combine(ContentLintTests.RepositoryRoot(), "content"), "content");
        var c = result.Cues;

        Assert.True(c.SingleQuestions >= BankCueStats.MinQuestionsForShares);
        Assert.True(c.KeyLongestShare <= BankCueStats.MaxKeyLongestShare, $"key is the longest option in {c.KeyLongest}/{c.SingleQuestions} single-answer questions");
        Assert.True(c.TopKeyPositionShare <= BankCueStats.MaxKeyPositionShare, $"key positions {string.Join(", ", c.KeyPositions)}");
        Assert.True(c.MultipleKeysFirstShare <= BankCueStats.MaxMultipleKeysFirstShare, $"{c.MultipleKeysFirst}/{c.MultipleQuestions} multiple-answer questions list their keys first");
        Assert.True(c.AbsoluteKeyShare >= BankCueStats.MinAbsoluteKeyRatio * c.BaseKeyShare && c.AbsoluteKeyShare <= BankCueStats.MaxAbsoluteKeyRatio * c.BaseKeyShare,
            $"{c.AbsoluteKeys}/{c.AbsoluteOptions} options with an absolute are keys; keys are {c.BaseKeyShare:P1} of all options");
        Assert.True(result.Warnings.Count == 0, $"`content check content` warns:\n{string.Join('\n', result.Warnings)}");
    }
}
