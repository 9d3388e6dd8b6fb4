namespace NQ66Quiz.Web.Rules;

/// <summary>
/// Scoring, pure: whether an answer is right, what an attempt scores, when an answer still counts, and how choices on
/// screen become option ids. Attempts, practice and round close all use these; the key itself is
/// <see cref="StoredOption.Correct"/>.
///
/// The one home for scoring. Live rounds (vòng thi trực tiếp) use Kahoot's published rule: a correct answer is worth
/// <c>round(P × (1 − (t/T)/2))</c>, t the server-measured response time, T the limit, so an instant answer earns P and
/// one at the last moment P/2; a wrong or missing answer earns 0. The optional streak bonus adds
/// <c>100 × min(streak − 1, 5)</c>, streak counting consecutive correct answers including this one.
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

    public const int StreakBonusStep = 100;
    public const int StreakBonusCap = 5;

    /// <summary>The point values a host may choose per question (0 = a warm-up question that counts for nothing).</summary>
    public static readonly IReadOnlyList<int> LivePointChoices = [0, 1000, 2000];

    /// <summary>Points for one live answer. <paramref name="elapsedMs"/> is clamped to [0, T]: the grace never pays less than P/2.</summary>
    public static int LivePoints(bool correct, int maxPoints, int elapsedMs, int timeLimitMs)
    {
        if (!correct || maxPoints <= 0 || timeLimitMs <= 0)
        {
            return 0;
        }
        var t = Math.Clamp(elapsedMs, 0, timeLimitMs);
        return (int)Math.Round(maxPoints * (1 - ((double)t / timeLimitMs / 2)), MidpointRounding.AwayFromZero);
    }

    /// <summary>The bonus for a streak of <paramref name="streak"/> consecutive correct answers (this one included).</summary>
    public static int StreakBonus(int streak) => streak <= 1 ? 0 : StreakBonusStep * Math.Min(streak - 1, StreakBonusCap);

    /// <summary>
    /// A player's running totals after one closed question. A voided (skipped) question and a 0-point question change
    /// neither points nor streak; a 0-point question still counts for accuracy, a voided one does not.
    /// </summary>
    public static LiveTotals Apply(LiveTotals before, LiveAnswerScore? answer, int maxPoints, bool streakBonusOn, bool voided)
    {
        if (voided)
        {
            return before;
        }
        var correct = answer is { Correct: true };
        if (maxPoints <= 0)
        {
            return before with { Scored = before.Scored + 1, CorrectCount = before.CorrectCount + (correct ? 1 : 0), LastGain = 0, LastBonus = 0 };
        }
        var streak = correct ? before.Streak + 1 : 0;
        var gain = answer?.Points ?? 0;
        var bonus = correct && streakBonusOn ? StreakBonus(streak) : 0;
        return new LiveTotals(before.Points + gain + bonus, streak, before.CorrectCount + (correct ? 1 : 0), before.Scored + 1, gain, bonus);
    }

    /// <summary>Right answers over scored questions, 0 when none was scored.</summary>
    public static double Accuracy(int correctCount, int scored) => scored == 0 ? 0 : (double)correctCount / scored;

    /// <summary>A unit's live score: the average of its players' points, so a big unit does not win by numbers alone.</summary>
    public static long UnitScore(IReadOnlyCollection<long> playerPoints) =>
        playerPoints.Count == 0 ? 0 : (long)Math.Round(playerPoints.Average(), MidpointRounding.AwayFromZero);
}

/// <summary>A stored live answer as scoring needs it.</summary>
public sealed record LiveAnswerScore(bool Correct, int Points);

/// <summary>A live player's running totals; LastGain/LastBonus are what the last question added.</summary>
public sealed record LiveTotals(long Points, int Streak, int CorrectCount, int Scored, int LastGain, int LastBonus)
{
    public static readonly LiveTotals Zero = new(0, 0, 0, 0, 0, 0);
}
