namespace NQ66Quiz.Web.Rules;

/// <summary>
/// Scoring, pure: whether an answer is right, what an attempt scores, when an answer still counts, and how choices on
/// screen become option ids. Attempts, practice and round close all use these; the key itself is
/// <see cref="StoredOption.Correct"/>.
/// </summary>
public static class Scoring
{
    public const int MaxPrediction = 10_000_000;

    /// <summary>
    /// Right when exactly the correct options are chosen (one for "single", all of them and no other for "multiple"):
    /// a multiple-choice question has no half marks, and choosing nothing is never right.
    /// </summary>
    public static bool IsCorrect(IReadOnlyCollection<short>? chosen, IEnumerable<StoredOption> options)
    {
        var correct = options.Where(o => o.Correct).Select(o => o.Id).ToHashSet();
        return chosen is { Count: > 0 } && correct.SetEquals(chosen);
    }

    /// <summary>An online attempt scores one point per right answer.</summary>
    public static int Score(IEnumerable<bool> marks) => marks.Count(ok => ok);

    /// <summary>Every answer right: what the "how many perfect papers" prediction counts.</summary>
    public static bool IsPerfect(int score, int questionCount) => score == questionCount;

    /// <summary><see cref="IsPerfect"/> in SQL, over <c>attempts</c>' columns.</summary>
    public const string IsPerfectSql = "score = question_count";

    /// <summary>Whether an answer or submission sent at <paramref name="now"/> still counts.</summary>
    public static bool InTime(DateTimeOffset deadline, TimeSpan grace, DateTimeOffset now) => now <= deadline + grace;

    /// <summary>
    /// Turns the positions a participant picked on screen (0 = the first option shown) into option ids via the
    /// attempt's shuffled order, checking them against the question.
    /// </summary>
    public static (short[]? OptionIds, string? Error) ToOptionIds(IReadOnlyList<int>? choices, IReadOnlyList<short> optionOrder, string kind, int position)
    {
        var picked = (choices ?? []).Distinct().ToArray();
        if (picked.Any(c => c < 0 || c >= optionOrder.Count))
        {
            return (null, $"Câu {position} chỉ có các phương án {Letters(optionOrder.Count)}; lựa chọn gửi lên không có trong câu hỏi.");
        }
        if (kind == "single" && picked.Length > 1)
        {
            return (null, $"Câu {position} chỉ chọn một phương án.");
        }
        return ([.. picked.Select(c => optionOrder[c]).Order()], null);
    }

    /// <summary>Option ids back to screen positions, for showing a saved answer.</summary>
    public static int[] ToDisplay(IReadOnlyCollection<short>? optionIds, IReadOnlyList<short> optionOrder) =>
        optionIds is null ? [] : [.. optionIds.Select(id => IndexOf(optionOrder, id)).Where(i => i >= 0).Order()];

    public static string? CheckPrediction(int? prediction) =>
        prediction is < 0 or > MaxPrediction ? "Số dự đoán phải là số nguyên từ 0 đến 10.000.000." : null;

    public static string Letter(int index) => ((char)('A' + index)).ToString();

    private static string Letters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(Letter));

    private static int IndexOf(IReadOnlyList<short> order, short id)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == id)
            {
                return i;
            }
        }
        return -1;
    }
}
