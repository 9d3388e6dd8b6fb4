using System.Net;
using System.Net.Http.Json;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

public sealed class OrganizerSignInTests(AppFixture app) : IntegrationTest(app)
{
    [Fact]
    public async Task Organizer_pages_send_an_anonymous_visitor_to_the_organizer_sign_in()
    {
        using var client = App.CreateClient();

        using var response = await client.GetAsync("/to-chuc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/to-chuc/dang-nhap?ReturnUrl=%2Fto-chuc", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_Vietnamese_and_grants_nothing()
    {
        using var client = App.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/organizer/sign-in", new { password = "wrong-password" });
        using var page = await client.GetAsync("/to-chuc");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Mật khẩu ban tổ chức không đúng", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task The_right_password_opens_the_console()
    {
        using var client = await App.CreateOrganizerClientAsync();

        using var page = await client.GetAsync("/to-chuc");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Bảng điều khiển ban tổ chức", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
