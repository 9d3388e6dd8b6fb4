namespace NQ66Quiz.Tests.Rules;

public sealed class ScoringTests
{
    private static readonly StoredOption[] Single = [new(0, "a", "a", false), new(1, "b", "b", true), new(2, "c", "c", false)];
    private static readonly StoredOption[] Multiple = [new(0, "a", "a", true), new(1, "b", "b", true), new(2, "c", "c", false)];

    [Fact]
    public void Single_choice_is_right_only_with_the_correct_option() =>
        Assert.Equal([true, false, false, false], new short[]?[] { [1], [0], [], null }.Select(c => Scoring.IsCorrect(c, Single)));

    [Fact]
    public void Multiple_choice_needs_exactly_the_correct_set() =>
        Assert.Equal([true, false, false], new short[][] { [1, 0], [0], [0, 1, 2] }.Select(c => Scoring.IsCorrect(c, Multiple)));

    private static readonly StoredOption[] TwoOfFour = [new(0, "A", "A", true), new(1, "B", "B", false), new(2, "C", "C", true), new(3, "D", "D", false)];

    // Practice answers are scored by the same rule as contest attempts (moved here from PracticeRulesTests).
    [Theory]
    [InlineData(new short[] { 0, 2 }, true)]
    [InlineData(new short[] { 2, 0 }, true)]
    [InlineData(new short[] { 0 }, false)]
    [InlineData(new short[] { 0, 1, 2 }, false)]
    [InlineData(new short[] { 1 }, false)]
    public void Only_exactly_the_correct_options_are_right(short[] chosen, bool right) =>
        Assert.Equal(right, Scoring.IsCorrect(chosen, TwoOfFour));

    [Fact]
    public void Screen_positions_map_to_option_ids_through_the_attempt_order()
    {
        short[] order = [2, 0, 3, 1];

        var (ids, error) = Scoring.ToOptionIds([2], order, "single", 1);

        Assert.Null(error);
        Assert.Equal([(short)3], ids!);
        Assert.Equal([0, 2], Scoring.ToDisplay([2, 3], order));
    }

    [Fact]
    public void Positions_outside_the_question_or_two_for_a_single_choice_are_refused()
    {
        Assert.Equal("Câu 3 chỉ có các phương án A, B, C, D; lựa chọn gửi lên không có trong câu hỏi.", Scoring.ToOptionIds([4], [0, 1, 2, 3], "single", 3).Error);
        Assert.Equal("Câu 3 chỉ có các phương án A, B, C, D; lựa chọn gửi lên không có trong câu hỏi.", Scoring.ToOptionIds([-1], [0, 1, 2, 3], "single", 3).Error);
        Assert.Equal("Câu 3 chỉ chọn một phương án.", Scoring.ToOptionIds([0, 1], [0, 1, 2, 3], "single", 3).Error);
        Assert.Null(Scoring.ToOptionIds([0, 1], [0, 1, 2, 3], "multiple", 3).Error);
    }

    [Fact]
    public void The_grace_extends_the_deadline_inclusively()
    {
        var deadline = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        var grace = TimeSpan.FromSeconds(10);

        Assert.True(Scoring.InTime(deadline, grace, deadline.AddSeconds(10)));
        Assert.False(Scoring.InTime(deadline, grace, deadline.AddSeconds(10.001)));
    }
}
