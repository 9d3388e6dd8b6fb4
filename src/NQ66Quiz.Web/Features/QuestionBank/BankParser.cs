using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Markdig;
using Markdig.Extensions.TaskLists;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>The questions of one file and what is wrong with the way it is written.</summary>
public sealed record ParsedFile(IReadOnlyList<ParsedQuestion> Questions, IReadOnlyList<BankIssue> Issues);

/// <summary>
/// Reads a bank file (format in content/README.md) with Markdig into questions, reporting structural mistakes with
/// their line and column. Rules about the content (how many options, which is correct, ...) are in
/// <see cref="BankRules"/>; this class only finds the parts.
/// </summary>
public static partial class BankParser
{
    /// <summary>Decodes strictly as UTF-8 (a Windows-1258 or UTF-16 file is an error, not mojibake), then parses.</summary>
    public static ParsedFile ParseBytes(string file, ReadOnlySpan<byte> bytes, string? sourceFile = null)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var before = new string(chars, 0, written);
            var line = before.Count(c => c == '\n') + 1;
            var column = written - (before.LastIndexOf('\n') + 1) + 1;
            var hint = bytes.Length >= 2 && (bytes[0] == 0xFF || bytes[0] == 0xFE) ? " (tệp có vẻ là UTF-16)" : "";
            return new ParsedFile([], [new BankIssue(file, line, column,
                $"Tệp không phải UTF-8{hint}: byte 0x{bytes[read]:X2} không hợp lệ. Lưu lại tệp với mã hoá UTF-8 "
                + "(VS Code: \"Save with Encoding\" → UTF-8; Notepad: Lưu thành → Mã hoá UTF-8).")]);
        }
        return Parse(file, new string(chars, 0, written), sourceFile);
    }

    /// <param name="file">How messages name the file (e.g. content/questions/chung.md).</param>
    /// <param name="sourceFile">The file relative to the bank folder, stored with each version.</param>
    public static ParsedFile Parse(string file, string text, string? sourceFile = null)
    {
        var issues = new List<BankIssue>();
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        // Half of a surrogate pair (text pasted into the editor can carry one) is not a character: say where, drop it.
        if (BrokenCharacter(text) is { } broken)
        {
            var before = text[..broken];
            issues.Add(new BankIssue(file, before.Count(c => c == '\n') + 1, broken - before.LastIndexOf('\n'),
                "Ở đây có một ký tự hỏng (nửa cặp mã UTF-16), thường do dán từ phần mềm khác; xoá ký tự đó rồi gõ lại."));
            text = VietnameseText.Nfc(text);
        }
        if (!text.IsNormalized(NormalizationForm.FormC))
        {
            issues.Add(NotNfc(file, text));
            text = VietnameseText.Nfc(text);
        }
        var questions = new Reader(file, sourceFile, text, issues).Read();
        return new ParsedFile(questions, issues);
    }

    private static int? BrokenCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }
        return null;
    }

    private static BankIssue NotNfc(string file, string text)
    {
        var lines = text.Split('\n');
        var bad = lines.Select((l, i) => (Line: l, Index: i)).Where(x => !x.Line.IsNormalized(NormalizationForm.FormC)).ToList();
        var first = bad[0];
        var column = first.Line.Select((c, i) => (c, i))
            .FirstOrDefault(x => char.GetUnicodeCategory(x.c) == System.Globalization.UnicodeCategory.NonSpacingMark).i;
        return new BankIssue(file, first.Index + 1, Math.Max(column, 1),
            $"Văn bản không ở dạng Unicode NFC (dấu tiếng Việt gõ rời) ở {bad.Count} dòng, dòng đầu là dòng này. "
            + "Khi nhập, hệ thống tự chuẩn hoá; để sửa hẳn, lưu lại tệp với chuẩn NFC (bộ gõ Unicode dựng sẵn).",
            IssueSeverity.Warning);
    }

    private enum Section
    {
        Meta,
        Stem,
        AfterOptions,
        Explanation,
        Source,
    }

    /// <summary>One pass over the top-level blocks of a file.</summary>
    private sealed class Reader(string file, string? sourceFile, string text, List<BankIssue> issues)
    {
        private readonly List<ParsedQuestion> _questions = [];
        private Meta _defaults = Meta.Empty;
        private Draft? _draft;

        public List<ParsedQuestion> Read()
        {
            if (BankMarkdown.TooDeep(text) is { } deep)
            {
                Error(deep.Pos, deep.Message);
                return _questions;
            }
            MarkdownDocument document;
            try
            {
                document = Markdown.Parse(text, BankMarkdown.Parsing);
            }
            catch (ArgumentException)
            {
                // Markdig's own depth limit, on a shape the guard does not count: still an error with a place, not a crash.
                Error(Pos.Start, $"Nội dung lồng nhau quá sâu (quá giới hạn của trình đọc Markdown); câu hỏi không cần lồng quá {BankMarkdown.MaxNesting} cấp. "
                    + "Tìm và bỏ các ký tự lồng nhau lặp lại (>, -, *, [, `) trong tệp.");
                return _questions;
            }
            if (document.FirstOrDefault() is not YamlFrontMatterBlock && FrontMatterNotClosed())
            {
                Error(Pos.Start, "Front matter mở bằng dòng '---' nhưng không có dòng '---' đóng lại: thêm '---' sau các dòng khoá: giá trị, trước câu hỏi đầu tiên.");
            }
            foreach (var block in document)
            {
                Visit(block);
            }
            Finish();
            return _questions;
        }

        private bool FrontMatterNotClosed() => text.StartsWith("---\n", StringComparison.Ordinal);

        private void Visit(Block block)
        {
            switch (block)
            {
                case YamlFrontMatterBlock frontMatter:
                    _defaults = ReadYaml(frontMatter.Lines.ToString(), frontMatter.Line + 1, PosOf(frontMatter), "front matter");
                    return;
                case HeadingBlock { Level: 2 } heading:
                    Finish();
                    _draft = new Draft(HeadingText(heading), PosOf(heading));
                    return;
                case HeadingBlock { Level: 1 } when _draft is null:
                    return; // a title for the file is fine
                case HeadingBlock { Level: 1 } heading:
                    Error(PosOf(heading), "Tiêu đề cấp 1 ('# ...') không được nằm trong câu hỏi: mỗi câu hỏi bắt đầu bằng '## id'; các mục trong câu là '### Giải thích' và '### Nguồn'.");
                    return;
            }
            if (_draft is null)
            {
                Error(PosOf(block), "Nội dung trước câu hỏi đầu tiên: mỗi câu hỏi phải bắt đầu bằng dòng '## id' (ví dụ '## qd2-001'); chỉ front matter và tiêu đề '# ...' được đứng trước.");
                return;
            }
            var d = _draft;
            if (d.Section == Section.Meta)
            {
                d.Section = Section.Stem;
                if (block is FencedCodeBlock fence && string.Equals(fence.Info, "yaml", StringComparison.Ordinal))
                {
                    if (fence.ClosingFencedCharCount == 0)
                    {
                        Error(PosOf(fence), "Khối ```yaml chưa được đóng: thêm dòng ``` sau dòng kind: ... .");
                    }
                    d.Meta = ReadYaml(fence.Lines.ToString(), fence.Line + 1, PosOf(fence), "khối yaml");
                    return;
                }
            }
            if (block is HeadingBlock { Level: >= 3 } h3 && (h3.Level == 3 || d.Section is Section.Stem or Section.AfterOptions))
            {
                StartSection(d, h3);
                return;
            }
            switch (d.Section)
            {
                case Section.Stem when block is ListBlock list && IsOptionList(list, out var first):
                    if (first > 0)
                    {
                        d.Stem.Add(list[0].Span.Start, list[first - 1].Span.End, PosOf(list));
                    }
                    ReadOptions(d, list, first);
                    d.Section = Section.AfterOptions;
                    return;
                case Section.Stem:
                    d.Stem.Add(block.Span.Start, block.Span.End, PosOf(block));
                    return;
                case Section.AfterOptions when block is ListBlock list2 && IsOptionList(list2, out _):
                    Error(PosOf(block), "Câu hỏi có hai danh sách phương án: gộp các phương án vào một danh sách liền nhau (không có dòng chữ xen giữa).");
                    return;
                case Section.AfterOptions:
                    Error(PosOf(block), "Nội dung nằm sau danh sách phương án: đề bài phải đứng trước các phương án; phần giải thích đặt dưới '### Giải thích'.");
                    return;
                case Section.Explanation:
                    d.Explanation.Add(block.Span.Start, block.Span.End, PosOf(block));
                    return;
                case Section.Source:
                    d.Source.Add(block.Span.Start, block.Span.End, PosOf(block));
                    return;
            }
        }

        private void StartSection(Draft d, HeadingBlock heading)
        {
            var title = HeadingText(heading);
            if (heading.Level == 3 && string.Equals(title, BankVocabulary.ExplanationHeading, StringComparison.OrdinalIgnoreCase))
            {
                if (d.Explanation.Heading is not null)
                {
                    Error(PosOf(heading), "Mục '### Giải thích' xuất hiện hai lần trong một câu hỏi: gộp lại thành một.");
                }
                d.Explanation.Heading ??= PosOf(heading);
                d.Section = Section.Explanation;
            }
            else if (heading.Level == 3 && string.Equals(title, BankVocabulary.SourceHeading, StringComparison.OrdinalIgnoreCase))
            {
                if (d.Source.Heading is not null)
                {
                    Error(PosOf(heading), "Mục '### Nguồn' xuất hiện hai lần trong một câu hỏi: gộp lại thành một.");
                }
                d.Source.Heading ??= PosOf(heading);
                d.Section = Section.Source;
            }
            else
            {
                Error(PosOf(heading), $"Mục '{new string('#', heading.Level)} {title}' không có trong định dạng: trong câu hỏi chỉ có '### Giải thích' và '### Nguồn' (viết đúng chữ, có dấu).");
                if (d.Section is Section.Stem or Section.AfterOptions)
                {
                    d.Section = Section.AfterOptions;
                }
            }
        }

        /// <summary>
        /// A list is the options when one of its items starts with [ ] or [x]. Markdig joins a stem's own "-" list
        /// with the options that follow it, so the options start at the first task item and the items before it
        /// belong to the stem.
        /// </summary>
        private static bool IsOptionList(ListBlock list, out int first)
        {
            first = -1;
            for (var i = 0; i < list.Count; i++)
            {
                if (IsTaskItem(list[i]))
                {
                    first = i;
                    return true;
                }
            }
            return false;
        }

        private static bool IsTaskItem(Block item) =>
            item is ListItemBlock { Count: > 0 } li && li[0] is ParagraphBlock { Inline.FirstChild: TaskList };

        private void ReadOptions(Draft d, ListBlock list, int first)
        {
            d.OptionsPos = PosOf(list[first]);
            if (list.IsOrdered)
            {
                Error(PosOf(list[first]), "Phương án phải là danh sách gạch đầu dòng '- [ ] ...' / '- [x] ...', không đánh số: thứ tự được xáo trộn mỗi lượt thi.");
            }
            for (var i = first; i < list.Count; i++)
            {
                var item = (ListItemBlock)list[i];
                var pos = PosOf(item);
                if (!IsTaskItem(item))
                {
                    Error(pos, "Dòng này trong danh sách phương án thiếu ô đánh dấu: viết '- [x] ' cho phương án đúng, '- [ ] ' cho phương án sai.");
                    continue;
                }
                var paragraph = (ParagraphBlock)item[0];
                var raw = Slice(paragraph.Span.Start, paragraph.Span.End);
                if (item.Count > 1 || raw.Contains('\n', StringComparison.Ordinal))
                {
                    Error(pos, "Mỗi phương án phải nằm trọn trên một dòng (không xuống dòng, không có danh sách con); phần giải thích đặt dưới '### Giải thích'.");
                }
                var checkedBox = ((TaskList)paragraph.Inline!.FirstChild!).Checked;
                var md = TaskMarker().Replace(raw, "");
                d.Options.Add(new ParsedOption(Spaces().Replace(md.Trim(), " "), checkedBox));
                d.OptionLines.Add(pos);
            }
        }

        private Meta ReadYaml(string yaml, int firstLine, Pos blockPos, string where)
        {
            var meta = new Meta();
            YamlNode root;
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(yaml));
                if (stream.Documents.Count == 0)
                {
                    return meta;
                }
                root = stream.Documents[0].RootNode;
            }
            catch (YamlException e)
            {
                Error(new Pos(firstLine + (int)e.Start.Line, (int)e.Start.Column),
                    $"{where} không phải YAML hợp lệ ({FirstSentence(e.Message)}): mỗi dòng có dạng 'khoá: giá trị', ví dụ 'difficulty: easy' hoặc 'viewpoint: [1, 3]'.");
                meta.Unreadable = true;
                return meta;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet throws this (without a position) for some unterminated flow lists such as "[1, 2".
                Error(new Pos(firstLine + 1, 1), $"{where} không phải YAML hợp lệ (danh sách '[' hoặc dấu nháy chưa đóng?): mỗi dòng có dạng 'khoá: giá trị', ví dụ 'viewpoint: [1, 3]'.");
                meta.Unreadable = true;
                return meta;
            }
            if (root is YamlScalarNode { Value: null or "" })
            {
                return meta;
            }
            if (root is not YamlMappingNode mapping)
            {
                Error(At(root, firstLine), $"{where} phải là các dòng 'khoá: giá trị' (ví dụ 'difficulty: easy').");
                meta.Unreadable = true;
                return meta;
            }
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = ((keyNode as YamlScalarNode)?.Value ?? "").Trim();
                var keyPos = At(keyNode, firstLine);
                if (MetaValues.UnknownKey(key) is { } unknown)
                {
                    Error(keyPos, unknown);
                    continue;
                }
                meta.Positions[key] = keyPos;
                switch (key)
                {
                    case BankVocabulary.KeyViewpoint:
                        meta.Viewpoints = Numbers(key, value, firstLine);
                        break;
                    case BankVocabulary.KeyTask:
                        meta.Tasks = Numbers(key, value, firstLine);
                        break;
                    case BankVocabulary.KeyTopic:
                        meta.Topics = Words(key, value, firstLine, MetaValues.Topic);
                        break;
                    case BankVocabulary.KeyDifficulty:
                        meta.Difficulty = Word(key, value, firstLine, MetaValues.Difficulty);
                        break;
                    case BankVocabulary.KeyKind:
                        meta.Kind = Word(key, value, firstLine, MetaValues.Kind);
                        break;
                    case BankVocabulary.KeyForm:
                        meta.Form = Word(key, value, firstLine, MetaValues.Form);
                        break;
                }
            }
            return meta;
        }

        private List<int> Numbers(string key, YamlNode node, int firstLine)
        {
            var result = new List<int>();
            foreach (var (raw, pos) in Scalars(key, node, firstLine))
            {
                var (value, error) = MetaValues.Number(key, raw);
                if (error is not null)
                {
                    Error(pos, error);
                }
                if (value is { } n)
                {
                    if (result.Contains(n))
                    {
                        Error(pos, MetaValues.DuplicateInList(key, raw));
                        continue;
                    }
                    result.Add(n);
                }
            }
            return result;
        }

        private List<string> Words(string key, YamlNode node, int firstLine, Func<string, string?> check)
        {
            var result = new List<string>();
            foreach (var (raw, pos) in Scalars(key, node, firstLine))
            {
                if (check(raw) is { } error)
                {
                    Error(pos, error);
                }
                if (result.Contains(raw, StringComparer.Ordinal))
                {
                    Error(pos, MetaValues.DuplicateInList(key, raw));
                    continue;
                }
                result.Add(raw);
            }
            return result;
        }

        private string? Word(string key, YamlNode node, int firstLine, Func<string, string?> check)
        {
            if (node is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
            {
                Error(At(node, firstLine), $"{key} cần đúng một giá trị, ví dụ '{key}: {key switch { BankVocabulary.KeyKind => "single", BankVocabulary.KeyForm => "scenario", _ => "easy" }}'.");
                return null;
            }
            var raw = scalar.Value.Trim();
            if (check(raw) is { } error)
            {
                Error(At(node, firstLine), error);
            }
            return raw;
        }

        private IEnumerable<(string Raw, Pos Pos)> Scalars(string key, YamlNode node, int firstLine)
        {
            switch (node)
            {
                case YamlScalarNode { Value: null or "" }:
                    Error(At(node, firstLine), $"{key} chưa có giá trị: ghi một giá trị ('{key}: 2') hoặc một danh sách ('{key}: [1, 3]'), hoặc bỏ dòng này.");
                    break;
                case YamlScalarNode scalar:
                    yield return (scalar.Value!.Trim(), At(node, firstLine));
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        if (item is YamlScalarNode { Value: { Length: > 0 } v })
                        {
                            yield return (v.Trim(), At(item, firstLine));
                        }
                        else
                        {
                            Error(At(item, firstLine), $"Mỗi phần tử của {key} phải là một giá trị đơn, ví dụ '{key}: [1, 3]'.");
                        }
                    }
                    break;
                default:
                    Error(At(node, firstLine), $"{key} phải là một giá trị hoặc một danh sách như [1, 3].");
                    break;
            }
        }

        private void Finish()
        {
            if (_draft is not { } d)
            {
                return;
            }
            _draft = null;
            var own = d.Meta ?? Meta.Empty;
            var keys = new Dictionary<string, Pos>(_defaults.Positions, StringComparer.Ordinal);
            foreach (var (k, p) in own.Positions)
            {
                keys[k] = p;
            }
            var question = new ParsedQuestion(
                Id: d.Id,
                Viewpoints: own.Viewpoints ?? (own.Positions.ContainsKey(BankVocabulary.KeyViewpoint) ? [] : _defaults.Viewpoints ?? []),
                Tasks: own.Tasks ?? (own.Positions.ContainsKey(BankVocabulary.KeyTask) ? [] : _defaults.Tasks ?? []),
                Topics: own.Topics ?? (own.Positions.ContainsKey(BankVocabulary.KeyTopic) ? [] : _defaults.Topics ?? []),
                Difficulty: own.Difficulty ?? (own.Positions.ContainsKey(BankVocabulary.KeyDifficulty) ? "" : _defaults.Difficulty ?? ""),
                Kind: own.Kind ?? (own.Positions.ContainsKey(BankVocabulary.KeyKind) ? "" : _defaults.Kind ?? ""),
                StemMd: d.Stem.Text(text),
                Options: d.Options,
                ExplanationMd: d.Explanation.Text(text),
                Source: d.Source.Text(text))
            {
                SourceFile = sourceFile,
                Form = own.Form ?? _defaults.Form ?? BankVocabulary.FormRecall,
                Positions = new QuestionPositions(file, d.Heading, keys, d.Stem.First ?? d.OptionsPos ?? d.Heading, d.OptionsPos ?? d.Heading,
                    d.OptionLines, d.Explanation.Heading ?? d.Heading, d.Source.Heading ?? d.Heading)
                {
                    HasExplanation = d.Explanation.Heading is not null,
                    HasSource = d.Source.Heading is not null,
                    // Its metadata could not be read: "missing tag/difficulty/kind" would only repeat that error.
                    MetaUnreadable = own.Unreadable || _defaults.Unreadable,
                },
            };
            _questions.Add(question);
        }

        private string HeadingText(HeadingBlock heading)
        {
            var line = Slice(heading.Span.Start, heading.Span.End).Trim();
            return ClosingHashes().Replace(line.TrimStart('#'), "").Trim();
        }

        private string Slice(int start, int end) => text[start..Math.Min(end + 1, text.Length)];

        private static Pos PosOf(Block block) => new(block.Line + 1, block.Column + 1);

        private static Pos At(YamlNode node, int firstLine) => new(firstLine + (int)node.Start.Line, (int)node.Start.Column);

        private void Error(Pos pos, string message) => issues.Add(BankIssue.At(file, pos, message));

        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(". ", StringComparison.Ordinal);
            return (cut > 0 ? message[..cut] : message).TrimEnd('.');
        }
    }

    private sealed class Draft(string id, Pos heading)
    {
        public string Id { get; } = id;
        public Pos Heading { get; } = heading;
        public Section Section { get; set; } = Section.Meta;
        public Meta? Meta { get; set; }
        public Part Stem { get; } = new();
        public Pos? OptionsPos { get; set; }
        public List<ParsedOption> Options { get; } = [];
        public List<Pos> OptionLines { get; } = [];
        public Part Explanation { get; } = new();
        public Part Source { get; } = new();
    }

    /// <summary>A run of blocks kept as the author wrote them (the source text between the first and last block).</summary>
    private sealed class Part
    {
        private int _start = -1;
        private int _end = -1;

        public Pos? Heading { get; set; }
        public Pos? First { get; private set; }

        public void Add(int start, int end, Pos pos)
        {
            if (_start < 0)
            {
                _start = start;
                First = pos;
            }
            _end = Math.Max(_end, end);
        }

        public string Text(string text) => _start < 0 ? "" : text[_start..Math.Min(_end + 1, text.Length)].Trim();
    }

    [GeneratedRegex(@"^\[[ xX]\]\s*")]
    private static partial Regex TaskMarker();

    [GeneratedRegex(@"\s+#+\s*$|^#+\s*$")]
    private static partial Regex ClosingHashes();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
