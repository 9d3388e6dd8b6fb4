using System.Globalization;
using System.Text.RegularExpressions;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// Cues that give a key away without knowing the answer, measured over a whole bank. Attempts shuffle options, but the
/// Excel export, the organizer list, a printed paper for an in-person final and a reviewer all read the stored order,
/// and a test-wise reader picks the longest option or avoids the absolute one. The thresholds are the editorial
/// standard (issue 10); <see cref="Warnings"/> turns a breach into a validator warning naming the figure.
/// </summary>
public sealed partial record BankCueStats(
    int SingleQuestions,
    IReadOnlyDictionary<string, int> KeyPositions,
    double TopKeyPositionShare,
    int MultipleQuestions,
    int MultipleKeysFirst,
    double MultipleKeysFirstShare,
    int KeyLongest,
    double KeyLongestShare,
    int KeyClearlyLonger,
    int AbsoluteOptions,
    int AbsoluteKeys,
    double AbsoluteKeyShare,
    double BaseKeyShare,
    int AbsoluteOnlyInDistractors,
    int AbsoluteOnlyInKeys)
{
    /// <summary>At most this share of single-answer keys may be the longest option (chance is about 25 %).</summary>
    public const double MaxKeyLongestShare = 0.30;

    /// <summary>No stored position may hold more than this share of single-answer keys (4 options: 25 % each).</summary>
    public const double MaxKeyPositionShare = 0.40;

    /// <summary>At most this share of multiple-answer questions may list every key before every distractor.</summary>
    public const double MaxMultipleKeysFirstShare = 0.40;

    /// <summary>
    /// An option with an absolute ("chỉ", "mọi", …) must be a key at least this fraction as often as any option is:
    /// below it, "the absolute one is wrong" becomes a rule a participant can play.
    /// </summary>
    public const double MinAbsoluteKeyRatio = 0.6;

    /// <summary>The mirror bound: an option with an absolute must not be a key much more often either.</summary>
    public const double MaxAbsoluteKeyRatio = 1 / MinAbsoluteKeyRatio;

    /// <summary>
    /// Shares of fewer questions say more about chance than about the writing (a sample folder of four questions is
    /// "100 % first"): below this many single-answer questions no share is held against a threshold.
    /// </summary>
    public const int MinQuestionsForShares = 50;

    /// <summary>Below this many options with absolutes the ratio says nothing yet.</summary>
    public const int MinAbsoluteOptionsForRatio = 20;

    public static BankCueStats Of(IReadOnlyList<ParsedQuestion> questions)
    {
        var singles = questions.Where(q => q.Kind == BankVocabulary.KindSingle && q.Options.Count(o => o.Correct) == 1).ToList();
        var positions = Enumerable.Range(1, BankVocabulary.MaxOptions)
            .ToDictionary(p => p.ToString(CultureInfo.InvariantCulture), p => singles.Count(q => KeyIndex(q) == p - 1), StringComparer.Ordinal);
        var multiples = questions.Where(q => q.Kind == BankVocabulary.KindMultiple && q.Options.Count(o => o.Correct) >= 2).ToList();
        var keysFirst = multiples.Count(KeysFirst);
        var longest = singles.Count(KeyIsLongest);
        var clearly = singles.Count(KeyIsClearlyLonger);

        var options = questions.SelectMany(q => q.Options).ToList();
        var absolute = options.Where(o => HasAbsolute(o.Md)).ToList();
        var absoluteKeys = absolute.Count(o => o.Correct);
        var onlyDistractors = questions.Count(q => q.Options.Any(o => !o.Correct && HasAbsolute(o.Md)) && !q.Options.Any(o => o.Correct && HasAbsolute(o.Md)));
        var onlyKeys = questions.Count(q => q.Options.Any(o => o.Correct && HasAbsolute(o.Md)) && !q.Options.Any(o => !o.Correct && HasAbsolute(o.Md)));

        return new BankCueStats(
            singles.Count,
            positions,
            Share(positions.Values.DefaultIfEmpty(0).Max(), singles.Count),
            multiples.Count,
            keysFirst,
            Share(keysFirst, multiples.Count),
            longest,
            Share(longest, singles.Count),
            clearly,
            absolute.Count,
            absoluteKeys,
            Share(absoluteKeys, absolute.Count),
            Share(options.Count(o => o.Correct), options.Count),
            onlyDistractors,
            onlyKeys);
    }

    /// <summary>One warning per threshold passed, at the bank level (file "", line 0), each saying what to change.</summary>
    public IEnumerable<BankIssue> Warnings(string where)
    {
        if (SingleQuestions < MinQuestionsForShares)
        {
            yield break;
        }
        if (SingleQuestions > 0 && KeyLongestShare > MaxKeyLongestShare)
        {
            yield return Bank(where, $"Đáp án đúng là phương án dài nhất ở {KeyLongest}/{SingleQuestions} câu một đáp án ({Percent(KeyLongestShare)}), vượt ngưỡng {Percent(MaxKeyLongestShare)}: người thi đoán được đáp án theo độ dài. Viết lại phương án sai cho dài tương đương, hoặc rút gọn đáp án.");
        }
        if (SingleQuestions > 0 && TopKeyPositionShare > MaxKeyPositionShare)
        {
            var top = KeyPositions.MaxBy(p => p.Value);
            yield return Bank(where, $"Đáp án đúng nằm ở vị trí {top.Key} trong tệp ở {top.Value}/{SingleQuestions} câu một đáp án ({Percent(TopKeyPositionShare)}), vượt ngưỡng {Percent(MaxKeyPositionShare)}: bản Excel, trang xem trước và đề in giữ thứ tự trong tệp. Đảo thứ tự phương án (đáp án đi cùng phương án của nó).");
        }
        if (MultipleQuestions > 0 && MultipleKeysFirstShare > MaxMultipleKeysFirstShare)
        {
            yield return Bank(where, $"Ở {MultipleKeysFirst}/{MultipleQuestions} câu nhiều đáp án ({Percent(MultipleKeysFirstShare)}), mọi đáp án đúng đứng trước mọi phương án sai, vượt ngưỡng {Percent(MaxMultipleKeysFirstShare)}: đảo thứ tự phương án.");
        }
        if (AbsoluteOptions >= MinAbsoluteOptionsForRatio && AbsoluteKeyShare > MaxAbsoluteKeyRatio * BaseKeyShare)
        {
            yield return Bank(where, $"{AbsoluteKeys}/{AbsoluteOptions} phương án có từ tuyệt đối (chỉ, riêng, mọi, tất cả, duy nhất…) là đáp án đúng ({Percent(AbsoluteKeyShare)}, trong khi {Percent(BaseKeyShare)} phương án nói chung là đáp án đúng): người thi chọn được phương án có từ tuyệt đối mà không cần hiểu bài. Dùng từ tuyệt đối cả ở phương án sai hoặc bỏ nó khỏi đáp án đúng.");
        }
        if (AbsoluteOptions >= MinAbsoluteOptionsForRatio && AbsoluteKeyShare < MinAbsoluteKeyRatio * BaseKeyShare)
        {
            yield return Bank(where, $"Chỉ {AbsoluteKeys}/{AbsoluteOptions} phương án có từ tuyệt đối (chỉ, riêng, mọi, tất cả, duy nhất…) là đáp án đúng ({Percent(AbsoluteKeyShare)}, trong khi {Percent(BaseKeyShare)} phương án nói chung là đáp án đúng): người thi loại được phương án có từ tuyệt đối mà không cần hiểu bài. Bỏ từ tuyệt đối khỏi phương án sai hoặc dùng nó cả ở đáp án đúng.");
        }
    }

    public static int KeyIndex(ParsedQuestion q)
    {
        for (var i = 0; i < q.Options.Count; i++)
        {
            if (q.Options[i].Correct)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Every key is stored before every distractor (e.g. [x] [x] [ ] [ ]).</summary>
    public static bool KeysFirst(ParsedQuestion q)
    {
        var keys = q.Options.Count(o => o.Correct);
        return q.Options.Take(keys).All(o => o.Correct);
    }

    /// <summary>Length as a reader sees it: emphasis and links dropped, spacing folded.</summary>
    public static int Length(string md) => BankMarkdown.Folded(md).Length;

    /// <summary>The key is strictly longer than every distractor.</summary>
    public static bool KeyIsLongest(ParsedQuestion q)
    {
        var key = q.Options.FirstOrDefault(o => o.Correct);
        var distractors = q.Options.Where(o => !o.Correct).ToList();
        return key is not null && distractors.Count > 0 && Length(key.Md) > distractors.Max(o => Length(o.Md));
    }

    /// <summary>The key is longer than the longest distractor by at least 20 characters and a quarter.</summary>
    public static bool KeyIsClearlyLonger(ParsedQuestion q)
    {
        var key = q.Options.FirstOrDefault(o => o.Correct);
        var distractors = q.Options.Where(o => !o.Correct).ToList();
        if (key is null || distractors.Count == 0)
        {
            return false;
        }
        var k = Length(key.Md);
        var d = distractors.Max(o => Length(o.Md));
        return k - d >= 20 && k >= 1.25 * d;
    }

    /// <summary>Whether an option uses a word that makes a claim absolute (folded text, so case does not matter).</summary>
    public static bool HasAbsolute(string md) => Absolute().IsMatch(BankMarkdown.Folded(md));

    private static BankIssue Bank(string where, string message) => new(where, 0, 0, message, IssueSeverity.Warning);

    private static double Share(int n, int of) => of == 0 ? 0 : (double)n / of;

    private static string Percent(double share) => share.ToString("0.0 %", CultureInfo.GetCultureInfo("vi-VN"));

    // "chỉ" only as "only": not "không chỉ" (not only), nor chỉ đạo, chỉ tiêu, chỉ số, chỉ thị, chỉ rõ, chỉ ra, chỉ dẫn, chỉ định, chỉ huy, địa chỉ.
    // "riêng" only as "solely" ("của riêng", "riêng ngành"), not "riêng biệt" or "nói riêng".
    [GeneratedRegex(@"(?<![\p{L}])((?<!không |địa )chỉ(?! (đạo|tiêu|số|thị|rõ|ra|dẫn|định|huy|trích|điểm|vị trí))|duy nhất|tất cả|mọi|hoàn toàn|tuyệt đối|không bao giờ|luôn luôn|bất kỳ|bất cứ|(?<!nói )riêng(?! biệt| lẻ))(?![\p{L}])")]
    private static partial Regex Absolute();
}
