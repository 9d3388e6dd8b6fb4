using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.IntegrationTests.Participants;

/// <summary>Forgotten passwords over HTTP: the organizer's one-time code, the password change, and the page without email.</summary>
public sealed class PasswordResetTests(AppFixture app) : ContestTest(app)
{
    private const string Phone = "0912345678";
    private const string OldPassword = "mat-khau-an-toan";
    private const string NewPassword = "mat-khau-moi-2026";
    private int _unit;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.LoadUnitsAsync();
        _unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
    }

    private async Task<(HttpClient Client, ParticipantProfile Profile)> RegisterAsync(string phone = Phone, int? unit = null) =>
        await App.RegisterAsync(TestData.Registration(phone, unit ?? _unit));

    private static async Task<string> IssueAsync(HttpClient organizer, long participantId)
    {
        using var response = await organizer.PostAsync($"/api/organizer/participants/{participantId}/password-reset-code", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    private Task<HttpResponseMessage> ResetAsync(string code, string password = NewPassword, string phone = Phone, HttpClient? client = null) =>
        (client ?? App.CreateClient()).PostAsJsonAsync("/api/participants/password-reset/code", new { phone, code, newPassword = password });

    private async Task<HttpStatusCode> SignInAsync(string password, HttpClient? client = null)
    {
        using var response = await (client ?? App.CreateClient()).PostAsJsonAsync("/api/participants/sign-in", new { phone = Phone, password });
        return response.StatusCode;
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field)[0].GetString()!;

    [Fact]
    public async Task A_unit_organizers_code_sets_a_new_password_once_signs_the_other_browsers_out_and_is_logged_but_never_stored()
    {
        var (phoneBrowser, profile) = await RegisterAsync();
        var laptop = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(OldPassword, laptop));
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, _unit);

        var found = await organizer.GetFromJsonAsync<List<ParticipantLookup>>("/api/organizer/participants?q=0912%20345%20678");
        Assert.Equal(profile.Id, Assert.Single(found!).Id);
        var code = await IssueAsync(organizer, profile.Id);
        Assert.Matches("^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$", code);

        var newBrowser = App.CreateClient();
        // Typed in lower case without the dash, as people do.
        using var reset = await ResetAsync(code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant(), client: newBrowser);
        Assert.True(reset.StatusCode == HttpStatusCode.OK, await reset.Content.ReadAsStringAsync());

        // The browser that reset is signed in; the two that were signed in before are not.
        Assert.Equal(HttpStatusCode.OK, (await newBrowser.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phoneBrowser.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(OldPassword));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(NewPassword));

        using var again = await ResetAsync(code, "mat-khau-thu-ba-2026");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(PasswordResets.UsedCode, await ErrorAsync(again, "code"));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(NewPassword));

        await using var db = App.OpenConnection();
        var stored = await db.QuerySingleAsync<(string Hash, DateTime? UsedAt, DateTime ExpiresAt, DateTime CreatedAt)>(
            "SELECT secret_hash, used_at, expires_at, created_at FROM participant_password_resets");
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), stored.Hash, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(stored.UsedAt);
        Assert.Equal(TimeSpan.FromMinutes(30), stored.ExpiresAt - stored.CreatedAt);
        var logged = await db.QuerySingleAsync<(string Target, string Detail)>(
            "SELECT target, detail::text FROM audit_log WHERE action = 'participant password code issued'");
        Assert.Equal($"participant:{profile.Id}", logged.Target);
        Assert.DoesNotContain(code, logged.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), await db.ExecuteScalarAsync<string>("SELECT string_agg(detail::text || coalesce(target, ''), ' ') FROM audit_log"),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_expired_or_replaced_code_is_refused_with_its_own_message_and_changes_nothing()
    {
        var (_, profile) = await RegisterAsync();
        using var organizer = await App.CreateOrganizerClientAsync();
        var first = await IssueAsync(organizer, profile.Id);
        var second = await IssueAsync(organizer, profile.Id);

        using var replaced = await ResetAsync(first);
        Assert.Equal(PasswordResets.ReplacedCode, await ErrorAsync(replaced, "code"));

        App.Clock.Advance(PasswordResets.Lifetime + TimeSpan.FromSeconds(1));
        using var expired = await ResetAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal(PasswordResets.ExpiredCode, await ErrorAsync(expired, "code"));
        Assert.Contains("30 phút", PasswordResets.ExpiredCode, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(OldPassword));
    }

    [Fact]
    public async Task Wrong_codes_are_throttled_per_phone_even_for_the_right_code_until_the_organizer_issues_a_new_one()
    {
        var (_, profile) = await RegisterAsync();
        using var organizer = await App.CreateOrganizerClientAsync();
        var code = await IssueAsync(organizer, profile.Id);

        for (var i = 0; i < PasswordResets.MaxCodeFailures; i++)
        {
            using var wrong = await ResetAsync("AAAA-AAAA");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal(PasswordResets.WrongCode, await ErrorAsync(wrong, "code"));
        }
        using var blocked = await ResetAsync(code);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("thử lại sau 30 phút", (await blocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(OldPassword));

        // The person goes back to the desk: a new code lifts the block.
        var fresh = await IssueAsync(organizer, profile.Id);
        using var ok = await ResetAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task An_unknown_phone_gets_the_same_answer_as_a_wrong_code_and_a_weak_new_password_does_not_use_up_the_code()
    {
        var (_, profile) = await RegisterAsync();
        using var organizer = await App.CreateOrganizerClientAsync();
        var code = await IssueAsync(organizer, profile.Id);

        using var unknown = await ResetAsync(code, phone: "0987654321");
        using var weak = await ResetAsync(code, password: "ngan");
        using var samePhone = await ResetAsync(code, password: Phone);

        Assert.Equal(PasswordResets.WrongCode, await ErrorAsync(unknown, "code"));
        Assert.Equal("Mật khẩu cần ít nhất 8 ký tự.", await ErrorAsync(weak, "newPassword"));
        Assert.Equal("Mật khẩu không được trùng số điện thoại.", await ErrorAsync(samePhone, "newPassword"));
        using var ok = await ResetAsync(code);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_participant_changes_their_password_with_the_current_one_and_their_other_browser_is_signed_out()
    {
        var (phoneBrowser, _) = await RegisterAsync();
        var laptop = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(OldPassword, laptop));

        using var wrong = await phoneBrowser.PutAsJsonAsync("/api/me/password", new { currentPassword = "khong-dung-dau", newPassword = NewPassword });
        using var weak = await phoneBrowser.PutAsJsonAsync("/api/me/password", new { currentPassword = OldPassword, newPassword = "ngan" });
        Assert.Equal("Mật khẩu hiện tại không đúng.", await ErrorAsync(wrong, "currentPassword"));
        Assert.Equal("Mật khẩu cần ít nhất 8 ký tự.", await ErrorAsync(weak, "newPassword"));
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/me")).StatusCode);

        using var changed = await phoneBrowser.PutAsJsonAsync("/api/me/password", new { currentPassword = OldPassword, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phoneBrowser.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(OldPassword));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(NewPassword));
    }

    [Fact]
    public async Task The_account_page_changes_the_password_and_keeps_the_email_for_reset_links()
    {
        var (client, _) = await RegisterAsync();
        var page = await client.GetStringAsync("/tai-khoan");
        Assert.Contains("Đổi mật khẩu", page, StringComparison.Ordinal);

        using var bad = await client.PutAsJsonAsync("/api/me/email", new { email = "khong-phai-email" });
        using var good = await client.PutAsJsonAsync("/api/me/email", new { email = " An.Nguyen@Example.VN " });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal("an.nguyen@example.vn", (await client.GetFromJsonAsync<ParticipantEmail>("/api/me/email"))!.Email);
        Assert.Contains("an.nguyen@example.vn", await client.GetStringAsync("/tai-khoan"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_smtp_the_forgotten_password_page_sends_people_to_their_organizer_and_the_sign_in_page_says_what_to_do()
    {
        using var visitor = App.CreateClient();

        var signIn = await visitor.GetStringAsync("/dang-nhap");
        var forgot = await visitor.GetStringAsync("/quen-mat-khau");
        using var email = await visitor.PostAsJsonAsync("/api/participants/password-reset/email", new { login = Phone });

        Assert.Contains("href=\"/quen-mat-khau\"", signIn, StringComparison.Ordinal);
        Assert.Contains("Quên mật khẩu?", signIn, StringComparison.Ordinal);
        Assert.Contains("Trang thi chưa gửi được email. Hãy liên hệ Ban tổ chức cuộc thi của đơn vị bạn", forgot, StringComparison.Ordinal);
        Assert.DoesNotContain("Gửi liên kết", forgot, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, email.StatusCode);
        Assert.Contains("liên hệ Ban tổ chức đơn vị", (await email.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_organizer_page_finds_a_participant_of_the_unit_and_shows_a_new_code_once_only_after_the_identity_check()
    {
        var (_, profile) = await RegisterAsync();
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, _unit);
        var search = await organizer.GetStringAsync("/to-chuc/nguoi-du-thi?q=Nguy%E1%BB%85n%20V%C4%83n");
        Assert.Contains("Nguyễn Văn An", search, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(search, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        using var unchecked_ = await organizer.PostAsync("/to-chuc/nguoi-du-thi?handler=Issue", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["participantId"] = profile.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("đánh dấu ô xác nhận", await unchecked_.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = App.OpenConnection())
        {
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM participant_password_resets"));
        }

        using var issued = await organizer.PostAsync("/to-chuc/nguoi-du-thi?handler=Issue", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["participantId"] = profile.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["identityChecked"] = "true",
            ["__RequestVerificationToken"] = token,
        }));
        var html = await issued.Content.ReadAsStringAsync();
        var code = System.Text.RegularExpressions.Regex.Match(html, "class=\"reset-code\"><strong>([A-Z0-9-]+)</strong>").Groups[1].Value;
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}$", code);
        Assert.Equal("no-store", issued.Headers.CacheControl?.ToString());
        // Shown once: the page opened again shows no code.
        Assert.DoesNotContain(code, await organizer.GetStringAsync("/to-chuc/nguoi-du-thi?q=0912345678"), StringComparison.Ordinal);
        using var reset = await ResetAsync(code);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
    }
}
