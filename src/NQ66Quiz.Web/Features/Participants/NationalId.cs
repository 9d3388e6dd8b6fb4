using System.Globalization;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// Căn cước / CCCD numbers: 12 digits = 3 for the province of birth registration (001–096), 1 for sex and century
/// (0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 1800s), 2 for the last two digits of the birth year, 6
/// random. Checking the century and year against the date of birth catches most typing slips with a message that says
/// which part is wrong.
/// </summary>
public static class NationalId
{
    /// <returns>The normalised number (null when none was given) or a Vietnamese error.</returns>
    public static (string? Id, string? Error) Normalize(string? input, DateOnly? dateOfBirth)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return (null, null);
        }
        var id = new string([.. VietnameseText.Nfc(input).Where(c => !char.IsWhiteSpace(c) && c != '.')]);
        if (id.Length != 12 || !id.All(char.IsAsciiDigit))
        {
            return (null, $"Số CCCD gồm đúng 12 chữ số (bạn nhập {id.Length} ký tự). Xem mặt trước thẻ căn cước.");
        }
        var province = int.Parse(id[..3], CultureInfo.InvariantCulture);
        if (province is < 1 or > 96)
        {
            return (null, $"Ba số đầu của CCCD là mã tỉnh nơi đăng ký khai sinh (001–096); \"{id[..3]}\" không phải mã tỉnh.");
        }
        if (dateOfBirth is { } dob)
        {
            var centuryDigit = id[3] - '0';
            var century = centuryDigit switch
            {
                0 or 1 => 1900,
                2 or 3 => 2000,
                4 or 5 => 2100,
                6 or 7 => 2200,
                _ => 1800,
            };
            var year = century + int.Parse(id[4..6], CultureInfo.InvariantCulture);
            if (year != dob.Year)
            {
                return (null, $"Số CCCD ứng với năm sinh {year}, nhưng ngày sinh đã nhập là năm {dob.Year}. Kiểm tra lại số CCCD hoặc ngày sinh.");
            }
        }
        return (id, null);
    }
}
