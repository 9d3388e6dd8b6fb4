namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// Vietnamese mobile numbers, stored as 10 national digits ("0912345678"). Accepts what people type: spaces, dots,
/// dashes, brackets, "+84"/"84" or a leading 0. Prefixes are the ones in use since the 2018 renumbering (Viettel
/// 032–039, 086, 096–098; VinaPhone 081–085, 088, 091, 094; MobiFone 070, 076–079, 089, 090, 093; Vietnamobile 052,
/// 056, 058, 092; Gmobile 059, 099; Itel 087; Reddi 055).
/// </summary>
public static class PhoneNumber
{
    private static readonly HashSet<string> Prefixes =
    [
        "032", "033", "034", "035", "036", "037", "038", "039",
        "052", "055", "056", "058", "059",
        "070", "076", "077", "078", "079",
        "081", "082", "083", "084", "085", "086", "087", "088", "089",
        "090", "091", "092", "093", "094", "096", "097", "098", "099",
    ];

    public static (string? Phone, string? Error) Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return (null, "Vui lòng nhập số điện thoại di động.");
        }
        var text = input.Trim();
        var international = text.StartsWith('+');
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (text.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '.' or '-' or '(' or ')' or '+')))
        {
            return (null, "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm hoặc +84 ở đầu), ví dụ 0912 345 678.");
        }
        if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11)
        {
            digits = "0" + digits[2..];
        }
        else if (international)
        {
            return (null, "Chỉ nhận số di động Việt Nam: +84 rồi 9 chữ số, ví dụ +84 912 345 678.");
        }
        if (digits.Length != 10 || digits[0] != '0')
        {
            return (null, $"Số điện thoại di động cần đúng 10 chữ số bắt đầu bằng 0 (bạn nhập {digits.Length} chữ số), ví dụ 0912 345 678.");
        }
        if (!Prefixes.Contains(digits[..3]))
        {
            return (null, $"Đầu số {digits[..3]} không phải đầu số di động Việt Nam đang dùng; kiểm tra lại số điện thoại.");
        }
        return (digits, null);
    }

    /// <summary>"0912345678" → "0912 345 678", for people to read back.</summary>
    public static string Format(string phone) => phone.Length == 10 ? $"{phone[..4]} {phone[4..7]} {phone[7..]}" : phone;
}
