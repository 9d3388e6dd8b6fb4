using System.Text.RegularExpressions;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// What a well-formed question is (content/README.md, "Fields"): pure rules over parsed questions, shared by the
/// Markdown files, the spreadsheet import and the organizer's editor. Each message says what is wrong and how to fix it.
/// </summary>
public static partial class BankRules
{
    /// <summary>Every rule on one question; adds to <paramref name="issues"/>.</summary>
    public static void Check(ParsedQuestion q, List<BankIssue> issues)
    {
        var at = q.Positions;
        void Error(Pos pos, string message) => issues.Add(BankIssue.At(at.File, pos, message));

        if (!IsValidId(q.Id))
        {
            Error(at.Heading, q.Id.Length == 0
                ? "Câu hỏi chưa có id: viết id ngay sau '## ', ví dụ '## qd2-001'."
                : $"id '{q.Id}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu '-' (không ở đầu/cuối, không liền nhau), tối đa {BankVocabulary.MaxIdLength} ký tự, ví dụ 'qd2-001'.");
        }
        if (q.Viewpoints.Count + q.Tasks.Count + q.Topics.Count == 0 && !at.MetaUnreadable)
        {
            Error(at.Heading, "Câu hỏi chưa gắn thẻ: thêm ít nhất một trong 'viewpoint: 1..5', 'task: 1..7' hoặc 'topic: muc-tieu|ke-hoach-ha-noi|chung' (trong khối yaml hoặc front matter của tệp).");
        }
        if (q.Difficulty.Length == 0 && !at.Keys.ContainsKey(BankVocabulary.KeyDifficulty) && !at.MetaUnreadable)
        {
            Error(at.Heading, "Thiếu difficulty: thêm dòng 'difficulty: easy' (hoặc medium, hard) vào khối yaml của câu hoặc front matter của tệp.");
        }
        if (q.Kind.Length == 0 && !at.Keys.ContainsKey(BankVocabulary.KeyKind) && !at.MetaUnreadable)
        {
            Error(at.Heading, "Thiếu kind: thêm dòng 'kind: single' (một đáp án đúng) hoặc 'kind: multiple' (nhiều đáp án đúng) vào khối yaml.");
        }
        if (string.IsNullOrWhiteSpace(q.StemMd))
        {
            Error(at.Stem, "Đề bài trống: viết câu hỏi giữa khối yaml và danh sách phương án.");
        }
        CheckOptions(q, Error);
        CheckExplanation(q, Error);
        if (!at.HasSource)
        {
            Error(at.Heading, "Thiếu mục '### Nguồn': ghi nơi kiểm chứng đáp án, ví dụ 'Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị — https://...' (số, tên văn bản, mục, địa chỉ công khai).");
        }
        else if (string.IsNullOrWhiteSpace(q.Source))
        {
            Error(at.Source, "Mục Nguồn trống: ghi nơi kiểm chứng đáp án (mục của Nghị quyết/Kế hoạch hoặc bài viết kèm đường dẫn).");
        }
        else if (InternalLabel().Match(q.Source) is { Success: true } label)
        {
            issues.Add(BankIssue.At(at.File, at.Source,
                $"Nguồn ghi nhãn nội bộ '{label.Value}': người tổ chức và người rà soát không tra được nhãn này. Ghi số, tên văn bản (và mục) kèm địa chỉ công khai, ví dụ 'Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị, phần Mục tiêu — https://...' hoặc tên báo, tên bài — https://...",
                IssueSeverity.Warning));
        }
        CheckLinks(q.StemMd, at.Stem, "Đề bài", Error);
        for (var i = 0; i < q.Options.Count; i++)
        {
            CheckLinks(q.Options[i].Md, at.Option(i), "Phương án", Error);
        }
        CheckLinks(q.ExplanationMd, at.Explanation, "Giải thích", Error);
        CheckLinks(q.Source, at.Source, "Nguồn", Error);
    }

    /// <summary>Ids are unique across every file of the bank; the later use is the one reported.</summary>
    public static void CheckUniqueIds(IEnumerable<ParsedQuestion> questions, List<BankIssue> issues)
    {
        var seen = new Dictionary<string, ParsedQuestion>(StringComparer.Ordinal);
        foreach (var q in questions.Where(q => q.Id.Length > 0))
        {
            if (seen.TryGetValue(q.Id, out var first))
            {
                issues.Add(BankIssue.At(q.Positions.File, q.Positions.Heading,
                    $"id '{q.Id}' trùng với câu hỏi ở {first.Positions.File}:{first.Positions.Heading.Line}: mỗi câu cần một id riêng; đặt id mới (không dùng lại id của câu đã bỏ)."));
            }
            else
            {
                seen[q.Id] = q;
            }
        }
    }

    public static bool IsValidId(string id) => id.Length <= BankVocabulary.MaxIdLength && IdPattern().IsMatch(id);

    private static void CheckOptions(ParsedQuestion q, Action<Pos, string> error)
    {
        var at = q.Positions;
        var count = q.Options.Count;
        if (count == 0)
        {
            error(at.Options, "Không có phương án: thêm danh sách 2–6 dòng '- [x] phương án đúng' và '- [ ] phương án sai' ngay sau đề bài.");
            return;
        }
        if (count < BankVocabulary.MinOptions)
        {
            error(at.Options, $"Chỉ có {count} phương án: cần từ {BankVocabulary.MinOptions} đến {BankVocabulary.MaxOptions}; thêm phương án sai hợp lý.");
        }
        else if (count > BankVocabulary.MaxOptions)
        {
            error(at.Option(BankVocabulary.MaxOptions), $"Có {count} phương án: tối đa {BankVocabulary.MaxOptions} (màn hình điện thoại); bỏ bớt phương án sai yếu nhất.");
        }

        var folded = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var option = q.Options[i];
            if (string.IsNullOrWhiteSpace(option.Md))
            {
                error(at.Option(i), "Phương án trống: viết nội dung sau '- [ ] ' hoặc bỏ dòng này.");
                continue;
            }
            var key = BankMarkdown.Folded(option.Md);
            if (folded.TryGetValue(key, out var firstIndex))
            {
                error(at.Option(i), $"Phương án này trùng với phương án ở dòng {at.Option(firstIndex).Line} (so sánh không phân biệt hoa thường và khoảng trắng): mỗi phương án phải khác nhau.");
            }
            else
            {
                folded[key] = i;
            }
            if (ReferencesOtherOptions().IsMatch(key))
            {
                error(at.Option(i), "Phương án không được nhắc tới phương án khác ('tất cả các phương án trên', 'A và B đều đúng', 'không có phương án nào'...): thứ tự phương án được xáo trộn mỗi lượt thi; hãy viết nội dung cụ thể.");
            }
        }

        var correct = q.Options.Count(o => o.Correct);
        switch (q.Kind)
        {
            case BankVocabulary.KindSingle when correct == 0:
                error(at.Options, "Câu 'kind: single' chưa có đáp án đúng: đánh dấu đúng một phương án bằng '- [x]'.");
                break;
            case BankVocabulary.KindSingle when correct > 1:
                error(at.Options, $"Câu 'kind: single' có {correct} đáp án đúng: chỉ được một; nếu câu có nhiều đáp án đúng, đặt 'kind: multiple'.");
                break;
            case BankVocabulary.KindMultiple when correct < 2:
                error(at.Options, $"Câu 'kind: multiple' cần ít nhất hai đáp án đúng '- [x]' (đang có {correct}); nếu chỉ một đáp án đúng, đặt 'kind: single'.");
                break;
            case BankVocabulary.KindMultiple when correct == count:
                error(at.Options, "Câu 'kind: multiple' có mọi phương án đều đúng: cần ít nhất một phương án sai '- [ ]'.");
                break;
        }
    }

    private static void CheckExplanation(ParsedQuestion q, Action<Pos, string> error)
    {
        var at = q.Positions;
        if (!at.HasExplanation)
        {
            error(at.Heading, "Thiếu mục '### Giải thích': giải thích vì sao đáp án đúng và vì sao phương án dễ nhầm nhất là sai (hiện sau khi câu hỏi đóng).");
            return;
        }
        if (string.IsNullOrWhiteSpace(q.ExplanationMd))
        {
            error(at.Explanation, "Mục Giải thích trống: viết vì sao đáp án đúng và vì sao phương án dễ nhầm nhất là sai.");
            return;
        }
        var explanation = BankMarkdown.Folded(q.ExplanationMd);
        foreach (var option in q.Options.Where(o => o.Correct && !string.IsNullOrWhiteSpace(o.Md)))
        {
            if (!explanation.Contains(BankMarkdown.Folded(option.Md), StringComparison.Ordinal))
            {
                error(at.Explanation, $"Giải thích phải nhắc lại nguyên văn đáp án đúng \"{option.Md}\" (không phân biệt hoa thường; được in đậm): người rà soát đối chiếu đáp án với giải thích qua đoạn chữ này.");
            }
        }
    }

    private static void CheckLinks(string markdown, Pos pos, string part, Action<Pos, string> error)
    {
        if (markdown.Length == 0)
        {
            return;
        }
        foreach (var (url, isImage) in BankMarkdown.Links(markdown))
        {
            if (isImage)
            {
                error(pos, $"{part} có hình ảnh ('![...](...)'): câu hỏi chưa hỗ trợ hình ảnh (mạng nội bộ thường chặn ảnh ngoài); mô tả bằng chữ.");
            }
            else if (!BankMarkdown.IsSafeUrl(url))
            {
                error(pos, $"{part} có liên kết không an toàn '{url}': chỉ dùng liên kết http://, https:// hoặc đường dẫn trong trang như /hoc/quan-diem-1.");
            }
        }
    }

    // Labels of the team's working notes and file paths: a source names a public document, not where we kept our copy.
    [GeneratedRegex(@"(?i)\bfact ?sheet\b|\(seed\)|\bseed\b|§|(^|[\s(])(content|shared|work|tests?)/|\S+\.(md|txt|csv)\b")]
    private static partial Regex InternalLabel();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    // Folded (lower-case, NFC) option text that only makes sense in a fixed order: shuffling breaks it.
    [GeneratedRegex(@"(tất cả|cả (hai|ba|bốn|năm)|các) (các )?(phương án|đáp án|ý|câu)( nêu)? (trên|dưới|đều)|không có (phương án|đáp án|ý) nào|^(cả |phương án |đáp án )?[a-f]\s*(và|hoặc|,)\s*[a-f]\b|\b(phương án|đáp án) [a-f]\b|(tất cả|cả (hai|ba|bốn)) (đều )?(đúng|sai)$")]
    private static partial Regex ReferencesOtherOptions();
}
