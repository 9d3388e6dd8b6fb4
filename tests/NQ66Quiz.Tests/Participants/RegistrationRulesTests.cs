using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Tests.Participants;

public sealed class RegistrationRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    private static RegisterRequest Valid() => new("Nguyễn Văn An", "15/04/1990", "0912 345 678", "001090123456", 7, "citizen",
        "mat-khau-an-toan", ConsentParticipation: true, ConsentPublishIfWinner: true);

    [Fact]
    public void A_complete_registration_is_normalised()
    {
        var (registration, errors) = RegistrationRules.Validate(Valid() with { FullName = " Nguyễn  Văn An " }, Today);

        Assert.Empty(errors);
        Assert.Equal(new ValidRegistration("Nguyễn Văn An", new DateOnly(1990, 4, 15), "0912345678", "001090123456", 7, "citizen",
            "mat-khau-an-toan", true, null), registration);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var (registration, errors) = RegistrationRules.Validate(new RegisterRequest("", "31/02/1990", "123", "12", null, "alien", "short", false, false), Today);

        Assert.Null(registration);
        Assert.Equal(["consentParticipation", "dateOfBirth", "fullName", "nationalId", "participantType", "password", "phone", "unitId"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Ngày sinh \"31/02/1990\" không đúng dạng ngày/tháng/năm, ví dụ 25/12/1990.", errors["dateOfBirth"][0]);
    }

    [Fact]
    public void Under_16_needs_a_guardian_name_and_consent()
    {
        var child = Valid() with { DateOfBirth = "2012-12-01", NationalId = null };

        var (_, errors) = RegistrationRules.Validate(child, Today);
        var (registration, none) = RegistrationRules.Validate(child with { GuardianName = "Nguyễn  Văn Bình", GuardianConsent = true, GuardianRelationship = "me" }, Today);

        Assert.Equal(["guardianConsent", "guardianName", "guardianRelationship"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(none);
        Assert.Equal("Nguyễn Văn Bình", registration!.GuardianName);
    }

    [Fact]
    public void Turning_16_today_needs_no_guardian()
    {
        var (registration, errors) = RegistrationRules.Validate(Valid() with { DateOfBirth = "2010-11-30", NationalId = null }, Today);

        Assert.Empty(errors);
        Assert.Null(registration!.GuardianName);
    }

    [Theory]
    [InlineData("2026-12-01", "Ngày sinh không thể ở tương lai.")]
    [InlineData("2022-01-01", "Người dự thi cần từ 6 tuổi trở lên; kiểm tra lại năm sinh.")]
    [InlineData("1890-01-01", "Năm sinh quá xa; kiểm tra lại ngày sinh.")]
    public void Implausible_dates_of_birth_are_refused(string date, string message) =>
        Assert.Equal((null, message), RegistrationRules.ParseDateOfBirth(date, Today));

    [Fact]
    public void The_national_id_must_match_the_year_of_birth()
    {
        var (_, errors) = RegistrationRules.Validate(Valid() with { NationalId = "001095123456" }, Today);

        Assert.Equal("Số CCCD ứng với năm sinh 1995, nhưng ngày sinh đã nhập là năm 1990. Kiểm tra lại số CCCD hoặc ngày sinh.", Assert.Single(errors["nationalId"]));
    }

    [Fact]
    public void The_password_may_not_be_the_phone_number()
    {
        var (_, errors) = RegistrationRules.Validate(Valid() with { Password = "0912345678" }, Today);

        Assert.Equal("Mật khẩu không được trùng số điện thoại.", Assert.Single(errors["password"]));
    }
}
