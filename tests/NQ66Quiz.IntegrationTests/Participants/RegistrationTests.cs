using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Privacy;

namespace NQ66Quiz.IntegrationTests.Participants;

public sealed class RegistrationTests(AppFixture app) : ContestTest(app)
{
    private int _unit;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.LoadUnitsAsync();
        _unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
    }

    [Fact]
    public async Task Registering_stores_normalised_data_with_consents_and_signs_the_participant_in()
    {
        var request = TestData.Registration("+84 912 345 678", _unit, name: "  Nguyễn   Văn  An ".Normalize(NormalizationForm.FormD), nationalId: "001090123456");

        var (client, profile) = await App.RegisterAsync(request);
        var me = await client.GetFromJsonAsync<ParticipantProfile>("/api/me");

        Assert.Equal("Nguyễn Văn An", profile.FullName);
        Assert.Equal("0912345678", profile.Phone);
        Assert.Equal("Phường Hoàn Kiếm", profile.UnitName);
        Assert.Equal(profile, me);
        await using var connection = App.OpenConnection();
        var stored = await connection.QuerySingleAsync<string>("SELECT full_name FROM participants");
        Assert.True(stored.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("Nguyễn Văn An", stored);
        var consents = (await connection.QueryAsync<(string Purpose, string Version)>(
            "SELECT purpose, wording_version FROM participant_consents ORDER BY purpose")).ToList();
        var version = App.Service<PrivacyTexts>().Current.Version;
        Assert.Equal([("participation", version), ("publish_if_winner", version)], consents);
        var hash = await connection.QuerySingleAsync<string>("SELECT password_hash FROM participants");
        Assert.DoesNotContain("mat-khau", hash, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task Bad_input_gets_a_Vietnamese_message_per_field_and_stores_nothing()
    {
        using var client = App.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/participants/register",
            new RegisterRequest("Nguyễn Văn An", "1990-13-40", "0112345678", "0010901234", _unit, "citizen", "12345678", true, true));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal("Đầu số 011 không phải đầu số di động Việt Nam đang dùng; kiểm tra lại số điện thoại.", errors.GetProperty("phone")[0].GetString());
        Assert.StartsWith("Ngày sinh \"1990-13-40\" không đúng dạng", errors.GetProperty("dateOfBirth")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Số CCCD gồm đúng 12 chữ số", errors.GetProperty("nationalId")[0].GetString(), StringComparison.Ordinal);
        await using var connection = App.OpenConnection();
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM participants"));
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM participant_consents"));
    }

    [Fact]
    public async Task One_account_per_phone_even_when_written_differently()
    {
        var (first, _) = await App.RegisterAsync(TestData.Registration("0912345678", _unit));
        using var client = App.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/participants/register", TestData.Registration("+84 912.345.678", _unit, name: "Trần Thị Bình"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Số điện thoại này đã được đăng ký. Mỗi số chỉ có một tài khoản; hãy đăng nhập.", errors.GetProperty("phone")[0].GetString());
        await using var connection = App.OpenConnection();
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM participants"));
        first.Dispose();
    }

    [Fact]
    public async Task One_account_per_national_id()
    {
        var (first, _) = await App.RegisterAsync(TestData.Registration("0912345678", _unit, nationalId: "001090123456"));
        using var client = App.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/participants/register",
            TestData.Registration("0987654321", _unit, name: "Trần Thị Bình", nationalId: "001 090 123 456"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.StartsWith("Số CCCD này đã được dùng để đăng ký.", errors.GetProperty("nationalId")[0].GetString(), StringComparison.Ordinal);
        first.Dispose();
    }

    [Fact]
    public async Task An_unknown_unit_is_refused()
    {
        using var client = App.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/participants/register", TestData.Registration("0912345678", 999_999));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Đơn vị đã chọn không có trong danh sách", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_participant_under_16_is_registered_with_the_guardian_consent_recorded()
    {
        using var client = App.CreateClient();
        var child = TestData.Registration("0912345678", _unit, dateOfBirth: "2013-05-01", type: "student");

        using var refused = await client.PostAsJsonAsync("/api/participants/register", child);
        using var accepted = await client.PostAsJsonAsync("/api/participants/register", child with { GuardianName = "Nguyễn Văn Bình", GuardianConsent = true, GuardianRelationship = "cha" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        await using var connection = App.OpenConnection();
        Assert.Equal(("Nguyễn Văn Bình", "cha"), await connection.QuerySingleAsync<(string, string)>("SELECT guardian_name, guardian_relationship FROM participants"));
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM participant_consents WHERE purpose = 'guardian'"));
    }

    [Fact]
    public async Task Sign_in_with_phone_and_password_and_a_wrong_password_is_refused()
    {
        (await App.RegisterAsync(TestData.Registration("0912345678", _unit))).Client.Dispose();
        using var client = App.CreateClient();

        using var wrong = await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912345678", "sai-mat-khau"));
        using var anonymous = await client.GetAsync("/api/me");
        using var right = await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912 345 678", "mat-khau-an-toan"));
        var me = await client.GetFromJsonAsync<ParticipantProfile>("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Số điện thoại hoặc mật khẩu không đúng.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("0912345678", me!.Phone);
    }

    [Fact]
    public async Task Name_and_unit_can_be_corrected_before_the_first_attempt()
    {
        var (client, _) = await App.RegisterAsync(TestData.Registration("0912345678", _unit));
        var other = await App.UnitIdAsync("Sở Tư pháp");

        using var response = await client.PutAsJsonAsync("/api/me", new UpdateProfileRequest(" Nguyễn Văn  Anh ", other, "001090123456"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.Content.ReadFromJsonAsync<ParticipantProfile>();
        Assert.Equal(("Nguyễn Văn Anh", "Sở Tư pháp", "********3456"), (profile!.FullName, profile.UnitName, profile.NationalIdMasked));
        client.Dispose();
    }

    [Fact]
    public async Task Too_many_wrong_passwords_lock_the_phone_out_for_a_while_even_with_the_right_one()
    {
        (await App.RegisterAsync(TestData.Registration("0912345678", _unit))).Client.Dispose();
        using var client = App.CreateClient();

        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            (await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912345678", "sai-mat-khau"))).Dispose();
        }
        using var blocked = await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912 345 678", "mat-khau-an-toan"));

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("Đăng nhập sai quá 10 lần; vui lòng thử lại sau 15 phút.",
            (await blocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
