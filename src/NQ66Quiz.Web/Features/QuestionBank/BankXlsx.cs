using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// The bank as a spreadsheet (organizers live in Excel): one row per question, the columns below, Markdown kept as
/// typed in the cells. Reading reports every problem at its row and column (line = row, column = column number) with
/// the same rules as the Markdown files, so a sheet and a file are refused for the same reasons.
/// </summary>
public static class BankXlsx
{
    public const string SheetName = "Câu hỏi";
    private static readonly string[] OptionLetters = ["A", "B", "C", "D", "E", "F"];

    /// <summary>The header row, in order. "file" is where the question lives in content/ (may be empty).</summary>
    public static readonly string[] Columns =
        ["id", "viewpoint", "task", "topic", "difficulty", "kind", "form", "stem", "A", "B", "C", "D", "E", "F", "correct", "explanation", "source", "file"];

    public static void Write(Stream stream, IEnumerable<ParsedQuestion> questions)
    {
        var rows = questions.Select(q =>
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = q.Id,
                ["viewpoint"] = string.Join(", ", q.Viewpoints),
                ["task"] = string.Join(", ", q.Tasks),
                ["topic"] = string.Join(", ", q.Topics),
                ["difficulty"] = q.Difficulty,
                ["kind"] = q.Kind,
                ["form"] = q.Form,
                ["stem"] = q.StemMd,
            };
            for (var i = 0; i < OptionLetters.Length; i++)
            {
                row[OptionLetters[i]] = i < q.Options.Count ? q.Options[i].Md : null;
            }
            row["correct"] = string.Join(", ", q.Options.Select((o, i) => (o, i)).Where(x => x.o.Correct).Select(x => OptionLetters[Math.Min(x.i, OptionLetters.Length - 1)]));
            row["explanation"] = q.ExplanationMd;
            row["source"] = q.Source;
            row["file"] = q.SourceFile;
            return row;
        }).ToList();
        if (rows.Count == 0)
        {
            // An empty bank still gets its header row, so the file is a template to fill in.
            rows.Add(Columns.ToDictionary(c => c, _ => (object?)null, StringComparer.Ordinal));
        }
        MiniExcel.SaveAs(stream, rows, sheetName: SheetName);
    }

    /// <summary>Reads and checks a sheet written by <see cref="Write"/> (or by hand in the same layout).</summary>
    public static BankCheckResult Read(Stream stream, string file)
    {
        var issues = new List<BankIssue>();
        var questions = new List<ParsedQuestion>();
        List<IDictionary<string, object?>> rows;
        try
        {
            rows = MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException or System.Xml.XmlException)
        {
            issues.Add(new BankIssue(file, 1, 1, $"Không đọc được tệp Excel ({e.Message}): lưu tệp dạng .xlsx (Excel Workbook) rồi tải lên lại."));
            return BankCheck.CheckQuestions([], issues);
        }
        var headers = rows.Count > 0 ? rows[0].Keys.ToList() : [];
        var columnOf = headers.Select((h, i) => (h, i)).ToDictionary(x => x.h.Trim(), x => x.i + 1, StringComparer.OrdinalIgnoreCase);
        var missing = Columns.Where(c => c is not ("file" or "form") && !columnOf.ContainsKey(c)).ToList();
        if (rows.Count > 0 && missing.Count > 0)
        {
            issues.Add(new BankIssue(file, 1, 1, $"Thiếu cột {string.Join(", ", missing)} ở dòng tiêu đề: dòng 1 phải có đúng các cột {string.Join(", ", Columns)} (tải tệp mẫu từ trang Ngân hàng câu hỏi)."));
            return BankCheck.CheckQuestions([], issues);
        }
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var line = r + 2; // row 1 is the header
            string Cell(string column)
            {
                var key = headers.FirstOrDefault(h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));
                var value = key is null ? null : row[key];
                var text = value switch
                {
                    null => "",
                    double d => d.ToString(CultureInfo.InvariantCulture),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
                };
                return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Normalize(NormalizationForm.FormC).Trim();
            }
            Pos At(string column) => new(line, columnOf.TryGetValue(column, out var c) ? c : 1);
            void Error(string column, string message) => issues.Add(BankIssue.At(file, At(column), message));

            if (Columns.All(c => Cell(c).Length == 0))
            {
                continue;
            }
            var keys = new Dictionary<string, Pos>(StringComparer.Ordinal);
            List<int> Numbers(string key)
            {
                var result = new List<int>();
                foreach (var raw in Split(Cell(key)))
                {
                    var (value, error) = MetaValues.Number(key, raw);
                    if (error is not null)
                    {
                        Error(key, error);
                    }
                    if (value is { } n && !result.Contains(n))
                    {
                        result.Add(n);
                    }
                }
                keys[key] = At(key);
                return result;
            }
            var topics = Split(Cell("topic")).Distinct(StringComparer.Ordinal).ToList();
            foreach (var topic in topics.Where(t => MetaValues.Topic(t) is not null))
            {
                Error("topic", MetaValues.Topic(topic)!);
            }
            var difficulty = Cell("difficulty");
            if (difficulty.Length > 0 && MetaValues.Difficulty(difficulty) is { } badDifficulty)
            {
                Error("difficulty", badDifficulty);
            }
            var kind = Cell("kind");
            if (kind.Length > 0 && MetaValues.Kind(kind) is { } badKind)
            {
                Error("kind", badKind);
            }

            // Sheets exported before the column existed have no "form": those questions are recall questions.
            var form = Cell("form");
            if (form.Length > 0 && MetaValues.Form(form) is { } badForm)
            {
                Error("form", badForm);
            }

            var optionTexts = OptionLetters.Select(Cell).ToList();
            var lastFilled = optionTexts.FindLastIndex(t => t.Length > 0);
            for (var i = 0; i < lastFilled; i++)
            {
                if (optionTexts[i].Length == 0)
                {
                    Error(OptionLetters[i], $"Cột {OptionLetters[i]} trống nhưng cột {OptionLetters[lastFilled]} có phương án: điền phương án vào các cột liền nhau từ A.");
                }
            }
            var correctLetters = Split(Cell("correct")).Select(s => s.ToUpperInvariant()).ToList();
            foreach (var letter in correctLetters)
            {
                var index = Array.IndexOf(OptionLetters, letter);
                if (index < 0 || index > lastFilled)
                {
                    Error("correct", $"Cột correct ghi '{letter}' nhưng không có phương án ở cột đó: ghi chữ cái của (các) cột đáp án đúng, ví dụ 'B' hoặc 'A, C'.");
                }
            }
            var options = optionTexts.Take(lastFilled + 1)
                .Select((text, i) => new ParsedOption(text, correctLetters.Contains(OptionLetters[i], StringComparer.Ordinal)))
                .ToList();
            var sourceFile = Cell("file");
            questions.Add(new ParsedQuestion(
                Cell("id"), Numbers(BankVocabulary.KeyViewpoint), Numbers(BankVocabulary.KeyTask), topics,
                difficulty, kind, Cell("stem"), options, Cell("explanation"), Cell("source"))
            {
                SourceFile = sourceFile.Length > 0 ? sourceFile : null,
                Form = form.Length > 0 ? form : BankVocabulary.FormRecall,
                Positions = new QuestionPositions(file, At("id"), keys, At("stem"), At("correct"),
                    [.. OptionLetters.Take(options.Count).Select(At)], At("explanation"), At("source"))
                {
                    // An empty cell is an empty part, not a missing heading: the rules say "trống" for both.
                    HasExplanation = true,
                    HasSource = true,
                },
            });
        }
        return BankCheck.CheckQuestions(questions, issues);
    }

    private static string[] Split(string cell) =>
        cell.Trim('[', ']').Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
