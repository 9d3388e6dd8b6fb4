using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Tests.Contests;

public sealed class BlueprintTests
{
    private static BankQuestion Q(int id, int? viewpoint = null, int? task = null, string difficulty = "medium", string? topic = null) =>
        new(id, $"q{id}", difficulty, viewpoint is { } v ? [(short)v] : [], task is { } t ? [(short)t] : [], topic is null ? [] : [topic]);

    private static readonly IReadOnlyList<BankQuestion> Bank =
    [
        .. Enumerable.Range(1, 10).Select(i => Q(i, viewpoint: 1, difficulty: i <= 3 ? "hard" : "easy")),
        .. Enumerable.Range(11, 10).Select(i => Q(i, viewpoint: 2)),
        .. Enumerable.Range(21, 10).Select(i => Q(i, task: 3)),
        .. Enumerable.Range(31, 5).Select(i => Q(i, topic: "muc-tieu")),
    ];

    [Fact]
    public void A_draw_fills_each_line_with_matching_questions_and_never_repeats_one()
    {
        BlueprintLine[] lines = [new(3, Viewpoint: 1), new(2, Viewpoint: 2), new(4, Task: 3), new(1, Topic: "muc-tieu"), new(2)];

        for (var seed = 0; seed < 200; seed++)
        {
            var paper = Blueprint.Draw(lines, Bank, new Random(seed))!;

            Assert.Equal(12, paper.Count);
            Assert.Equal(12, paper.Select(p => p.Question.VersionId).Distinct().Count());
            Assert.All(paper, p => Assert.True(lines[p.Line].Matches(p.Question)));
            Assert.Equal([3, 2, 4, 1, 2], Enumerable.Range(0, lines.Length).Select(i => paper.Count(p => p.Line == i)));
        }
    }

    [Fact]
    public void Different_draws_give_different_papers_in_different_orders()
    {
        BlueprintLine[] lines = [new(5, Viewpoint: 1), new(5, Viewpoint: 2)];

        var papers = Enumerable.Range(0, 20).Select(seed => string.Join(",", Blueprint.Draw(lines, Bank, new Random(seed))!.Select(p => p.Question.VersionId))).ToList();

        Assert.True(papers.Distinct().Count() >= 19, "20 draws should give (almost) 20 different papers");
        Assert.True(papers.Select(p => string.Join(",", p.Split(',').Order())).Distinct().Count() > 1, "the questions themselves differ, not only their order");
    }

    [Fact]
    public void Overlapping_lines_are_filled_when_a_greedy_draw_would_get_stuck()
    {
        // "hard" can only be q1..q3 (all viewpoint 1), so a draw that spends them on "viewpoint 1" first must back out.
        BlueprintLine[] lines = [new(7, Viewpoint: 1), new(3, Difficulty: "hard")];

        for (var seed = 0; seed < 100; seed++)
        {
            var paper = Blueprint.Draw(lines, Bank, new Random(seed))!;
            Assert.Equal(["q1", "q2", "q3"], paper.Where(p => p.Line == 1).Select(p => p.Question.QuestionId).Order(StringComparer.Ordinal));
            Assert.Equal(10, paper.Select(p => p.Question.VersionId).Distinct().Count());
        }
    }

    [Fact]
    public void A_blueprint_the_bank_cannot_fill_is_reported_line_by_line()
    {
        BlueprintLine[] lines = [new(2, Viewpoint: 1), new(6, Topic: "muc-tieu"), new(1, Viewpoint: 5)];

        Assert.Null(Blueprint.Draw(lines, Bank, new Random(1)));
        Assert.Equal("Ngân hàng câu hỏi chưa đủ cho cấu trúc đề: dòng 2 (6 câu chủ đề muc-tieu) chỉ có 5 câu; dòng 3 (1 câu quan điểm 5) chỉ có 0 câu. "
            + "Bổ sung câu hỏi hoặc giảm số câu.", Blueprint.CheckBank(lines, Bank));
    }

    [Fact]
    public void Lines_that_fit_alone_but_not_together_are_reported()
    {
        BlueprintLine[] lines = [new(8, Viewpoint: 1), new(3, Difficulty: "hard"), new(1, Viewpoint: 1, Difficulty: "hard")];

        Assert.StartsWith("Ngân hàng câu hỏi chưa đủ cho cấu trúc đề: các dòng dùng chung câu hỏi", Blueprint.CheckBank(lines, Bank), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_names_each_bad_line()
    {
        var errors = Blueprint.Validate([new(0, Viewpoint: 6), new(61, Task: 8, Topic: "khac", Difficulty: "rat-kho")]);

        Assert.Equal([
            "Dòng 1 của cấu trúc đề: số câu phải từ 1 trở lên.",
            "Dòng 1 của cấu trúc đề: quan điểm phải từ 1 đến 5, không phải 6.",
            "Dòng 2 của cấu trúc đề: nhiệm vụ phải từ 1 đến 7, không phải 8.",
            "Dòng 2 của cấu trúc đề: chủ đề \"khac\" không có; dùng muc-tieu, ke-hoach-ha-noi, chung.",
            "Dòng 2 của cấu trúc đề: mức độ \"rat-kho\" không có; dùng easy, medium hoặc hard.",
            "Một lượt thi có tối đa 60 câu; cấu trúc đề đang cần 61.",
        ], errors);
    }
}
