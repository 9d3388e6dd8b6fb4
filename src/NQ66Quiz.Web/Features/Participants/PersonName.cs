using System.Text;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>Names as people write them (NFC, single spaces), checked, and masked for publication.</summary>
public static class PersonName
{
    public const int MaxLength = 100;

    /// <param name="field">What the name is, for the message: "Họ và tên", "Họ tên người giám hộ".</param>
    public static (string? Name, string? Error) Normalize(string? input, string field = "Họ và tên")
    {
        var name = VietnameseText.Clean(input);
        if (name.Length == 0)
        {
            return (null, $"Vui lòng nhập {field.ToLower(VietnameseText.Culture)}.");
        }
        if (name.Length > MaxLength)
        {
            return (null, $"{field} dài quá {MaxLength} ký tự.");
        }
        // Letters (with their combining marks), spaces, apostrophes, hyphens and dots ("Nguyễn Thị Thu-Hà", "H'Hen Niê").
        var bad = name.EnumerateRunes().FirstOrDefault(r => !Rune.IsLetter(r) && Rune.GetUnicodeCategory(r) != System.Globalization.UnicodeCategory.NonSpacingMark
            && r.Value is not (' ' or '\'' or '-' or '.' or '’'));
        if (bad.Value != 0)
        {
            return (null, $"{field} chỉ gồm chữ cái và dấu cách; bỏ ký tự \"{bad}\".");
        }
        if (!name.Contains(' ', StringComparison.Ordinal))
        {
            return (null, $"{field} cần có cả họ và tên, ví dụ \"Nguyễn Văn An\".");
        }
        return (name, null);
    }

    /// <summary>"Nguyễn Văn An" → "Nguyễn V. A.": the family name in full, the other words as initials.</summary>
    public static string Mask(string name)
    {
        var words = VietnameseText.Clean(name).Split(' ');
        if (words.Length == 1)
        {
            return words[0].Length > 0 ? words[0][..1] + "." : "";
        }
        return words[0] + " " + string.Join(' ', words.Skip(1).Select(w => char.IsSurrogate(w[0]) ? w[..2] + "." : w[..1] + "."));
    }
}
