using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;
using StackExchange.Redis;

namespace NQ66Quiz.IntegrationTests.SignIn;

public sealed class SignInRobustnessTests(AppFixture app) : ContestTest(app)
{
    [Fact]
    public async Task Participant_sign_in_goes_on_when_Redis_stops_answering_instead_of_failing_with_a_timeout()
    {
        await App.LoadUnitsAsync();
        (await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")))).Client.Dispose();
        var redisEndpoint = AppFixture.RedisConnectionString.Split(':');
        await using var proxy = new TcpProxy(redisEndpoint[0], int.Parse(redisEndpoint[1], System.Globalization.CultureInfo.InvariantCulture));
        proxy.Start();
        await using var isolated = App.Factory.WithWebHostBuilder(b =>
            b.UseSetting("ConnectionStrings:Redis", $"127.0.0.1:{proxy.Port},asyncTimeout=1000,syncTimeout=1000"));
        using var client = isolated.CreateClient();
        using (var warm = await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912345678", "mat-khau-an-toan")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        // Connected, but every command now times out (RedisTimeoutException is a TimeoutException, not a RedisException).
        proxy.Frozen = true;
        var watch = Stopwatch.StartNew();
        using var wrong = await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912345678", "sai-mat-khau"));
        using var right = await client.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912345678", "mat-khau-an-toan"));
        proxy.Frozen = false;

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"two sign-ins took {watch.Elapsed}");
    }

    [Fact]
    public async Task Organizer_sign_in_is_throttled_per_source_address_in_Redis_for_the_api_and_the_page()
    {
        using var client = App.CreateClient();
        for (var i = 0; i < OrganizerSignInThrottle.MaxPerAddress; i++)
        {
            using var failed = await client.PostAsJsonAsync("/api/organizer/sign-in", new { password = "doan-sai-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var blocked = await client.PostAsJsonAsync("/api/organizer/sign-in", new { password = AppFixture.OrganizerPassword });
        var form = await client.GetStringAsync("/to-chuc/dang-nhap");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var page = await client.PostAsync("/to-chuc/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["password"] = AppFixture.OrganizerPassword,
            ["__RequestVerificationToken"] = token,
        }));
        var counter = App.Redis.GetDatabase().StringGetWithExpiry((RedisKey)(App.RedisPrefix + "signin:organizer:ip:127.0.0.1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("Đăng nhập sai quá nhiều lần; vui lòng thử lại sau 15 phút.", (await blocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Đăng nhập sai quá nhiều lần", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrganizerSignInThrottle.MaxPerAddress, (int)counter.Value);
        Assert.InRange(counter.Expiry!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }
}
