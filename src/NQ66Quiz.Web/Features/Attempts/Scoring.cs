namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>An option as stored in <c>question_versions.options</c>; <see cref="Correct"/> is the key and stays on the server.</summary>
public sealed record StoredOption(short Id, string Md, string Html, bool Correct);

/// <summary>Scoring and answer rules, pure.</summary>
public static class Scoring
{
    public const int MaxPrediction = 10_000_000;

    /// <summary>Right when exactly the correct options are chosen (one for "single", all of them and no other for "multiple").</summary>
    public static bool IsCorrect(IReadOnlyCollection<short>? chosen, IEnumerable<StoredOption> options)
    {
        var correct = options.Where(o => o.Correct).Select(o => o.Id).ToHashSet();
        return chosen is { Count: > 0 } && correct.SetEquals(chosen) && chosen.Count == correct.Count;
    }

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
