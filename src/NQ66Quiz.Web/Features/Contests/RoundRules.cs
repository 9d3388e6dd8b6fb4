using System.Text.Json;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>The settings of a round that setup may change, as stored.</summary>
public sealed record RoundSettings(
    DateTimeOffset OpensAt, DateTimeOffset ClosesAt, IReadOnlyList<BlueprintLine> Blueprint, int TimeLimitSeconds,
    int AttemptsAllowed, IReadOnlyList<PrizeTier> PrizeStructure);

/// <summary>Round rules, pure: the settings' own limits, and what may still change once a round has opened.</summary>
public static class RoundRules
{
    public const int MaxTimeLimitMinutes = 60;
    public const int MaxAttempts = 50;
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(90);

    /// <param name="closesAfter">The instant the closing time must follow: now for a new or moved closing, null to skip.</param>
    public static List<string> Validate(RoundSettings s, DateTimeOffset? closesAfter)
    {
        var errors = new List<string>();
        if (s.ClosesAt <= s.OpensAt)
        {
            errors.Add("Giờ đóng phải sau giờ mở.");
        }
        else if (s.ClosesAt - s.OpensAt > MaxLength)
        {
            errors.Add($"Một tuần thi dài tối đa {MaxLength.TotalDays:0} ngày.");
        }
        if (closesAfter is { } now && s.ClosesAt <= now)
        {
            errors.Add($"Giờ đóng {VietnamTime.Format(s.ClosesAt)} đã qua; chọn thời điểm trong tương lai.");
        }
        if (s.TimeLimitSeconds is < 60 or > MaxTimeLimitMinutes * 60)
        {
            errors.Add($"Thời gian làm bài phải từ 1 đến {MaxTimeLimitMinutes} phút.");
        }
        if (s.AttemptsAllowed is < 1 or > MaxAttempts)
        {
            errors.Add($"Số lượt thi mỗi tuần phải từ 1 đến {MaxAttempts}.");
        }
        errors.AddRange(Contests.Blueprint.Validate(s.Blueprint));
        errors.AddRange(Prizes.Validate(s.PrizeStructure));
        return errors;
    }

    /// <summary>
    /// Once a round has opened, its paper, time limit, attempt limit and opening time are what every entrant played
    /// under: changing them would make entries incomparable, so they are frozen. The closing time may only move later
    /// (nobody loses time they were promised) until it passes; prizes may change until the results are published.
    /// </summary>
    /// <returns>Null when the change is allowed, else the reason in Vietnamese.</returns>
    public static string? RefuseChange(RoundSettings current, RoundSettings proposed, DateTimeOffset now, bool closed, bool published)
    {
        if (published)
        {
            return "Kết quả tuần thi đã công bố; không thể sửa tuần thi.";
        }
        if (now < current.OpensAt)
        {
            return null;
        }
        var frozen = new List<string>();
        if (proposed.OpensAt != current.OpensAt)
        {
            frozen.Add("giờ mở");
        }
        if (!SameBlueprint(current.Blueprint, proposed.Blueprint))
        {
            frozen.Add("cấu trúc đề");
        }
        if (proposed.TimeLimitSeconds != current.TimeLimitSeconds)
        {
            frozen.Add("thời gian làm bài");
        }
        if (proposed.AttemptsAllowed != current.AttemptsAllowed)
        {
            frozen.Add("số lượt thi");
        }
        if (frozen.Count > 0)
        {
            return $"Tuần thi đã mở lúc {VietnamTime.Format(current.OpensAt)}: không thể đổi {string.Join(", ", frozen)} "
                + "vì như vậy người dự thi không còn thi cùng điều kiện.";
        }
        if (proposed.ClosesAt != current.ClosesAt && (closed || now >= current.ClosesAt))
        {
            return "Tuần thi đã đóng; không thể đổi giờ đóng.";
        }
        if (proposed.ClosesAt < current.ClosesAt)
        {
            return $"Tuần thi đang mở: giờ đóng chỉ được lùi lại, không được sớm hơn {VietnamTime.Format(current.ClosesAt)}.";
        }
        return null;
    }

    public static bool SameBlueprint(IReadOnlyList<BlueprintLine> a, IReadOnlyList<BlueprintLine> b) => a.SequenceEqual(b);

    /// <summary>The deadline of an attempt started at <paramref name="startedAt"/>: its time limit, but never past the round's close.</summary>
    public static DateTimeOffset Deadline(DateTimeOffset startedAt, int timeLimitSeconds, DateTimeOffset closesAt)
    {
        var byLimit = startedAt.AddSeconds(timeLimitSeconds);
        return byLimit < closesAt ? byLimit : closesAt;
    }

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web)!;
}
