namespace NQ66Quiz.Web.Features.Contests;

/// <summary>How numbers read on Vietnamese pages: "45,5 giây", "2 phút 05,3 giây", "1.234".</summary>
public static class ContestFormat
{
    public static string Duration(int milliseconds)
    {
        var seconds = milliseconds / 1000m;
        if (seconds < 60)
        {
            return seconds.ToString("0.0", VietnameseText.Culture) + " giây";
        }
        var minutes = (int)(seconds / 60);
        return $"{minutes} phút {(seconds - minutes * 60).ToString("00.0", VietnameseText.Culture)} giây";
    }

    public static string Number(long value) => value.ToString("#,0", VietnameseText.Culture);

    public static string Minutes(int seconds) => $"{seconds / 60} phút";
}
