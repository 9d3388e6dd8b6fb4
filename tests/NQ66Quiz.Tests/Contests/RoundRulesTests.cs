using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Tests.Contests;

public sealed class RoundRulesTests
{
    private static readonly DateTimeOffset Opens = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    private static readonly RoundSettings Current = new(Opens, Opens.AddDays(7), [new BlueprintLine(10)], 600, 3, Prizes.Default);

    [Fact]
    public void Before_opening_everything_may_change() =>
        Assert.Null(RoundRules.RefuseChange(Current, Current with { Blueprint = [new BlueprintLine(20)], TimeLimitSeconds = 1200, OpensAt = Opens.AddDays(1) },
            Opens.AddMinutes(-1), closed: false, published: false));

    [Fact]
    public void Once_open_the_blueprint_time_limit_attempts_and_opening_are_frozen()
    {
        var refusal = RoundRules.RefuseChange(Current, Current with { Blueprint = [new BlueprintLine(10, Viewpoint: 1)], TimeLimitSeconds = 900, AttemptsAllowed = 5 },
            Opens, closed: false, published: false);

        Assert.Equal("Tuần thi đã mở lúc 10:00 07/12/2026: không thể đổi cấu trúc đề, thời gian làm bài, số lượt thi vì như vậy người dự thi không còn thi cùng điều kiện.", refusal);
    }

    [Fact]
    public void Once_open_the_closing_may_move_later_but_not_earlier()
    {
        Assert.Null(RoundRules.RefuseChange(Current, Current with { ClosesAt = Current.ClosesAt.AddDays(1) }, Opens.AddHours(1), false, false));
        Assert.StartsWith("Tuần thi đang mở: giờ đóng chỉ được lùi lại",
            RoundRules.RefuseChange(Current, Current with { ClosesAt = Current.ClosesAt.AddHours(-1) }, Opens.AddHours(1), false, false), StringComparison.Ordinal);
    }

    [Fact]
    public void After_closing_only_prizes_may_change_and_after_publication_nothing()
    {
        var after = Current.ClosesAt.AddHours(1);

        Assert.Null(RoundRules.RefuseChange(Current, Current with { PrizeStructure = [new PrizeTier("nhat", "Giải Nhất", 2)] }, after, true, false));
        Assert.Equal("Tuần thi đã đóng; không thể đổi giờ đóng.", RoundRules.RefuseChange(Current, Current with { ClosesAt = after.AddDays(1) }, after, true, false));
        Assert.Equal("Kết quả tuần thi đã công bố; không thể sửa tuần thi.", RoundRules.RefuseChange(Current, Current, after, true, true));
    }

    [Fact]
    public void Settings_out_of_range_are_all_reported()
    {
        var errors = RoundRules.Validate(new RoundSettings(Opens, Opens, [], 30, 0, []), Opens);

        Assert.Equal([
            "Giờ đóng phải sau giờ mở.",
            "Giờ đóng 10:00 07/12/2026 đã qua; chọn thời điểm trong tương lai.",
            "Thời gian làm bài phải từ 1 đến 60 phút.",
            "Số lượt thi mỗi tuần phải từ 1 đến 50.",
            "Cấu trúc đề cần ít nhất một dòng, ví dụ \"10 câu bất kỳ\".",
            "Cơ cấu giải cần ít nhất một loại giải, ví dụ 1 giải Nhất.",
        ], errors);
    }

    [Fact]
    public void An_attempt_deadline_is_its_time_limit_but_never_after_the_round_closes()
    {
        Assert.Equal(Opens.AddMinutes(10), RoundRules.Deadline(Opens, 600, Current.ClosesAt));
        Assert.Equal(Current.ClosesAt, RoundRules.Deadline(Current.ClosesAt.AddMinutes(-3), 600, Current.ClosesAt));
    }

    [Theory]
    [InlineData("2026-12-07T10:00", "2026-12-07T03:00:00+00:00")]
    [InlineData("2026-12-07T10:00:30", "2026-12-07T03:00:30+00:00")]
    [InlineData("10:00 07/12/2026", "2026-12-07T03:00:00+00:00")]
    [InlineData("2026-12-07T03:00:00Z", "2026-12-07T03:00:00+00:00")]
    [InlineData("2026-12-07T10:00:00+07:00", "2026-12-07T03:00:00+00:00")]
    [InlineData("2026-12-07T10:00:00.750+07:00", "2026-12-07T03:00:00+00:00")]
    public void Times_are_read_as_Vietnam_time_to_the_second(string input, string utc) =>
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), VietnamTime.Parse(input, "giờ mở").Instant);

    [Fact]
    public void An_unreadable_time_says_the_expected_form() =>
        Assert.Equal("Giờ mở \"thứ hai\" không đúng dạng ngày/tháng/năm giờ:phút, ví dụ 07/12/2026 10:00 (giờ Việt Nam; cũng nhận 2026-12-07T10:00).", VietnamTime.Parse("thứ hai", "giờ mở").Error);
}
