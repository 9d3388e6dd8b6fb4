using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>
/// The organizer password rule (ASVS 5.0 V6.2): at least <see cref="MinLength"/> characters, at most
/// <see cref="MaxLength"/>, any characters (spaces and Vietnamese letters too), no composition rules, and not one of the
/// common passwords in <c>common-passwords.txt</c> (the first 10,000 of a public leak-frequency list plus Vietnamese
/// ones), compared case-insensitively after NFC.
/// </summary>
public static class OrganizerPasswords
{
    public const int MinLength = 12;
    public const int MaxLength = 200;

    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    /// <summary>How many passwords the shipped list refuses (tests check it is the list, not an empty file).</summary>
    public static int CommonCount => Common.Value.Count;

    public static bool IsCommon(string password) => Common.Value.Contains(Key(password));

    /// <summary>What is wrong with <paramref name="password"/>, in Vietnamese, or null when it may be used.</summary>
    public static string? Error(string? password)
    {
        // Length in characters as a person counts them (a precomposed "ệ" is one), after NFC.
        var text = VietnameseText.Nfc(password ?? "");
        var length = new StringInfo(text).LengthInTextElements;
        if (length < MinLength)
        {
            return $"Mật khẩu cần ít nhất {MinLength} ký tự (có thể là một câu dễ nhớ, có dấu cách).";
        }
        if (length > MaxLength)
        {
            return $"Mật khẩu dài quá {MaxLength} ký tự.";
        }
        return IsCommon(text)
            ? "Mật khẩu này nằm trong danh sách mật khẩu phổ biến mà kẻ gian thử đầu tiên; hãy chọn mật khẩu khác."
            : null;
    }

    private static string Key(string password) => VietnameseText.Nfc(password).ToLowerInvariant();

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(OrganizerPasswords).Assembly.GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded in the app.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(Key(line));
            }
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
