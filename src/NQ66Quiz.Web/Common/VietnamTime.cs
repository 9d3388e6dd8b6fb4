using System.Globalization;

namespace NQ66Quiz.Web.Common;

/// <summary>
/// Contest times are set and shown in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) and stored as UTC instants.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow()).DateTime);

    /// <summary>"10:00 07/12/2026", how Vietnamese notices write a time.</summary>
    public static string Format(DateTimeOffset instant) => ToLocal(instant).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"2026-12-07T10:00" as typed in Vietnam (or with an explicit offset), to the second.</summary>
    public static (DateTimeOffset? Instant, string? Error) Parse(string? input, string what)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return (null, $"Vui lòng nhập {what} (giờ Việt Nam) dạng ngày/tháng/năm giờ:phút, ví dụ 07/12/2026 10:00.");
        }
        var text = input.Trim();
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && HasOffset(text))
        {
            return (Truncate(withOffset.ToUniversalTime()), null);
        }
        if (DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "H:mm d/M/yyyy", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (Truncate(new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime()), null);
        }
        return (null, $"{char.ToUpper(what[0], CultureInfo.InvariantCulture)}{what[1..]} \"{text}\" không đúng dạng ngày/tháng/năm giờ:phút, ví dụ 07/12/2026 10:00 (giờ Việt Nam; cũng nhận 2026-12-07T10:00).");
    }

    /// <summary>
    /// "07/12/2026 10:00" (seconds only when there are some), how the organizer forms show and take a time: typed as
    /// text, because a datetime-local input follows the browser's language (mm/dd/yyyy on an English one).
    /// </summary>
    public static string ToForm(DateTimeOffset instant)
    {
        var local = ToLocal(instant);
        return local.ToString(local.Second == 0 ? "dd/MM/yyyy HH:mm" : "dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>"2026-12-07T10:00:00", the ISO form the API documents, in Vietnam time.</summary>
    public static string ToInput(DateTimeOffset instant) => ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;

    // Whole seconds: submission seconds are counted from the opening in rankings, so the opening itself is whole.
    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
