using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Tests.Participants;

public sealed class NationalIdTests
{
    [Theory]
    [InlineData("001090123456", 1990)]
    [InlineData("001 190 123 456", 1990)]
    [InlineData("079205123456", 2005)]
    [InlineData("001312123456", 2012)]
    public void Accepts_twelve_digits_whose_century_and_year_match_the_date_of_birth(string input, int year) =>
        Assert.Equal(input.Replace(" ", "", StringComparison.Ordinal), NationalId.Normalize(input, new DateOnly(year, 5, 1)).Id);

    [Fact]
    public void An_empty_national_id_is_allowed_and_stored_as_none() =>
        Assert.Equal((null, null), NationalId.Normalize("  ", new DateOnly(1990, 1, 1)));

    [Theory]
    [InlineData("00109012345", "Số CCCD gồm đúng 12 chữ số (bạn nhập 11 ký tự). Xem mặt trước thẻ căn cước.")]
    [InlineData("00109012345A", "Số CCCD gồm đúng 12 chữ số (bạn nhập 12 ký tự). Xem mặt trước thẻ căn cước.")]
    [InlineData("099090123456", "Ba số đầu của CCCD là mã tỉnh nơi đăng ký khai sinh (001–096); \"099\" không phải mã tỉnh.")]
    [InlineData("001091123456", "Số CCCD ứng với năm sinh 1991, nhưng ngày sinh đã nhập là năm 1990. Kiểm tra lại số CCCD hoặc ngày sinh.")]
    [InlineData("001290123456", "Số CCCD ứng với năm sinh 2090, nhưng ngày sinh đã nhập là năm 1990. Kiểm tra lại số CCCD hoặc ngày sinh.")]
    public void Refuses_a_wrong_number_and_says_which_part_is_wrong(string input, string message) =>
        Assert.Equal((null, message), NationalId.Normalize(input, new DateOnly(1990, 1, 1)));
}
