using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.IntegrationTests.Participants;

/// <summary>
/// Reset links by email, sent with MailKit to a real SMTP server process (smtp4dev) and read back from it. The app here
/// is the test app with SMTP configured: same database, Redis prefix and clock.
/// </summary>
public sealed class PasswordMailTests(AppFixture app, Smtp4devServer smtp) : ContestTest(app), IClassFixture<Smtp4devServer>
{
    private const string PublicBaseUrl = "https://thi.hanoi.example.vn";
    private WebApplicationFactory<Program> _mailApp = null!;
    private string _address = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.LoadUnitsAsync();
        _mailApp = App.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Email:Smtp:Host", "127.0.0.1");
            b.UseSetting("Email:Smtp:Port", smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Email:Smtp:From", "Ban tổ chức cuộc thi <khongtraloi@hanoi.example.vn>");
            b.UseSetting("Email:Smtp:Security", "None");
            b.UseSetting("Email:PublicBaseUrl", PublicBaseUrl);
        });
        // Each test mails its own address, so the server's other messages never count.
        _address = $"nguoi-du-thi-{Guid.NewGuid():N}"[..24] + "@example.vn";
    }

    public override async Task DisposeAsync()
    {
        await _mailApp.DisposeAsync();
        await base.DisposeAsync();
    }

    private HttpClient Client() => _mailApp.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<long> RegisterWithEmailAsync(string phone = "0912345678")
    {
        var client = Client();
        using var registered = await client.PostAsJsonAsync("/api/participants/register", TestData.Registration(phone, await App.UnitIdAsync("Phường Hoàn Kiếm")));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        using var email = await client.PutAsJsonAsync("/api/me/email", new { email = _address });
        Assert.Equal(HttpStatusCode.NoContent, email.StatusCode);
        return (await registered.Content.ReadFromJsonAsync<ParticipantProfile>())!.Id;
    }

    private async Task<string> AskAsync(string login)
    {
        using var response = await Client().PostAsJsonAsync("/api/participants/password-reset/email", new { login });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<string> TokenFromMailAsync()
    {
        var message = Assert.Single(await smtp.MessagesToAsync(_address));
        Assert.Equal("Đặt lại mật khẩu tài khoản dự thi", message.Subject);
        var text = await smtp.PlainTextAsync(message);
        // The link starts with the configured public address, whatever Host the request came with.
        return Regex.Match(text, Regex.Escape(PublicBaseUrl) + "/dat-lai-mat-khau/([0-9a-f]{32})").Groups[1].Value;
    }

    [Fact]
    public async Task A_mailed_link_sets_a_new_password_once_and_the_answer_does_not_tell_whether_an_account_exists()
    {
        await RegisterWithEmailAsync();

        var known = await AskAsync("0912 345 678");
        var unknownPhone = await AskAsync("0987654321");
        var unknownEmail = await AskAsync("khong-co-ai@example.vn");

        Assert.Equal(known, unknownPhone);
        Assert.Equal(known, unknownEmail);
        Assert.Contains(PasswordResets.LinkRequested, JsonSerializer.Deserialize<LinkRequested>(known, JsonSerializerOptions.Web)!.Message, StringComparison.Ordinal);
        var token = await TokenFromMailAsync();
        Assert.NotEmpty(token);

        var visitor = Client();
        using var page = await visitor.GetAsync($"/dat-lai-mat-khau/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Nhập lại mật khẩu mới", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        using var reset = await visitor.PostAsJsonAsync("/api/participants/password-reset/link", new { token, newPassword = "mat-khau-tu-email-1" });
        Assert.True(reset.StatusCode == HttpStatusCode.OK, await reset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/api/me")).StatusCode);
        using var oldPassword = await Client().PostAsJsonAsync("/api/participants/sign-in", new { phone = "0912345678", password = "mat-khau-an-toan" });
        using var newPassword = await Client().PostAsJsonAsync("/api/participants/sign-in", new { phone = "0912345678", password = "mat-khau-tu-email-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);

        using var again = await visitor.PostAsJsonAsync("/api/participants/password-reset/link", new { token, newPassword = "mat-khau-lan-hai-2" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains(PasswordResets.UsedLink, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(PasswordResets.UsedLink, await visitor.GetStringAsync($"/dat-lai-mat-khau/{token}"), StringComparison.Ordinal);
        await using var db = App.OpenConnection();
        Assert.DoesNotContain(token, await db.ExecuteScalarAsync<string>("SELECT string_agg(secret_hash, ' ') FROM participant_password_resets"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_expires_after_30_minutes_and_mails_per_account_are_limited()
    {
        await RegisterWithEmailAsync();

        var answers = new List<string>();
        for (var i = 0; i < PasswordResets.MaxMailsPerAccount + 2; i++)
        {
            answers.Add(await AskAsync(_address));
        }
        var mails = await smtp.MessagesToAsync(_address, atLeast: PasswordResets.MaxMailsPerAccount + 1, timeout: TimeSpan.FromSeconds(10));

        Assert.Single(answers.Distinct(StringComparer.Ordinal));
        Assert.Equal(PasswordResets.MaxMailsPerAccount, mails.Count);
        // Only the latest link works: asking again replaced the earlier ones.
        var texts = await Task.WhenAll(mails.Select(smtp.PlainTextAsync));
        var tokens = texts.Select(t => Regex.Match(t, "/dat-lai-mat-khau/([0-9a-f]{32})").Groups[1].Value).ToList();
        var visitor = Client();
        var problems = new List<string>();
        foreach (var token in tokens)
        {
            problems.Add(await visitor.GetStringAsync($"/dat-lai-mat-khau/{token}"));
        }
        Assert.Equal(PasswordResets.MaxMailsPerAccount - 1, problems.Count(p => p.Contains(PasswordResets.UsedLink, StringComparison.Ordinal)));

        App.Clock.Advance(PasswordResets.Lifetime + TimeSpan.FromSeconds(1));
        foreach (var token in tokens)
        {
            using var late = await visitor.PostAsJsonAsync("/api/participants/password-reset/link", new { token, newPassword = "mat-khau-qua-han-1" });
            Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        }
        var latest = tokens.Single(t => !problems[tokens.IndexOf(t)].Contains(PasswordResets.UsedLink, StringComparison.Ordinal));
        Assert.Contains(PasswordResets.ExpiredLink, await visitor.GetStringAsync($"/dat-lai-mat-khau/{latest}"), StringComparison.Ordinal);
        using var signIn = await Client().PostAsJsonAsync("/api/participants/sign-in", new { phone = "0912345678", password = "mat-khau-an-toan" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task With_smtp_the_forgotten_password_page_offers_the_email_form_and_answers_the_same_for_anyone()
    {
        var visitor = Client();
        var page = await visitor.GetStringAsync("/quen-mat-khau");
        Assert.Contains("Gửi liên kết", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Trang thi chưa gửi được email", page, StringComparison.Ordinal);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var posted = await visitor.PostAsync("/quen-mat-khau?handler=Email", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = "0987654321", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("chúng tôi vừa gửi tới email đó một liên kết", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
