namespace NQ66Quiz.Tests.ContentReview;

/// <summary>The self-review rules themselves, on small banks written here, so a rule that never fires cannot pass unseen.</summary>
public sealed class BankReviewRulesTests
{
    private const string File = """
        ---
        viewpoint: 2
        difficulty: easy
        ---

        ## qd2-001

        ```yaml
        kind: single
        task: [3, 5]
        ```

        Theo Nghị quyết 66-NQ/TW, xây dựng pháp luật là gì?

        - [ ] Nhiệm vụ của riêng ngành Tư pháp
        - [x] "Đột phá của đột phá"
        - [ ] Tất cả các phương án trên

        ### Giải thích

        Quan điểm 2 gọi đó là **"Đột phá của đột phá"**.

        ### Nguồn

        Fact sheet §2.2 — https://example.vn/a

        ## qd2-002

        ```yaml
        kind: multiple
        difficulty: hard
        viewpoint: [1, 4]
        topic: muc-tieu
        ```

        Theo Nghị quyết 66-NQ/TW, xây dựng pháp luật là gì vậy?

        - [x] Dân chủ, công bằng
        - [x] Công khai, minh bạch
        - [ ] Không có phương án nào đúng

        ### Giải thích

        Chỉ nói dân chủ, công bằng.

        ### Nguồn

        """;

    private static readonly IReadOnlyList<BankQuestion> Bank = BankReader.Read("questions/test.md", File);

    [Fact]
    public void The_reader_takes_ids_tags_options_and_sections_with_front_matter_as_defaults()
    {
        Assert.Equal(["qd2-001", "qd2-002"], Bank.Select(q => q.Id));
        var first = Bank[0];
        Assert.Equal((6, "easy", "single"), (first.Line, first.Difficulty, first.Kind));
        Assert.Equal([2], first.Viewpoints);
        Assert.Equal([3, 5], first.Tasks);
        Assert.Equal("Theo Nghị quyết 66-NQ/TW, xây dựng pháp luật là gì?", first.Stem);
        Assert.Equal([false, true, false], first.Options.Select(o => o.Correct));
        Assert.Equal("Fact sheet §2.2 — https://example.vn/a", first.Source);
        var second = Bank[1];
        Assert.Equal([1, 4], second.Viewpoints);
        Assert.Equal(["muc-tieu"], second.Topics);
        Assert.Equal("hard", second.Difficulty);
        Assert.Equal("", second.Source);
    }

    [Fact]
    public void Each_rule_finds_what_it_is_for()
    {
        Assert.Equal(["questions/test.md:6 qd2-001: Nguồn uses the internal label 'Fact sheet': Fact sheet §2.2 — https://example.vn/a", "questions/test.md:27 qd2-002: no ### Nguồn"], BankReview.Sources(Bank));
        Assert.Equal(["questions/test.md:27 qd2-002: Giải thích does not contain the correct option \"Công khai, minh bạch\""], BankReview.Explanations(Bank));
        Assert.Equal(2, BankReview.AllOrNoneOptions(Bank).Count());
        Assert.Single(BankReview.DuplicateStems(Bank));
        Assert.Empty(BankReview.Structure(Bank));
        Assert.Equal(["questions/test.md:27 qd2-002: not in the review log (content/review/*.md, row | qd2-002 | key | verified against |)"],
            BankReview.ReviewLog(Bank, BankReview.ReadReviewLog(["| id | key | verified against |\n|---|---|---|\n| qd2-001 | \"Đột phá của đột phá\" | Fact sheet §2.2 |"])));
    }

    [Fact]
    public void A_review_row_must_name_the_bank_s_key_in_any_order_and_what_it_was_verified_against()
    {
        var log = BankReview.ReadReviewLog(["""
            | id | key | verified against |
            |---|---|---|
            | qd2-001 | Nhiệm vụ của riêng ngành Tư pháp | Fact sheet §2.2 |
            | qd2-002 | Công khai, minh bạch · Dân chủ, công bằng |  |
            """]);

        Assert.Equal(
        [
            "questions/test.md:6 qd2-001: review log key \"Nhiệm vụ của riêng ngành Tư pháp\" is not the bank's key \"\"Đột phá của đột phá\"\"",
            "questions/test.md:27 qd2-002: review log row has an empty 'verified against'",
        ], BankReview.ReviewLog(Bank, log));
    }

    [Theory]
    [InlineData("Tất cả các phương án trên", true)]
    [InlineData("Không có đáp án nào đúng", true)]
    [InlineData("Cả A và B", true)]
    [InlineData("A và B đều đúng", true)]
    [InlineData("Cả hai phương án", true)]
    [InlineData("Tất cả cán bộ, công chức, viên chức", false)]
    [InlineData("Không có quy định nào như vậy", false)]
    [InlineData("Đúng", false)]
    public void All_or_none_options_are_recognised_without_catching_ordinary_wording(string option, bool flagged)
    {
        var bank = new[] { Bank[0] with { Options = [new(option, false), new("x", true)] } };

        Assert.Equal(flagged, BankReview.AllOrNoneOptions(bank).Any());
    }

    [Theory]
    [InlineData("Nhiệm vụ về hợp tác quốc tế đứng thứ mấy trong 07 nhiệm vụ, giải pháp của Kế hoạch?", true)]
    [InlineData("Nhiệm vụ nào được Kế hoạch liệt kê ngay sau nhiệm vụ đổi mới tư duy?", true)]
    [InlineData("Ba nội dung: chuyển đổi số; tài chính; nhân lực. Kế hoạch xếp chúng theo thứ tự nào?", true)]
    [InlineData("Trong các nội dung sau, những nội dung nào là tên nhiệm vụ của Kế hoạch?", false)]
    [InlineData("Tiêu đề nhiệm vụ (7) gọi cơ chế tài chính là cơ chế gì?", false)]
    [InlineData("Quan điểm chỉ đạo thứ mấy nói về kiểm soát quyền lực?", false)]
    public void A_task_order_drill_is_a_stem_asking_where_a_task_stands(string stem, bool drill)
    {
        var bank = BankReader.Read("questions/t.md", $"## nv9-001\n\n```yaml\ntask: 1\ndifficulty: easy\nkind: single\n```\n\n{stem}\n\n- [x] A\n- [ ] B\n\n### Giải thích\n\n**A**\n\n### Nguồn\n\nx — https://example.vn\n");
        Assert.Equal(drill, BankReview.TaskOrderDrills(bank).Count == 1);
    }

    [Fact]
    public void Folding_drops_case_diacritics_and_punctuation()
    {
        Assert.Equal("dot pha cua dot pha trong xay dung phap luat", BankReview.Fold("“Đột phá của đột phá” — trong  XÂY DỰNG pháp luật!"));
        Assert.Equal(0.8, BankReview.Jaccard(new HashSet<string> { "a", "b", "c", "d" }, new HashSet<string> { "a", "b", "c", "d", "e" }));
    }

    [Fact]
    public void Distribution_flags_each_target_missed_and_the_difficulty_mix()
    {
        var coverage = BankReview.Distribution(Bank);

        Assert.Contains(coverage, c => c is { Name: "questions", Count: 2, Met: false });
        Assert.Contains(coverage, c => c is { Name: "viewpoint 2", Count: 1, Met: false });
        Assert.Contains(coverage, c => c is { Name: "easy (50.0%)", Met: true });
        Assert.Contains(coverage, c => c is { Name: "medium (0.0%)", Met: false });
        Assert.Contains(coverage, c => c is { Name: "hard (50.0%)", Met: false });
        Assert.Contains(coverage, c => c is { Name: "kind multiple", Count: 1, Met: true });
        Assert.Contains("| viewpoint 2 | 1 | >= 28 | NO |", BankReview.Table(coverage), StringComparison.Ordinal);
    }
}
