using System.Globalization;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>What the registration form and <c>POST /api/participants/register</c> send. Dates as typed (yyyy-MM-dd or dd/MM/yyyy).</summary>
public sealed record RegisterRequest(
    string? FullName,
    string? DateOfBirth,
    string? Phone,
    string? NationalId,
    int? UnitId,
    string? ParticipantType,
    string? Password,
    bool ConsentParticipation,
    bool ConsentPublishIfWinner,
    string? GuardianName = null,
    bool GuardianConsent = false);

/// <summary>A registration that passed every rule: normalised, ready to store.</summary>
public sealed record ValidRegistration(
    string FullName, DateOnly DateOfBirth, string Phone, string? NationalId, int UnitId, string ParticipantType,
    string Password, bool ConsentPublishIfWinner, string? GuardianName);

public static class ParticipantTypes
{
    public const string Student = "student";
    public const string Employee = "employee";
    public const string Citizen = "citizen";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Student] = "Học sinh, sinh viên",
        [Employee] = "Cán bộ, công chức, viên chức, người lao động",
        [Citizen] = "Nhân dân",
    };
}

/// <summary>The consent wording people agree to; a change of wording gets a new version, and each consent row keeps the one seen.</summary>
public static class ConsentWording
{
    public const string Version = "2026-01";

    public const string Participation = "Tôi đồng ý để Ban tổ chức dùng họ tên, ngày sinh, số điện thoại, số CCCD (nếu có), "
        + "loại đối tượng và đơn vị của tôi để tổ chức cuộc thi, chấm điểm, xếp hạng và xác minh khi trao giải.";

    public const string PublishIfWinner = "Nếu đoạt giải, tôi đồng ý để Ban tổ chức công bố họ tên viết tắt (ví dụ \"Nguyễn V. A.\") "
        + "và đơn vị của tôi trên trang kết quả và bảng xếp hạng.";

    public const string Guardian = "Tôi là cha, mẹ hoặc người giám hộ của người dự thi dưới 16 tuổi và đồng ý cho người này tham gia.";
}

/// <summary>Registration rules, pure: every field checked, every message in Vietnamese saying what to fix.</summary>
public static class RegistrationRules
{
    public const int GuardianAge = 16;
    public const int MinimumAge = 6;
    public const int MinimumPasswordLength = 8;

    public static (ValidRegistration? Registration, Dictionary<string, string[]> Errors) Validate(RegisterRequest request, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        var (name, nameError) = PersonName.Normalize(request.FullName);
        if (nameError is not null)
        {
            Fail("fullName", nameError);
        }
        var (dob, dobError) = ParseDateOfBirth(request.DateOfBirth, today);
        if (dobError is not null)
        {
            Fail("dateOfBirth", dobError);
        }
        var (phone, phoneError) = PhoneNumber.Normalize(request.Phone);
        if (phoneError is not null)
        {
            Fail("phone", phoneError);
        }
        var (nationalId, idError) = NationalId.Normalize(request.NationalId, dob);
        if (idError is not null)
        {
            Fail("nationalId", idError);
        }
        if (request.UnitId is null or <= 0)
        {
            Fail("unitId", "Vui lòng chọn đơn vị (xã, phường hoặc cơ quan) của bạn trong danh sách.");
        }
        if (request.ParticipantType is null || !ParticipantTypes.Names.ContainsKey(request.ParticipantType))
        {
            Fail("participantType", "Vui lòng chọn đối tượng: học sinh, sinh viên; cán bộ, công chức, viên chức, người lao động; hoặc Nhân dân.");
        }
        var password = request.Password ?? "";
        if (PasswordError(password, phone) is { } passwordError)
        {
            Fail("password", passwordError);
        }
        if (!request.ConsentParticipation)
        {
            Fail("consentParticipation", "Cần đồng ý cho Ban tổ chức dùng thông tin của bạn để tổ chức cuộc thi thì mới đăng ký được.");
        }
        string? guardianName = null;
        if (dob is { } d && Age(d, today) < GuardianAge)
        {
            var (guardian, guardianError) = PersonName.Normalize(request.GuardianName, "Họ tên người giám hộ");
            if (guardianError is not null)
            {
                Fail("guardianName", "Người dự thi dưới 16 tuổi cần họ tên của cha, mẹ hoặc người giám hộ: " + guardianError);
            }
            if (!request.GuardianConsent)
            {
                Fail("guardianConsent", "Người dự thi dưới 16 tuổi cần cha, mẹ hoặc người giám hộ đánh dấu đồng ý.");
            }
            guardianName = guardian;
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new ValidRegistration(name!, dob!.Value, phone!, nationalId, request.UnitId!.Value, request.ParticipantType!,
            password, request.ConsentPublishIfWinner, guardianName), errors);
    }

    /// <summary>The password rule of registration, also applied when a password is changed or reset.</summary>
    public static string? PasswordError(string? password, string? phone)
    {
        password ??= "";
        if (password.Length < MinimumPasswordLength)
        {
            return $"Mật khẩu cần ít nhất {MinimumPasswordLength} ký tự.";
        }
        if (password.Length > 128)
        {
            return "Mật khẩu dài tối đa 128 ký tự.";
        }
        return phone is not null && PhoneNumber.Normalize(password).Phone == phone ? "Mật khẩu không được trùng số điện thoại." : null;
    }

    public static (DateOnly? Date, string? Error) ParseDateOfBirth(string? input, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return (null, "Vui lòng nhập ngày sinh (ngày/tháng/năm).");
        }
        if (!DateOnly.TryParseExact(input.Trim(), ["yyyy-MM-dd", "d/M/yyyy", "dd/MM/yyyy", "d-M-yyyy", "d.M.yyyy"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (null, $"Ngày sinh \"{input.Trim()}\" không đúng dạng ngày/tháng/năm, ví dụ 25/12/1990.");
        }
        if (date > today)
        {
            return (null, "Ngày sinh không thể ở tương lai.");
        }
        var age = Age(date, today);
        if (age < MinimumAge)
        {
            return (null, $"Người dự thi cần từ {MinimumAge} tuổi trở lên; kiểm tra lại năm sinh.");
        }
        if (age > 120)
        {
            return (null, "Năm sinh quá xa; kiểm tra lại ngày sinh.");
        }
        return (date, null);
    }

    public static int Age(DateOnly dateOfBirth, DateOnly today)
    {
        var age = today.Year - dateOfBirth.Year;
        return dateOfBirth.AddYears(age) > today ? age - 1 : age;
    }
}
