using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Tests.Contests;

public sealed class ContestFormatTests
{
    [Theory]
    [InlineData(0, "0,0 giây")]
    [InlineData(45_500, "45,5 giây")]
    [InlineData(83_400, "1 phút 23,4 giây")]
    [InlineData(600_000, "10 phút 00,0 giây")]
    public void Durations_read_the_Vietnamese_way(int ms, string text) => Assert.Equal(text, ContestFormat.Duration(ms));

    [Fact]
    public void Large_numbers_group_thousands_with_dots() => Assert.Equal("1.300.000", ContestFormat.Number(1_300_000));

    [Fact]
    public void Times_are_shown_in_Vietnam_time() =>
        Assert.Equal("07:05 01/12/2026", VietnamTime.Format(new DateTimeOffset(2026, 12, 1, 0, 5, 0, TimeSpan.Zero)));

    [Fact]
    public void Today_in_Vietnam_starts_at_midnight_UTC_plus_7()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 17, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 12, 1), VietnamTime.Today(clock));
    }
}
