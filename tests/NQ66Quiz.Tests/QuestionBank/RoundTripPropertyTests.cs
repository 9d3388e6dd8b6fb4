using CsCheck;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.QuestionBank;

/// <summary>Random valid banks survive parse → render → parse unchanged (and a spreadsheet round trip too).</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly string[] Words =
    [
        "Nghị", "quyết", "pháp", "luật", "thể", "chế", "đổi", "mới", "Hà", "Nội", "nhân", "dân", "doanh", "nghiệp",
        "kiến", "tạo", "phát", "triển", "đột", "phá", "năm", "2025", "2030", "mục", "tiêu", "Đảng", "Quốc", "hội",
        "Chính", "phủ", "địa", "phương", "thi", "hành", "xây", "dựng", "kỷ", "nguyên", "số", "66-NQ/TW", "§2.3",
    ];

    private static readonly Gen<string> Word = Gen.OneOf(Words);

    private static readonly Gen<string> Phrase = Gen.Select(Word.Array[2, 8], Gen.Int[0, 3], (w, style) =>
    {
        // Some phrases carry inline Markdown; all are one line without a leading marker.
        var text = string.Join(' ', w);
        return style switch
        {
            1 => $"{text} **{w[0]}**",
            2 => $"*{w[^1]}* {text}",
            _ => text,
        };
    });

    private static readonly Gen<string> Block = Gen.OneOf(
        Phrase.Select(p => p + "?"),
        Gen.Select(Phrase, Phrase, (a, b) => $"{a}\n{b}."),
        Gen.Select(Phrase, Phrase.Array[1, 3], Gen.Bool, (p, items, star) =>
            $"{p}:\n\n" + string.Join('\n', items.Select(i => (star ? "* " : "- ") + i))));

    private static readonly Gen<(string Text, int Index)[]> OptionTexts =
        Gen.Int[2, 6].SelectMany(n => Phrase.Array[n]).Where(a => a.Select(BankMarkdown.Folded).Distinct(StringComparer.Ordinal).Count() == a.Length)
            .Select(a => a.Select((t, i) => (t, i)).ToArray());

    private static readonly Gen<ParsedQuestion> Question =
        from viewpoints in Gen.Int[1, 5].Array[0, 2]
        from tasks in Gen.Int[1, 7].Array[0, 2]
        from topics in Gen.OneOf(BankVocabulary.Topics).Array[0, 2]
        from fallbackTopic in Gen.OneOf(BankVocabulary.Topics)
        from difficulty in Gen.OneOf(BankVocabulary.Difficulties)
        from options in OptionTexts
        from multiple in Gen.Bool
        from correctSeed in Gen.Int[0, 1000]
        from stem in Block.Array[1, 3]
        from explanation in Block.Array[0, 2]
        from source in Phrase
        let kind = multiple && options.Length >= 3 ? BankVocabulary.KindMultiple : BankVocabulary.KindSingle
        let correct = Correct(kind, options.Length, correctSeed)
        let vp = viewpoints.Distinct().ToList()
        let ts = tasks.Distinct().ToList()
        let tp = vp.Count + ts.Count + topics.Length == 0 ? [fallbackTopic] : topics.Distinct().ToList()
        select new ParsedQuestion(
            "q", vp, ts, tp, difficulty, kind,
            string.Join("\n\n", stem),
            options.Select(o => new ParsedOption(o.Text, correct.Contains(o.Index))).ToList(),
            string.Join("\n\n", explanation.Prepend("Đáp án: " + string.Join("; ", options.Where(o => correct.Contains(o.Index)).Select(o => o.Text)) + ".")),
            source + " — https://example.org/nq66");

    private static readonly Gen<List<ParsedQuestion>> Bank = Question.List[1, 6]
        .Select(qs => qs.Select((q, i) => q with { Id = $"q-{i + 1:000}" }).ToList());

    private static HashSet<int> Correct(string kind, int count, int seed)
    {
        if (kind == BankVocabulary.KindSingle)
        {
            return [seed % count];
        }
        var many = 2 + seed % (count - 2); // at least two right, at least one wrong
        return [.. Enumerable.Range(0, count).OrderBy(i => (i * 7919 + seed) % 101).Take(many)];
    }

    [Fact]
    public void Random_valid_banks_survive_parse_render_parse_unchanged()
    {
        Bank.Sample(bank =>
        {
            var first = BankCheck.CheckText("bank.md", BankMarkdown.CanonicalFile(bank));
            var second = BankCheck.CheckText("bank.md", BankMarkdown.CanonicalFile(first.Questions));

            Assert.Empty(first.Errors);
            Assert.Equal(bank.Count, first.Questions.Count);
            AssertSame(bank, first.Questions);
            AssertSame(bank, second.Questions);
        }, iter: 300);
    }

    [Fact]
    public void Random_valid_banks_written_with_front_matter_defaults_parse_to_the_same_questions()
    {
        Bank.Sample(bank =>
        {
            var difficulty = bank[0].Difficulty;
            var text = $"---\ndifficulty: {difficulty}\n---\n\n"
                + BankMarkdown.CanonicalFile(bank).Replace($"difficulty: {difficulty}\n", "", StringComparison.Ordinal);

            var parsed = BankCheck.CheckText("bank.md", text);

            Assert.Empty(parsed.Errors);
            AssertSame(bank, parsed.Questions);
        }, iter: 200);
    }

    [Fact]
    public void Random_valid_banks_survive_markdown_to_xlsx_to_markdown()
    {
        Bank.Sample(bank =>
        {
            using var xlsx = new MemoryStream();
            BankXlsx.Write(xlsx, bank);
            xlsx.Position = 0;

            var back = BankXlsx.Read(xlsx, "bank.xlsx");

            Assert.Empty(back.Errors);
            AssertSame(bank, back.Questions);
            Assert.Equal(BankMarkdown.CanonicalFile(bank), BankMarkdown.CanonicalFile(back.Questions));
        }, iter: 40);
    }

    internal static void AssertSame(IReadOnlyList<ParsedQuestion> expected, IReadOnlyList<ParsedQuestion> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Viewpoints, a.Viewpoints);
            Assert.Equal(e.Tasks, a.Tasks);
            Assert.Equal(e.Topics, a.Topics);
            Assert.Equal(e.Difficulty, a.Difficulty);
            Assert.Equal(e.Kind, a.Kind);
            Assert.Equal(e.StemMd, a.StemMd);
            Assert.Equal(e.Options, a.Options); // ParsedOption is a record of two scalars: value equality
            Assert.Equal(e.ExplanationMd, a.ExplanationMd);
            Assert.Equal(e.Source, a.Source);
        }
    }
}
