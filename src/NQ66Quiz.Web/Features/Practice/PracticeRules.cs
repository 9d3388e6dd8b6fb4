namespace NQ66Quiz.Web.Features.Practice;

/// <summary>One line of "Điểm yếu của tôi": answers to questions carrying one tag.</summary>
public sealed record WeakPoint(string Scope, string Label, long Answered, long Correct)
{
    public int Percent => Answered == 0 ? 0 : (int)Math.Round(100.0 * Correct / Answered, MidpointRounding.AwayFromZero);
}

/// <summary>The rules of practice mode, free of I/O so unit tests hit them directly.</summary>
public static class PracticeRules
{
    public const int QuestionsPerSet = 10;

    public enum AnswerProblem { None, Empty, UnknownOption, MoreThanOneForSingle }

    public static AnswerProblem Check(IReadOnlyCollection<int> chosen, IReadOnlyCollection<StoredOption> options, string kind)
    {
        if (chosen.Count == 0)
        {
            return AnswerProblem.Empty;
        }
        if (chosen.Any(id => options.All(o => o.Id != id)))
        {
            return AnswerProblem.UnknownOption;
        }
        return kind == "single" && chosen.Distinct().Count() > 1 ? AnswerProblem.MoreThanOneForSingle : AnswerProblem.None;
    }

    /// <summary>Easy questions first, hard ones last, so a set warms up; the draw itself stays random.</summary>
    public static int DifficultyRank(string difficulty) => difficulty switch
    {
        "easy" => 0,
        "medium" => 1,
        _ => 2,
    };

    /// <summary>Fisher–Yates; options are shown in a new order each time so position never gives the key away.</summary>
    public static T[] Shuffled<T>(IEnumerable<T> items, Random random)
    {
        var array = items.ToArray();
        for (var i = array.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (array[i], array[j]) = (array[j], array[i]);
        }
        return array;
    }

    /// <summary>
    /// Weakest first: lowest share right; among equal shares the one answered more often is the surer weakness; then
    /// page order, so the table is stable.
    /// </summary>
    public static IReadOnlyList<WeakPoint> WeakestFirst(IEnumerable<WeakPoint> points)
    {
        var order = Tag.All.Select((s, i) => (s.Slug, i)).ToDictionary(x => x.Slug, x => x.i, StringComparer.Ordinal);
        return
        [
            .. points.Where(p => p.Answered > 0)
                .OrderBy(p => (decimal)p.Correct / p.Answered)
                .ThenByDescending(p => p.Answered)
                .ThenBy(p => order.GetValueOrDefault(p.Scope, int.MaxValue)),
        ];
    }
}
