namespace NQ66Quiz.Web.Features.Contests;

/// <summary>
/// When the key and explanations of a closed attempt reach its participant: one per-contest setting, one rule. Every
/// page and API payload that could carry a key (the result, the submission's answer) asks <see cref="IsDue"/>.
/// </summary>
public static class AnswerReveal
{
    public const string AfterRoundClose = "after_round_close";
    public const string AfterLastAttempt = "after_last_attempt";
    public const string AfterEachAttempt = "after_each_attempt";

    public static readonly IReadOnlyList<string> All = [AfterRoundClose, AfterLastAttempt, AfterEachAttempt];

    /// <summary>The setting as organizers read it in the console.</summary>
    public static string Name(string setting) => setting switch
    {
        AfterEachAttempt => "Sau mỗi lượt thi (như ôn luyện)",
        AfterLastAttempt => "Sau lượt thi cuối cùng người dự thi được phép",
        _ => "Sau khi tuần thi kết thúc (mặc định)",
    };

    /// <summary>
    /// Whether the key may be shown now. A round counts as over once the close job ran or its closing time plus the
    /// submit grace has passed: until then someone may still be submitting an attempt that a shown key would help.
    /// </summary>
    public static bool IsDue(string setting, DateTimeOffset roundClosesAt, DateTimeOffset? roundClosedAt, DateTimeOffset now, TimeSpan grace,
        int attemptsUsed, int attemptsAllowed, bool hasOpenAttempt)
    {
        var roundOver = roundClosedAt is not null || now > roundClosesAt + grace;
        return setting switch
        {
            AfterEachAttempt => true,
            AfterLastAttempt => roundOver || (attemptsUsed >= attemptsAllowed && !hasOpenAttempt),
            _ => roundOver,
        };
    }

    /// <summary>What a participant is told while the key is held back.</summary>
    public static string Pending(string setting, DateTimeOffset roundClosesAt) => setting == AfterLastAttempt
        ? $"Đáp án và giải thích được hiện sau lượt thi cuối cùng của bạn, hoặc khi tuần thi kết thúc ({VietnamTime.Format(roundClosesAt)})."
        : $"Đáp án và giải thích được công bố khi tuần thi kết thúc ({VietnamTime.Format(roundClosesAt)}), để các lượt thi sau vẫn công bằng.";
}
