using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NQ66Quiz.Tests.ContentReview;

/// <summary>The structural rules of issue 4 over a read bank. Each check returns one line per problem, ready to print.</summary>
public static partial class BankReview
{
    public const int MinimumQuestions = 360;
    public const int MinimumPerViewpoint = 28;
    public const int MinimumPerTask = 22;
    public const int MinimumPerTopic = 20;
    public const double NearDuplicate = 0.8;

    // Shares of the bank and the allowed distance from them, in percentage points.
    private static readonly (string Difficulty, int Percent)[] DifficultyTargets = [("easy", 40), ("medium", 40), ("hard", 20)];
    private const int DifficultyTolerance = 10;

    public static IEnumerable<string> Structure(IReadOnlyList<BankQuestion> bank)
    {
        foreach (var group in bank.GroupBy(q => q.Id).Where(g => g.Count() > 1))
        {
            yield return $"{group.Key}: id used {group.Count()} times ({string.Join(", ", group.Select(q => $"{q.File}:{q.Line}"))})";
        }
        foreach (var q in bank)
        {
            var correct = q.Options.Count(o => o.Correct);
            if (q.Viewpoints.Count + q.Tasks.Count + q.Topics.Count == 0)
            {
                yield return $"{q.Where}: no viewpoint, task or topic";
            }
            if (q.Difficulty is not ("easy" or "medium" or "hard"))
            {
                yield return $"{q.Where}: difficulty '{q.Difficulty}' (easy, medium or hard)";
            }
            if (q.Stem.Length == 0)
            {
                yield return $"{q.Where}: empty stem";
            }
            if (q.Options.Count is < 2 or > 6)
            {
                yield return $"{q.Where}: {q.Options.Count} options (2-6)";
            }
            if (q.Kind == "single" && correct != 1)
            {
                yield return $"{q.Where}: kind single but {correct} options marked [x]";
            }
            else if (q.Kind == "multiple" && (correct < 2 || correct == q.Options.Count))
            {
                yield return $"{q.Where}: kind multiple needs 2+ options marked [x] and 1+ not ({correct} of {q.Options.Count} marked)";
            }
            else if (q.Kind is not ("single" or "multiple"))
            {
                yield return $"{q.Where}: kind '{q.Kind}' (single or multiple)";
            }
        }
    }

    /// <summary>
    /// A source is cited as people cite it: a document (number, title, part) or an article, with its public address.
    /// The team's working labels ("Fact sheet §2.2", "Kế hoạch (seed)") and file paths mean nothing to an organizer.
    /// </summary>
    public static IEnumerable<string> Sources(IReadOnlyList<BankQuestion> bank)
    {
        foreach (var q in bank)
        {
            if (q.Source.Length == 0)
            {
                yield return $"{q.Where}: no ### Nguồn";
            }
            else if (!q.Source.Contains("http://", StringComparison.Ordinal) && !q.Source.Contains("https://", StringComparison.Ordinal))
            {
                yield return $"{q.Where}: Nguồn has no public address (https://...): {q.Source}";
            }
            else if (InternalLabel().Match(q.Source) is { Success: true } label)
            {
                yield return $"{q.Where}: Nguồn uses the internal label '{label.Value}': {q.Source}";
            }
        }
    }

    /// <summary>The explanation must exist and contain the text of every correct option (Markdown emphasis ignored).</summary>
    public static IEnumerable<string> Explanations(IReadOnlyList<BankQuestion> bank)
    {
        foreach (var q in bank)
        {
            if (q.Explanation.Length == 0)
            {
                yield return $"{q.Where}: no ### Giải thích";
                continue;
            }
            var explanation = Plain(q.Explanation);
            foreach (var key in q.Options.Where(o => o.Correct && !explanation.Contains(Plain(o.Text), StringComparison.Ordinal)))
            {
                yield return $"{q.Where}: Giải thích does not contain the correct option \"{key.Text}\"";
            }
        }
    }

    /// <summary>Pairs of stems that read the same once case, diacritics, punctuation and spacing are folded away.</summary>
    public static IEnumerable<string> DuplicateStems(IReadOnlyList<BankQuestion> bank)
    {
        var tokens = bank.Select(q => Fold(q.Stem).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)).ToList();
        for (var i = 0; i < bank.Count; i++)
        {
            for (var j = i + 1; j < bank.Count; j++)
            {
                var similarity = Jaccard(tokens[i], tokens[j]);
                if (similarity >= NearDuplicate)
                {
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"{bank[i].Where} ~ {bank[j].Id} (similarity {similarity:0.00}): \"{bank[i].Stem}\" / \"{bank[j].Stem}\"");
                }
            }
        }
    }

    /// <summary>At most this many questions may drill the position of a task in the list of 07 (issue 10).</summary>
    public const int MaximumTaskOrderDrills = 4;

    /// <summary>
    /// Questions whose stem asks where a task stands in the list of 07 (first, after which, "thứ mấy", in which order):
    /// a few are fair, a dozen teach a list instead of its content.
    /// </summary>
    public static IReadOnlyList<string> TaskOrderDrills(IReadOnlyList<BankQuestion> bank) =>
        [.. bank.Select(q => (q, Stem: Fold(q.Stem)))
            .Where(x => (x.Stem.Contains("nhiem vu", StringComparison.Ordinal) || x.Stem.Contains("ke hoach xep", StringComparison.Ordinal)) && TaskOrder().IsMatch(x.Stem))
            .Select(x => x.q.Where)];

    /// <summary>Options are shuffled, so "all of the above", "none of the above" and "A and B" make no sense.</summary>
    public static IEnumerable<string> AllOrNoneOptions(IReadOnlyList<BankQuestion> bank) =>
        from q in bank
        from o in q.Options
        where AllOrNone().IsMatch(Fold(o.Text))
        select $"{q.Where}: option \"{o.Text}\" refers to other options";

    public sealed record ReviewRow(string Key, string VerifiedAgainst);

    /// <summary>
    /// Every question has a review-log row whose key column names its correct options (joined with " · ", as the
    /// reviewers write them) and says what the key was verified against: a key changed after review shows up here.
    /// </summary>
    public static IEnumerable<string> ReviewLog(IReadOnlyList<BankQuestion> bank, IReadOnlyDictionary<string, ReviewRow> log)
    {
        foreach (var q in bank)
        {
            if (log.GetValueOrDefault(q.Id) is not { } row)
            {
                yield return $"{q.Where}: not in the review log (content/review/*.md, row | {q.Id} | key | verified against |)";
                continue;
            }
            if (row.VerifiedAgainst.Length == 0)
            {
                yield return $"{q.Where}: review log row has an empty 'verified against'";
            }
            var keys = q.Options.Where(o => o.Correct).Select(o => Plain(o.Text)).Order(StringComparer.Ordinal);
            var reviewed = row.Key.Split('·').Select(Plain).Order(StringComparer.Ordinal);
            if (!keys.SequenceEqual(reviewed, StringComparer.Ordinal))
            {
                yield return $"{q.Where}: review log key \"{row.Key}\" is not the bank's key \"{string.Join(" · ", q.Options.Where(o => o.Correct).Select(o => o.Text))}\"";
            }
        }
    }

    /// <summary>Rows of every table of the form <c>| id | key | verified against |</c> in the review log files.</summary>
    public static Dictionary<string, ReviewRow> ReadReviewLog(IEnumerable<string> markdownFiles)
    {
        var rows = new Dictionary<string, ReviewRow>(StringComparer.Ordinal);
        foreach (var line in markdownFiles.SelectMany(f => f.Normalize(NormalizationForm.FormC).Split('\n')))
        {
            if (ReviewLine().Match(line.TrimEnd('\r')) is { Success: true } m && m.Groups["id"].Value != "id")
            {
                rows[m.Groups["id"].Value] = new(m.Groups["key"].Value.Trim(), m.Groups["verified"].Value.Trim());
            }
        }
        return rows;
    }

    public sealed record Coverage(string Name, int Count, string Target, bool Met);

    public static IReadOnlyList<Coverage> Distribution(IReadOnlyList<BankQuestion> bank)
    {
        var rows = new List<Coverage> { new("questions", bank.Count, $">= {MinimumQuestions}", bank.Count >= MinimumQuestions) };
        for (var v = 1; v <= 5; v++)
        {
            var n = bank.Count(q => q.Viewpoints.Contains(v));
            rows.Add(new($"viewpoint {v}", n, $">= {MinimumPerViewpoint}", n >= MinimumPerViewpoint));
        }
        for (var t = 1; t <= 7; t++)
        {
            var n = bank.Count(q => q.Tasks.Contains(t));
            rows.Add(new($"task {t}", n, $">= {MinimumPerTask}", n >= MinimumPerTask));
        }
        foreach (var topic in new[] { "muc-tieu", "ke-hoach-ha-noi" })
        {
            var n = bank.Count(q => q.Topics.Contains(topic));
            rows.Add(new($"topic {topic}", n, $">= {MinimumPerTopic}", n >= MinimumPerTopic));
        }
        rows.Add(new("topic chung", bank.Count(q => q.Topics.Contains("chung")), "-", true));
        foreach (var (difficulty, percent) in DifficultyTargets)
        {
            var n = bank.Count(q => q.Difficulty == difficulty);
            var share = bank.Count == 0 ? 0 : 100.0 * n / bank.Count;
            rows.Add(new(string.Create(CultureInfo.InvariantCulture, $"{difficulty} ({share:0.0}%)"), n,
                $"{percent - DifficultyTolerance}-{percent + DifficultyTolerance}%", Math.Abs(share - percent) <= DifficultyTolerance));
        }
        foreach (var kind in new[] { "single", "multiple" })
        {
            var n = bank.Count(q => q.Kind == kind);
            rows.Add(new($"kind {kind}", n, ">= 1", n >= 1));
        }
        return rows;
    }

    public static string Table(IReadOnlyList<Coverage> rows) =>
        "| coverage | count | target | met |\n|---|---:|---|---|\n"
        + string.Join('\n', rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Count} | {r.Target} | {(r.Met ? "yes" : "NO")} |")));

    /// <summary>NFC, lower case, no diacritics (đ → d), punctuation to spaces, spaces collapsed.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormC).ToLower(CultureInfo.GetCultureInfo("vi-VN"))
            .Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            folded.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }
        return Spaces().Replace(folded.ToString(), " ").Trim();
    }

    public static double Jaccard(IReadOnlySet<string> a, IReadOnlySet<string> b) =>
        a.Count + b.Count == 0 ? 1 : (double)a.Count(b.Contains) / a.Union(b).Count();

    private static string Plain(string markdown) =>
        Spaces().Replace(markdown.Normalize(NormalizationForm.FormC).Replace("*", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal), " ")
            .Trim().ToLower(CultureInfo.GetCultureInfo("vi-VN"));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    // Folded (no diacritics): "đứng thứ mấy", "xếp ở vị trí đầu tiên", "ngay sau nhiệm vụ", "theo thứ tự nào", "nằm giữa".
    [GeneratedRegex(@"\b(dung (o )?(vi tri|thu|ngay|dau|cuoi)|xep (o vi tri|ngay|chung theo thu tu|theo thu tu)|liet ke ngay|mang so thu tu|nam giua|theo thu tu|thu tu nao|(?<!noi )dung (truoc|sau)|vi tri (dau tien|thu may|nao)|ngay (truoc|sau) nhiem vu)\b")]
    private static partial Regex TaskOrder();

    [GeneratedRegex(@"(?i)fact ?sheet|\(seed\)|\bseed\b|§|(^|[\s(])(content|shared|work)/|\S+\.(md|txt|csv)\b")]
    private static partial Regex InternalLabel();

    [GeneratedRegex(@"\btat ca (cac )?(phuong an|dap an|lua chon|y|cau)\b|\bkhong (co )?(phuong an|dap an|lua chon|y|cau) nao\b"
        + @"|\b(phuong an|dap an|y) (o )?tren\b|\bca [a-f] va [a-f]\b|\b[a-f] va [a-f] (deu )?(dung|sai)\b|\bdeu (dung|sai)\b"
        + @"|\bca (hai|ba|bon) (phuong an|dap an|y)\b")]
    private static partial Regex AllOrNone();

    [GeneratedRegex(@"^\|\s*(?<id>[a-z0-9]+(-[a-z0-9]+)*)\s*\|(?<key>[^|]*)\|(?<verified>.*)\|\s*$")]
    private static partial Regex ReviewLine();
}
