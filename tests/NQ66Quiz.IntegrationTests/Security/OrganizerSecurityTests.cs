using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using OtpNet;

namespace NQ66Quiz.IntegrationTests.Security;

/// <summary>Issue 14, item 1: organizer passwords, throttling without lock-out, enumeration, TOTP, cookies, sessions.</summary>
public sealed class OrganizerSecurityTests(AppFixture app) : IntegrationTest(app)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<string> InvitationCodeAsync(HttpClient admin, string email)
    {
        using var invited = await admin.PostAsJsonAsync("/api/organizer/invitations", new { email, name = "Cán bộ Kiểm thử", role = OrganizerRoles.QuestionAuthor });
        Assert.True(invited.IsSuccessStatusCode, await invited.Content.ReadAsStringAsync());
        return (await JsonAsync(invited)).GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task A_password_needs_12_characters_any_kind_and_common_passwords_are_refused_with_a_Vietnamese_reason()
    {
        using var admin = await App.CreateOrganizerClientAsync();
        var code = await InvitationCodeAsync(admin, "moi@nq66.test");
        using var invitee = App.CreateClient();

        using var tooShort = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new { code, password = "ngắn-quá-11" });
        using var common = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new { code, password = "Password1234" });
        using var commonVietnamese = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new { code, password = "anhyeuem123456" });
        // No composition rule: lower-case letters, Vietnamese and spaces only are fine.
        using var passphrase = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new { code, password = "hồ gươm mùa thu lá vàng" });

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("ít nhất 12 ký tự", (await JsonAsync(tooShort)).GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, common.StatusCode);
        Assert.Contains("mật khẩu phổ biến", (await JsonAsync(common)).GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, commonVietnamese.StatusCode);
        Assert.Equal(HttpStatusCode.Created, passphrase.StatusCode);
        Assert.True(OrganizerPasswords.CommonCount > 10_000);
    }

    [Fact]
    public async Task An_unknown_account_gets_the_same_answer_as_a_wrong_password_and_takes_about_as_long()
    {
        await App.EnsureAdminAsync();
        using var client = App.CreateClient();
        // Warm both paths (JIT, connection pool) before measuring.
        (await client.PostAsJsonAsync("/api/organizer/sign-in", new { email = "khong-co@nq66.test", password = "sai-mat-khau-1" })).Dispose();
        (await client.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = "sai-mat-khau-1" })).Dispose();
        var unknown = new List<double>();
        var wrong = new List<double>();
        string? unknownTitle = null, wrongTitle = null;
        // 7 + 7 failures (plus the 2 above) stay under the per-address limit of 20 and the per-account limit of 10.
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var r = await client.PostAsJsonAsync("/api/organizer/sign-in", new { email = $"khong-co-{i}@nq66.test", password = "sai-mat-khau-" + i }))
            {
                unknown.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
                unknownTitle = (await JsonAsync(r)).GetProperty("title").GetString();
            }
            watch.Restart();
            using (var r = await client.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = "sai-mat-khau-" + i }))
            {
                wrong.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
                wrongTitle = (await JsonAsync(r)).GetProperty("title").GetString();
            }
        }

        Assert.Equal(wrongTitle, unknownTitle);
        // The password hash (PBKDF2, ~tens of ms) dominates both; without the dummy verification the unknown e-mail
        // answers in about a millisecond, a ratio far below 0.4.
        var ratio = Median(unknown) / Median(wrong);
        Assert.InRange(ratio, 0.4, 2.5);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    [Fact]
    public async Task Someone_guessing_an_account_is_locked_out_but_its_owner_still_signs_in_from_their_own_browser()
    {
        await App.EnsureAdminAsync();
        // The owner signed in from this browser before (it keeps the device cookie), then signed out.
        using var owner = await App.SignInOrganizerAsync(AppFixture.OrganizerEmail, AppFixture.OrganizerPassword);
        (await owner.PostAsync("/api/organizer/sign-out", null)).Dispose();
        using var attacker = App.CreateClient();
        for (var i = 0; i < OrganizerSignInThrottle.MaxPerAccount; i++)
        {
            (await attacker.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = "doan-mo-" + i })).Dispose();
        }

        using var attackerRight = await attacker.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword });
        using var ownerRight = await owner.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, attackerRight.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ownerRight.StatusCode);
        Assert.Contains(OrganizerSignIn.DeviceCookie, App.CookieHeader(owner), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_and_a_password_change_end_the_session_on_the_server_so_a_copied_cookie_stops_working()
    {
        await App.EnsureAdminAsync();
        using var browser = await App.SignInOrganizerAsync(AppFixture.OrganizerEmail, AppFixture.OrganizerPassword);
        var stolen = App.CookieHeader(browser);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(stolen));

        (await browser.PostAsync("/api/organizer/sign-out", null)).Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(stolen));

        using var again = await App.SignInOrganizerAsync(AppFixture.OrganizerEmail, AppFixture.OrganizerPassword);
        var stolenAgain = App.CookieHeader(again);
        using var changed = await again.PutAsJsonAsync("/api/organizer/me/password", new { currentPassword = AppFixture.OrganizerPassword, newPassword = "mật khẩu mới của quản trị" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(stolenAgain));
        // The browser that changed it goes on in a new session.
        using var me = await again.GetAsync("/api/organizer/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        await using var db = App.OpenConnection();
        Assert.Equal(["password-changed", "sign-out"], (await db.QueryAsync<string>("SELECT end_reason FROM organizer_sessions WHERE ended_at IS NOT NULL ORDER BY end_reason")).ToArray());
    }

    [Fact]
    public async Task The_console_sign_out_button_ends_the_session_on_the_server()
    {
        using var browser = await App.CreateOrganizerClientAsync();
        var stolen = App.CookieHeader(browser);
        using var signedOut = await PostFormAsync(browser, "/to-chuc", "/to-chuc/dang-xuat", []);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/to-chuc/dang-nhap", signedOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(stolen));
    }

    [Fact]
    public async Task A_session_ends_after_two_idle_hours_and_twelve_hours_after_sign_in_on_the_server()
    {
        await App.EnsureAdminAsync();
        // The shipped limits (the suite's own app stretches them for week-long contest tests).
        await using var defaults = new LimitedApp(App, new() { ["Organizers:Sessions:IdleMinutes"] = "120", ["Organizers:Sessions:AbsoluteHours"] = "12" });
        async Task<HttpClient> SignInAsync()
        {
            var client = defaults.Client("198.51.100.7");
            using var signIn = await client.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword });
            Assert.True(signIn.IsSuccessStatusCode, $"{(int)signIn.StatusCode}");
            return client;
        }
        using var idle = await SignInAsync();
        App.Clock.Advance(TimeSpan.FromMinutes(119));
        using var stillIn = await idle.GetAsync("/api/organizer/me");
        App.Clock.Advance(TimeSpan.FromMinutes(121));
        using var out1 = await idle.GetAsync("/api/organizer/me");

        using var busy = await SignInAsync();
        var busyStatuses = new List<HttpStatusCode>();
        for (var minutes = 0; minutes < 12 * 60; minutes += 100)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(100));
            using var me = await busy.GetAsync("/api/organizer/me");
            busyStatuses.Add(me.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, out1.StatusCode);
        // Never idle for two hours, yet out once twelve hours have passed since signing in (8 × 100 min = 13 h 20 min).
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 7), HttpStatusCode.Unauthorized], busyStatuses);
    }

    private async Task<HttpStatusCode> MeAsync(string cookie)
    {
        using var raw = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/organizer/me");
        request.Headers.Add("Cookie", cookie);
        using var response = await raw.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_city_admin_enrols_a_TOTP_second_factor_with_a_QR_code_and_then_needs_a_code_or_a_one_time_recovery_code()
    {
        using var admin = await App.CreateOrganizerClientAsync();
        using var begun = await admin.PostAsync("/api/organizer/me/second-factor", null);
        var enrolment = await JsonAsync(begun);
        var secret = Base32Encoding.ToBytes(enrolment.GetProperty("secret").GetString());
        var totp = new Totp(secret);
        using var wrongConfirm = await admin.PostAsJsonAsync("/api/organizer/me/second-factor/confirm", new { code = Wrong(totp) });
        using var confirmed = await admin.PostAsJsonAsync("/api/organizer/me/second-factor/confirm", new { code = totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime) });
        var recovery = (await JsonAsync(confirmed)).GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();

        Assert.Equal(HttpStatusCode.OK, begun.StatusCode);
        Assert.StartsWith("otpauth://totp/", enrolment.GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Contains("<svg", enrolment.GetProperty("qrSvg").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongConfirm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(OrganizerSecondFactor.RecoveryCodeCount, recovery.Distinct().Count());
        // The secret is stored encrypted, never as the Base32 the app showed.
        await using (var db = App.OpenConnection())
        {
            var stored = await db.ExecuteScalarAsync<string>("SELECT totp_secret_protected FROM organizer_accounts WHERE email = @e", new { e = AppFixture.OrganizerEmail });
            Assert.DoesNotContain(enrolment.GetProperty("secret").GetString()!, stored, StringComparison.Ordinal);
        }

        App.Clock.Advance(TimeSpan.FromSeconds(30));
        var password = new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword };
        using var noCode = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", password);
        using var badCode = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { password.email, password.password, code = Wrong(totp) });
        var now = totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime);
        using var withCode = App.CreateClient();
        using var good = await withCode.PostAsJsonAsync("/api/organizer/sign-in", new { password.email, password.password, code = now });
        using var replay = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { password.email, password.password, code = now });
        using var recovered = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { password.email, password.password, code = recovery[0].ToUpperInvariant() });
        using var recoveredTwice = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { password.email, password.password, code = recovery[0] });

        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        Assert.True((await JsonAsync(noCode)).GetProperty("secondFactorRequired").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, badCode.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withCode.GetAsync("/api/organizer/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, recoveredTwice.StatusCode);
        // Enrolling ended the sessions opened with the password alone; the enrolling browser got a new one.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/organizer/me")).StatusCode);
    }

    [Fact]
    public async Task A_city_admin_without_a_second_factor_reaches_only_its_enrolment_until_it_is_on_and_other_roles_are_not_forced()
    {
        Assert.True(new OrganizerSecondFactorOptions().RequiredForCityAdmins);
        await App.EnsureAdminAsync();
        // The shipped setting (the suite's own app turns it off so that its many admin sign-ins need no code).
        await using var shipped = new LimitedApp(App, new() { ["Organizers:SecondFactor:RequiredForCityAdmins"] = "true" });
        using var admin = shipped.Client("198.51.100.21");
        using var signIn = await admin.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword });
        using var accountsBefore = await admin.GetAsync("/api/organizer/accounts");
        using var contestBefore = await admin.GetAsync("/api/organizer/contests/1");
        using var consoleBefore = await admin.GetAsync("/to-chuc/cuoc-thi");
        using var enrolPage = await admin.GetAsync("/to-chuc/xac-thuc-hai-buoc?ReturnUrl=%2Fto-chuc%2Fcuoc-thi");
        using var me = await admin.GetAsync("/api/organizer/me");

        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, accountsBefore.StatusCode);
        var refusal = await JsonAsync(accountsBefore);
        Assert.Equal(SecondFactorSetup.Refusal, refusal.GetProperty("title").GetString());
        Assert.True(refusal.GetProperty("secondFactorSetupRequired").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, contestBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, consoleBefore.StatusCode);
        Assert.Equal("/to-chuc/xac-thuc-hai-buoc?ReturnUrl=%2Fto-chuc%2Fcuoc-thi", consoleBefore.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, enrolPage.StatusCode);
        Assert.Contains("phải bật xác thực hai bước", await enrolPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        using var begun = await admin.PostAsync("/api/organizer/me/second-factor", null);
        var totp = new Totp(Base32Encoding.ToBytes((await JsonAsync(begun)).GetProperty("secret").GetString()));
        using var confirmed = await admin.PostAsJsonAsync("/api/organizer/me/second-factor/confirm", new { code = totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime) });
        using var accountsAfter = await admin.GetAsync("/api/organizer/accounts");
        using var consoleAfter = await admin.GetAsync("/to-chuc/cuoc-thi");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accountsAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, consoleAfter.StatusCode);

        // A question author signs in with the password alone and works: only city admins are forced.
        var code = await InvitationCodeAsync(admin, "bien-soan-2fa@nq66.local");
        using var author = shipped.Client("198.51.100.22");
        using var accepted = await author.PostAsJsonAsync("/api/organizer/invitations/accept", new { code, password = "hồ gươm mùa thu lá vàng" });
        using var bank = await author.GetAsync("/api/organizer/bank/export.md");
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bank.StatusCode);
    }

    private string Wrong(Totp totp) => totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime) == "000000" ? "111111" : "000000";

    [Fact]
    public async Task The_sign_in_page_asks_for_the_code_in_a_second_step_once_the_password_was_right()
    {
        using var admin = await App.CreateOrganizerClientAsync();
        var enrolment = await JsonAsync(await admin.PostAsync("/api/organizer/me/second-factor", null));
        var totp = new Totp(Base32Encoding.ToBytes(enrolment.GetProperty("secret").GetString()));
        (await admin.PostAsJsonAsync("/api/organizer/me/second-factor/confirm", new { code = totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime) })).Dispose();
        App.Clock.Advance(TimeSpan.FromSeconds(30));

        using var browser = App.CreateClient();
        var step1 = await PostFormAsync(browser, "/to-chuc/dang-nhap", "/to-chuc/dang-nhap",
            new() { ["Email"] = AppFixture.OrganizerEmail, ["password"] = AppFixture.OrganizerPassword });
        var html = await step1.Content.ReadAsStringAsync();
        var ticket = System.Text.RegularExpressions.Regex.Match(html, "name=\"ticket\" value=\"([^\"]+)\"").Groups[1].Value;
        var token = Token(html);
        using var step2 = await browser.PostAsync("/to-chuc/dang-nhap?handler=Code", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ticket"] = ticket, ["code"] = totp.ComputeTotp(App.Clock.GetUtcNow().UtcDateTime), ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, step1.StatusCode);
        Assert.Contains("bật xác thực hai bước", html, StringComparison.Ordinal);
        Assert.NotEmpty(ticket);
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Equal("/to-chuc", step2.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/organizer/me")).StatusCode);
    }

    internal static string Token(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token(await client.GetStringAsync(formPage));
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Cookies_are_HttpOnly_SameSite_and_Secure_when_the_request_came_over_HTTPS()
    {
        await App.EnsureAdminAsync();
        using var plain = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword });
        await using var factory = App.Factory.WithWebHostBuilder(_ => { });
        using var https = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var secure = await https.PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = AppFixture.OrganizerPassword });

        var plainCookies = plain.Headers.GetValues("Set-Cookie").ToList();
        var secureCookies = secure.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal(2, plainCookies.Count);
        Assert.All(plainCookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(plainCookies, c => Assert.Contains("samesite=", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(plainCookies, c => Assert.DoesNotContain("secure", c.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.NoContent, secure.StatusCode);
        Assert.All(secureCookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(secureCookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
    }
}
