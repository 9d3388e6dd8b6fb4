using System.Globalization;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>
/// The allowed values of the metadata keys, shared by the Markdown and the spreadsheet readers so that both say the
/// same thing about the same mistake. Each check returns null when the value is fine, else the message to show.
/// </summary>
public static class MetaValues
{
    public static string? UnknownKey(string key) =>
        BankVocabulary.Keys.Contains(key, StringComparer.Ordinal) ? null
            : $"Khoá '{key}' không có trong định dạng câu hỏi; chỉ dùng {string.Join(", ", BankVocabulary.Keys)} (viết thường, không dấu).";

    /// <summary>A viewpoint or task number as written; null value means it is not a whole number.</summary>
    public static (int? Value, string? Error) Number(string key, string raw)
    {
        var max = key == BankVocabulary.KeyViewpoint ? BankVocabulary.ViewpointCount : BankVocabulary.TaskCount;
        var what = key == BankVocabulary.KeyViewpoint ? "quan điểm chỉ đạo" : "nhiệm vụ, giải pháp";
        if (!int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return (null, $"{key} phải là số từ 1 đến {max} hoặc danh sách như [1, 3], không phải '{raw}'.");
        }
        return n is < 1 || n > max
            ? (n, $"{key} {n} không có: Nghị quyết có {max} {what}; dùng số từ 1 đến {max}.")
            : (n, null);
    }

    public static string? Topic(string raw) =>
        BankVocabulary.Topics.Contains(raw, StringComparer.Ordinal) ? null
            : $"topic '{raw}' không có; dùng muc-tieu (mục tiêu 2025–2045), ke-hoach-ha-noi (Kế hoạch của Thành phố) hoặc chung.";

    public static string? Difficulty(string raw) =>
        BankVocabulary.Difficulties.Contains(raw, StringComparer.Ordinal) ? null
            : $"difficulty '{raw}' không có; dùng easy (dễ), medium (trung bình) hoặc hard (khó).";

    public static string? Kind(string raw) =>
        BankVocabulary.Kinds.Contains(raw, StringComparer.Ordinal) ? null
            : $"kind '{raw}' không có; dùng single (đúng một đáp án đúng) hoặc multiple (từ hai đáp án đúng trở lên).";

    public static string? Form(string raw) =>
        BankVocabulary.Forms.Contains(raw, StringComparer.Ordinal) ? null
            : $"form '{raw}' không có; dùng recall (câu hỏi ghi nhớ, mặc định) hoặc scenario (câu hỏi tình huống).";

    public static string DuplicateInList(string key, string value) =>
        $"{key} có '{value}' hai lần; mỗi giá trị chỉ ghi một lần.";
}

/// <summary>Metadata of one question or of a file's front matter; a null member was not written.</summary>
internal sealed class Meta
{
    public List<int>? Viewpoints { get; set; }
    public List<int>? Tasks { get; set; }
    public List<string>? Topics { get; set; }
    public string? Difficulty { get; set; }
    public string? Kind { get; set; }
    public string? Form { get; set; }
    public Dictionary<string, Pos> Positions { get; } = new(StringComparer.Ordinal);
    public bool Unreadable { get; set; }

    public static readonly Meta Empty = new();
}
