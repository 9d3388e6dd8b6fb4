using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.IntegrationTests.Participants;

/// <summary>The forgotten-password path on a 360 px phone, and the organizer's page that issues the code; screenshots kept.</summary>
public sealed class PasswordResetBrowserTests(AppFixture app, BrowserFixture browser) : ContestTest(app)
{
    [Fact]
    public async Task A_participant_who_forgot_the_password_follows_the_sign_in_page_to_a_new_password_with_the_organizers_code_at_360px()
    {
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var (_, profile) = await App.RegisterAsync(TestData.Registration("0912345678", unit, name: "Trần Thị Lan"));
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, unit);
        string? code = null;

        // The organizer's side, on a phone too: find the person, tick the identity check, issue.
        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.Context.AddCookiesAsync(App.BrowserCookies(organizer));
            await page.GotoAsync("/to-chuc/nguoi-du-thi");
            await page.GetByLabel("Số điện thoại, số CCCD hoặc họ tên").FillAsync("0912 345 678");
            await page.GetByRole(AriaRole.Button, new() { Name = "Tìm", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByText("Trần Thị Lan · 0912 345 678")).ToBeVisibleAsync();
            await page.GetByLabel("Tôi đã đối chiếu giấy tờ tùy thân của người này").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Cấp mã cho Trần Thị Lan" }).ClickAsync();
            await Assertions.Expect(page.Locator(".reset-code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z0-9]{4}-[A-Z0-9]{4}$"));
            code = await page.Locator(".reset-code").InnerTextAsync();
            await AssertNoSidewaysScrollAsync(page);
            await Screenshots.KeepAsync(page, "password-reset-organizer-code-360");
        });

        await browser.RunAsync(App.BaseAddress, async page =>
        {
            await page.GotoAsync("/dang-nhap");
            await Assertions.Expect(page.GetByText("Quên mật khẩu?")).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "password-reset-sign-in-360");
            await page.GetByRole(AriaRole.Link, new() { Name = "Đặt lại mật khẩu" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Quên mật khẩu");
            await Assertions.Expect(page.GetByText("Trang thi chưa gửi được email.", new() { Exact = false })).ToBeVisibleAsync();

            // A mistyped code first: a clear message, nothing changed.
            await page.GetByLabel("Số điện thoại đã đăng ký").FillAsync("0912345678");
            await page.GetByLabel("Mã Ban tổ chức đưa cho bạn").FillAsync("ABCD-EFGH");
            await page.GetByLabel("Mật khẩu mới (ít nhất 8 ký tự)").FillAsync("mat-khau-moi-cua-lan");
            await page.GetByLabel("Nhập lại mật khẩu mới").FillAsync("mat-khau-moi-cua-lan");
            await page.GetByRole(AriaRole.Button, new() { Name = "Đặt mật khẩu mới" }).ClickAsync();
            await Assertions.Expect(page.GetByText(PasswordResets.WrongCode)).ToBeVisibleAsync();
            await AssertNoSidewaysScrollAsync(page);
            await Screenshots.KeepAsync(page, "password-reset-wrong-code-360");

            await page.GetByLabel("Mã Ban tổ chức đưa cho bạn").FillAsync(code!.ToLowerInvariant());
            await page.GetByLabel("Mật khẩu mới (ít nhất 8 ký tự)").FillAsync("mat-khau-moi-cua-lan");
            await page.GetByLabel("Nhập lại mật khẩu mới").FillAsync("mat-khau-moi-cua-lan");
            await page.GetByRole(AriaRole.Button, new() { Name = "Đặt mật khẩu mới" }).ClickAsync();
            await page.WaitForURLAsync("**/tai-khoan?matkhau=moi");
            await Assertions.Expect(page.GetByText("Đã đặt mật khẩu mới; bạn đã đăng nhập.")).ToBeVisibleAsync();
            await AssertNoSidewaysScrollAsync(page);
            await Screenshots.KeepAsync(page, "password-reset-done-360");
        });

        using var signIn = await App.CreateClient().PostAsJsonAsync("/api/participants/sign-in", new { phone = "0912345678", password = "mat-khau-moi-cua-lan" });
        Assert.Equal(profile.Id, (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"{page.Url} is {width}px wide at a 360px viewport");
    }
}
