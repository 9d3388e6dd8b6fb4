using System.Globalization;
using System.Text;

namespace NQ66Quiz.Web.Common;

/// <summary>Vietnamese text rules shared by every feature: NFC at the boundary, accent folding, vi-VN ordering.</summary>
public static class VietnameseText
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>Orders people-visible text the way a Vietnamese reader expects ("Ă" after "A", "Đ" after "D").</summary>
    public static readonly StringComparer Comparer = StringComparer.Create(Culture, ignoreCase: false);

    /// <summary>
    /// NFC, safe for any string: a lone surrogate (a JSON "\ud800" escape decodes to one) makes
    /// <see cref="string.Normalize(NormalizationForm)"/> throw, so it becomes U+FFFD first and the validators refuse it.
    /// </summary>
    public static string Nfc(string text) =>
        (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) : text)
            .Normalize(NormalizationForm.FormC);

    /// <summary>NFC, trimmed, every run of whitespace (including non-breaking spaces) collapsed to one space.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var nfc = Nfc(text);
        var builder = new StringBuilder(nfc.Length);
        var pendingSpace = false;
        foreach (var c in nfc)
        {
            if (char.IsWhiteSpace(c) || c == '\u200B')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Lower-case ASCII words separated by single spaces: "Phường Hoàn  Kiếm" → "phuong hoan kiem". Folding is what
    /// lets "hoan kiem", "Hoàn Kiếm" and a decomposed (NFD) "Hoàn Kiếm" all find the same unit; "đ" folds to "d".
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var folded = c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            };
            if (folded is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }
                builder.Append(folded);
            }
            else
            {
                pendingSpace = builder.Length > 0;
            }
        }
        return builder.ToString();
    }

    /// <summary>"Phường Văn Miếu - Quốc Tử Giám" → "phuong-van-mieu-quoc-tu-giam".</summary>
    public static string Slug(string? text) => Fold(text).Replace(' ', '-');
}
