using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.LiveRounds;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Security;

/// <summary>Issue 14, item 2: the HTTP rate limiter on registration, sign-in, attempt start and answers.</summary>
public sealed class RateLimitTests(AppFixture app) : IntegrationTest(app)
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["RateLimits:Registration:Burst"] = "3", ["RateLimits:Registration:PerMinute"] = "1",
        ["RateLimits:SignIn:Burst"] = "3", ["RateLimits:SignIn:PerMinute"] = "1",
        ["RateLimits:AttemptStart:Burst"] = "2", ["RateLimits:AttemptStart:PerMinute"] = "1",
        ["RateLimits:Answers:Burst"] = "4", ["RateLimits:Answers:PerMinute"] = "1",
    };

    private static readonly object FirstChoice = new { choices = new[] { 0 } };

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bạn gửi yêu cầu quá nhanh; vui lòng chờ một chút rồi thử lại.", problem.GetProperty("title").GetString());
        Assert.Contains("giây", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_and_sign_in_are_limited_per_source_address_with_a_Vietnamese_429_and_Retry_After()
    {
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        await using var limited = new LimitedApp(App, Small);
        using var a = limited.Client("203.0.113.10");
        using var b = limited.Client("203.0.113.11");

        var registrations = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await a.PostAsJsonAsync("/api/participants/register", TestData.Registration($"091234560{i}", unit));
            registrations.Add(r.StatusCode);
            if (i == 3)
            {
                await AssertRefusedAsync(r);
            }
        }
        using var otherAddress = await b.PostAsJsonAsync("/api/participants/register", TestData.Registration("0912345609", unit));
        var signIns = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await b.PostAsJsonAsync("/api/participants/sign-in", new { phone = "0912345609", password = "mat-khau-an-toan" });
            signIns.Add(r.StatusCode);
        }
        using var organizer = await b.PostAsJsonAsync("/api/organizer/sign-in", new { email = "ai@nq66.test", password = "khong-biet-gi-ca" });

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], registrations);
        Assert.Equal(HttpStatusCode.Created, otherAddress.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], signIns);
        // The organizer sign-in shares the per-address sign-in budget.
        await AssertRefusedAsync(organizer);
    }

    [Fact]
    public async Task Attempt_start_and_answers_are_limited_per_participant_so_people_behind_one_address_do_not_share_a_budget()
    {
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        await using var limited = new LimitedApp(App, Small);
        // Two people in one school room: one address.
        using var first = limited.Client("198.51.100.7");
        using var second = limited.Client("198.51.100.7");
        (await first.PostAsJsonAsync("/api/participants/register", TestData.Registration("0987000001", unit))).EnsureSuccessStatusCode();
        (await second.PostAsJsonAsync("/api/participants/register", TestData.Registration("0987000002", unit))).EnsureSuccessStatusCode();

        // No such round or attempt: each call is answered 404, and still counted (the limit runs before the handler).
        var starts = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await first.PostAsync("/api/rounds/999999/attempts", null);
            starts.Add(r.StatusCode);
        }
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var r = await first.PutAsJsonAsync($"/api/attempts/999999/answers/{i}", FirstChoice);
            answers.Add(r.StatusCode);
        }
        using var submit = await first.PostAsJsonAsync("/api/attempts/999999/submit", new { prediction = 1 });
        using var neighbourStart = await second.PostAsync("/api/rounds/999999/attempts", null);
        using var neighbourAnswer = await second.PutAsJsonAsync("/api/attempts/999999/answers/0", FirstChoice);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], starts);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], answers);
        await AssertRefusedAsync(submit);
        Assert.Equal(HttpStatusCode.NotFound, neighbourStart.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, neighbourAnswer.StatusCode);
    }

    [Fact]
    public void Every_registration_sign_in_attempt_start_and_answer_endpoint_has_its_rate_limit_policy()
    {
        var endpoints = App.Service<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .ToDictionary(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods[0] ?? "") + " " + e.RoutePattern.RawText,
                e => e.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName);

        Assert.Equal(RateLimits.Registration, endpoints["POST /api/participants/register"]);
        Assert.Equal(RateLimits.SignIn, endpoints["POST /api/participants/sign-in"]);
        Assert.Equal(RateLimits.SignIn, endpoints["POST /api/organizer/sign-in"]);
        Assert.Equal(RateLimits.SignIn, endpoints["POST /api/participants/password-reset/code"]);
        Assert.Equal(RateLimits.SignIn, endpoints["POST /api/participants/password-reset/email"]);
        Assert.Equal(RateLimits.SignIn, endpoints["POST /api/participants/password-reset/link"]);
        Assert.Equal(RateLimits.AttemptStart, endpoints["POST /api/rounds/{roundId:long}/attempts"]);
        Assert.Equal(RateLimits.Answers, endpoints["PUT /api/attempts/{attemptId:long}/answers/{position:int}"]);
        Assert.Equal(RateLimits.Answers, endpoints["PUT /api/attempts/{attemptId:long}/prediction"]);
        Assert.Equal(RateLimits.Answers, endpoints["POST /api/attempts/{attemptId:long}/submit"]);

        // The participant pages whose forms do the same (a browser without the API's scripts posts these).
        var pages = App.Service<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is not null)
            .GroupBy(e => e.DisplayName!)
            .ToDictionary(g => g.Key, g => g.First().Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName);
        Assert.Equal(RateLimits.Registration, pages["/Account/Register"]);
        Assert.Equal(RateLimits.SignIn, pages["/Account/SignIn"]);
        Assert.Equal(RateLimits.SignIn, pages["/Account/PasswordReset"]);
        Assert.Equal(RateLimits.SignIn, pages["/Account/PasswordResetLink"]);
        Assert.Equal(RateLimits.SignIn, pages["/OrganizerSignIn"]);
        Assert.Equal(RateLimits.AttemptStart, pages["/Contests/Contest"]);
        Assert.Equal(RateLimits.Answers, pages["/Contests/Attempt"]);
    }

    [Fact]
    public async Task The_sign_in_form_is_limited_like_the_api_and_a_browser_gets_the_Vietnamese_page_while_the_form_still_shows()
    {
        await using var limited = new LimitedApp(App, Small);
        using var browser = limited.Client("203.0.113.30");
        using var neighbour = limited.Client("203.0.113.31");

        async Task<HttpResponseMessage> PostAsync(HttpClient client) => await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Phone"] = "0912999999", ["password"] = "khong-phai-mat-khau", ["__RequestVerificationToken"] = OrganizerSecurityTests.Token(await client.GetStringAsync("/dang-nhap")),
        }));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await PostAsync(browser);
            statuses.Add(allowed.StatusCode);
        }
        using var refused = await PostAsync(browser);
        var html = await refused.Content.ReadAsStringAsync();
        using var form = await browser.GetAsync("/dang-nhap");
        using var other = await PostAsync(neighbour);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bạn thao tác quá nhanh", html, StringComparison.Ordinal);
        Assert.Contains("Về trang chủ", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task Outside_Development_errors_carry_no_details_for_pages_api_callers_or_hub_clients()
    {
        var pg = new NpgsqlConnectionStringBuilder(App.ConnectionString);
        await using var proxy = new TcpProxy(pg.Host!, pg.Port);
        proxy.Start();
        pg.Port = proxy.Port;
        pg.Pooling = false;
        await using var production = new LimitedApp(App, new() { ["ConnectionStrings:Postgres"] = pg.ToString() }, environment: "Production");
        using var client = production.Client("192.0.2.1");
        var hubOptions = production.Services.GetRequiredService<IOptions<HubOptions>>().Value;
        proxy.Stop();

        using var page = await client.GetAsync("/cuoc-thi");
        using var api = await client.GetAsync("/api/contests");
        var html = await page.Content.ReadAsStringAsync();
        var problem = await api.Content.ReadAsStringAsync();
        proxy.Start();

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        foreach (var leak in new[] { "Exception", "Npgsql", "   at ", ".cs:line", "/work/", "ConnectionStrings" })
        {
            Assert.DoesNotContain(leak, html, StringComparison.Ordinal);
            Assert.DoesNotContain(leak, problem, StringComparison.Ordinal);
        }
        Assert.Contains("Hệ thống đang gặp sự cố", html, StringComparison.Ordinal);
        Assert.NotEqual(true, hubOptions.EnableDetailedErrors);
        // The hub's message size limit stays on (LiveHubFilter does rate and origin; SignalR the frame size).
        Assert.Equal(LiveRoundsModule.MaxMessageBytes, hubOptions.MaximumReceiveMessageSize);
    }
}
