using System.Globalization;

namespace NQ66Quiz.Web.Pages.Units;

/// <summary>Numbers as Vietnamese readers write them: 1.234 people, 45,5 %, 6,25 points.</summary>
public static class UnitFormat
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static string Count(long? n) => n is { } v ? v.ToString("N0", Vi) : "—";

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", Vi) + " %" : "—";

    public static string Score(double? score) => score is { } s ? s.ToString("0.00", Vi) : "—";

    public static string Day(DateOnly day) => day.ToString("dd/MM", Vi);
}
