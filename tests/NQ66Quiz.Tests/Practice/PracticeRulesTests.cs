using NQ66Quiz.Web.Features.Practice;

namespace NQ66Quiz.Tests.Practice;

public sealed class PracticeRulesTests
{
    private static readonly StoredOption[] Options =
    [
        new(0, "A", "A", true),
        new(1, "B", "B", false),
        new(2, "C", "C", true),
        new(3, "D", "D", false),
    ];

    [Theory]
    [InlineData(new int[0], "multiple", PracticeRules.AnswerProblem.Empty)]
    [InlineData(new[] { 7 }, "multiple", PracticeRules.AnswerProblem.UnknownOption)]
    [InlineData(new[] { 0, 1 }, "single", PracticeRules.AnswerProblem.MoreThanOneForSingle)]
    [InlineData(new[] { 0, 1 }, "multiple", PracticeRules.AnswerProblem.None)]
    [InlineData(new[] { 1 }, "single", PracticeRules.AnswerProblem.None)]
    public void An_answer_must_choose_options_of_the_question(int[] chosen, string kind, PracticeRules.AnswerProblem problem) =>
        Assert.Equal(problem, PracticeRules.Check(chosen, Options, kind));

    [Fact]
    public void Shuffling_keeps_every_option_and_moves_them_around()
    {
        var random = new Random(66);
        var orders = Enumerable.Range(0, 50).Select(_ => string.Join(',', PracticeRules.Shuffled(Options, random).Select(o => o.Id))).ToList();

        Assert.All(orders, o => Assert.Equal("0,1,2,3", string.Join(',', o.Split(',').Order(StringComparer.Ordinal))));
        Assert.True(orders.Distinct().Count() > 10, "50 shuffles of 4 options should give many orders");
        Assert.Contains(orders, o => !o.StartsWith('0'));
    }

    [Fact]
    public void Weak_points_list_the_lowest_share_right_first_then_the_most_answered()
    {
        var ordered = PracticeRules.WeakestFirst(
        [
            new("quan-diem-1", "Quan điểm 1", 10, 9),
            new("nhiem-vu-2", "Nhiệm vụ 2", 4, 1),
            new("muc-tieu", "Mục tiêu", 8, 2),
            new("quan-diem-3", "Quan điểm 3", 4, 1),
            new("chung", "Kiến thức chung", 0, 0),
        ]);

        Assert.Equal(["muc-tieu", "quan-diem-3", "nhiem-vu-2", "quan-diem-1"], ordered.Select(p => p.Scope));
        Assert.Equal(25, ordered[0].Percent);
    }

    [Fact]
    public void Easy_questions_come_before_medium_and_hard_ones() =>
        Assert.Equal(["easy", "medium", "hard"], ((string[])["hard", "easy", "medium"]).OrderBy(PracticeRules.DifficultyRank));
}
