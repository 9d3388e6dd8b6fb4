using System.Globalization;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// One line of a round's blueprint: draw <see cref="Count"/> questions that match every filter given (a missing
/// filter matches anything). "2 of viewpoint 1", "1 hard of task 3", "5 of any kind".
/// </summary>
public sealed record BlueprintLine(int Count, int? Viewpoint = null, int? Task = null, string? Topic = null, string? Difficulty = null)
{
    public bool Matches(BankQuestion q) =>
        (Viewpoint is not { } v || q.Viewpoints.Contains((short)v))
        && (Task is not { } t || q.Tasks.Contains((short)t))
        && (Topic is null || q.Topics.Contains(Topic, StringComparer.Ordinal))
        && (Difficulty is null || q.Difficulty == Difficulty);

    /// <summary>"2 câu quan điểm 1, mức khó", for organizers.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Viewpoint is { } v)
        {
            parts.Add($"quan điểm {v}");
        }
        if (Task is { } t)
        {
            parts.Add($"nhiệm vụ {t}");
        }
        if (Topic is not null)
        {
            parts.Add($"chủ đề {Topic}");
        }
        if (Difficulty is not null)
        {
            parts.Add("mức " + Blueprint.DifficultyNames.GetValueOrDefault(Difficulty, Difficulty));
        }
        return $"{Count} câu " + (parts.Count == 0 ? "bất kỳ" : string.Join(", ", parts));
    }
}

/// <summary>A published question as the draw sees it: the current version of a question that is not retired.</summary>
public sealed record BankQuestion(long VersionId, string QuestionId, string Difficulty, short[] Viewpoints, short[] Tasks, string[] Topics);

/// <summary>
/// Blueprint rules, pure. Lines may overlap (a question of viewpoint 1 that is also hard fits "viewpoint 1" and
/// "hard"), so filling them is a bipartite matching of slots to questions: a greedy pass can fail where an assignment
/// exists. Kuhn's augmenting paths find one whenever it exists; walking the candidates in a shuffled order makes
/// each draw a different paper.
/// </summary>
public static class Blueprint
{
    public const int MaxQuestions = 60;
    public const int MaxLines = 30;

    public static readonly IReadOnlyDictionary<string, string> DifficultyNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["easy"] = "dễ",
        ["medium"] = "trung bình",
        ["hard"] = "khó",
    };

    public static IReadOnlyList<string> Topics => Tag.TopicSlugs;

    public static int QuestionCount(IEnumerable<BlueprintLine> lines) => lines.Sum(l => l.Count);

    /// <returns>Every problem with the lines themselves (not yet the bank), in Vietnamese.</returns>
    public static List<string> Validate(IReadOnlyList<BlueprintLine>? lines)
    {
        var errors = new List<string>();
        if (lines is null || lines.Count == 0)
        {
            errors.Add("Cấu trúc đề cần ít nhất một dòng, ví dụ \"10 câu bất kỳ\".");
            return errors;
        }
        if (lines.Count > MaxLines)
        {
            errors.Add($"Cấu trúc đề có tối đa {MaxLines} dòng.");
        }
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var at = $"Dòng {i + 1} của cấu trúc đề";
            if (line.Count < 1)
            {
                errors.Add($"{at}: số câu phải từ 1 trở lên.");
            }
            if (line.Viewpoint is { } v && v is < 1 or > 5)
            {
                errors.Add($"{at}: quan điểm phải từ 1 đến 5, không phải {v}.");
            }
            if (line.Task is { } t && t is < 1 or > 7)
            {
                errors.Add($"{at}: nhiệm vụ phải từ 1 đến 7, không phải {t}.");
            }
            if (line.Topic is { } topic && !Topics.Contains(topic))
            {
                errors.Add($"{at}: chủ đề \"{topic}\" không có; dùng {string.Join(", ", Topics)}.");
            }
            if (line.Difficulty is { } d && !DifficultyNames.ContainsKey(d))
            {
                errors.Add($"{at}: mức độ \"{d}\" không có; dùng easy, medium hoặc hard.");
            }
        }
        var total = lines.Where(l => l.Count > 0).Sum(l => (long)l.Count);
        if (total > MaxQuestions)
        {
            errors.Add($"Một lượt thi có tối đa {MaxQuestions} câu; cấu trúc đề đang cần {total}.");
        }
        return errors;
    }

    /// <summary>Whether the bank can fill the blueprint; if not, a message naming the lines that lack questions.</summary>
    public static string? CheckBank(IReadOnlyList<BlueprintLine> lines, IReadOnlyList<BankQuestion> bank)
    {
        if (Draw(lines, bank, new Random(0)) is not null)
        {
            return null;
        }
        var short_ = lines
            .Select((l, i) => (Line: l, Index: i + 1, Available: bank.Count(l.Matches)))
            .Where(x => x.Available < x.Line.Count)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"dòng {x.Index} ({x.Line.Describe()}) chỉ có {x.Available} câu"))
            .ToList();
        return short_.Count > 0
            ? $"Ngân hàng câu hỏi chưa đủ cho cấu trúc đề: {string.Join("; ", short_)}. Bổ sung câu hỏi hoặc giảm số câu."
            : $"Ngân hàng câu hỏi chưa đủ cho cấu trúc đề: các dòng dùng chung câu hỏi nên không thể rút đủ {QuestionCount(lines)} câu khác nhau "
              + $"(ngân hàng có {bank.Count} câu). Bổ sung câu hỏi hoặc giảm số câu.";
    }

    /// <summary>
    /// Draws one paper: every line gets its count of matching questions, no question twice, in a shuffled order.
    /// </summary>
    /// <returns>The drawn questions with the line each fills, or null when the bank cannot fill the blueprint.</returns>
    public static IReadOnlyList<(BankQuestion Question, int Line)>? Draw(IReadOnlyList<BlueprintLine> lines, IReadOnlyList<BankQuestion> bank, Random random)
    {
        var order = bank.ToArray();
        random.Shuffle(order);
        // A slot per question to draw; the candidates of a slot are the bank's matching questions in shuffled order.
        var slotLine = lines.SelectMany((l, i) => Enumerable.Repeat(i, Math.Max(l.Count, 0))).ToArray();
        var candidates = lines.Select(l => order.Select((q, index) => (q, index)).Where(x => l.Matches(x.q)).Select(x => x.index).ToArray()).ToArray();
        var owner = new int[order.Length];
        Array.Fill(owner, -1);
        var slotQuestion = new int[slotLine.Length];
        var visited = new bool[order.Length];
        for (var slot = 0; slot < slotLine.Length; slot++)
        {
            Array.Clear(visited);
            if (!Assign(slot))
            {
                return null;
            }
        }
        var paper = slotQuestion.Select((q, slot) => (order[q], slotLine[slot])).ToArray();
        random.Shuffle(paper);
        return paper;

        bool Assign(int slot)
        {
            var mine = candidates[slotLine[slot]];
            // A free question first: the common case needs no augmenting path at all.
            foreach (var q in mine)
            {
                if (owner[q] < 0)
                {
                    owner[q] = slot;
                    slotQuestion[slot] = q;
                    return true;
                }
            }
            foreach (var q in mine)
            {
                if (visited[q])
                {
                    continue;
                }
                visited[q] = true;
                if (Assign(owner[q]))
                {
                    owner[q] = slot;
                    slotQuestion[slot] = q;
                    return true;
                }
            }
            return false;
        }
    }
}
