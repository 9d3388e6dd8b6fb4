using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Tests.Participants;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("0912345678")]
    [InlineData("0912 345 678")]
    [InlineData("0912.345.678")]
    [InlineData("+84 912 345 678")]
    [InlineData("+84912345678")]
    [InlineData("84912345678")]
    [InlineData("(+84) 912-345-678")]
    public void Accepts_what_people_type_and_stores_ten_national_digits(string input) =>
        Assert.Equal(("0912345678", null), PhoneNumber.Normalize(input));

    [Theory]
    [InlineData("", "Vui lòng nhập số điện thoại di động.")]
    [InlineData("091234567", "Số điện thoại di động cần đúng 10 chữ số bắt đầu bằng 0 (bạn nhập 9 chữ số), ví dụ 0912 345 678.")]
    [InlineData("02438251234", "Số điện thoại di động cần đúng 10 chữ số bắt đầu bằng 0 (bạn nhập 11 chữ số), ví dụ 0912 345 678.")]
    [InlineData("0112345678", "Đầu số 011 không phải đầu số di động Việt Nam đang dùng; kiểm tra lại số điện thoại.")]
    [InlineData("0951234567", "Đầu số 095 không phải đầu số di động Việt Nam đang dùng; kiểm tra lại số điện thoại.")]
    [InlineData("+1 212 555 0100", "Chỉ nhận số di động Việt Nam: +84 rồi 9 chữ số, ví dụ +84 912 345 678.")]
    [InlineData("09l2345678", "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm hoặc +84 ở đầu), ví dụ 0912 345 678.")]
    public void Refuses_what_is_not_a_Vietnamese_mobile_number_and_says_why(string input, string message) =>
        Assert.Equal((null, message), PhoneNumber.Normalize(input));

    [Fact]
    public void Formats_for_reading_back() => Assert.Equal("0912 345 678", PhoneNumber.Format("0912345678"));
}
