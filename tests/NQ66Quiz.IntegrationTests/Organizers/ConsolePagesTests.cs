using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.IntegrationTests.Organizers;

/// <summary>The console pages of accounts and units, driven as a browser without JavaScript would (forms and links).</summary>
public sealed partial class ConsolePagesTests(AppFixture app) : ContestTest(app)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private static async Task<string> TokenAsync(HttpClient client, string path) => Token().Match(await client.GetStringAsync(path)).Groups[1].Value;

    [Fact]
    public async Task An_admin_invites_from_the_accounts_page_and_the_invitee_sets_a_password_on_the_invitation_page()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var admin = await App.CreateOrganizerClientAsync();
        using var invite = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(admin, "/to-chuc/tai-khoan"),
            ["Invite.Email"] = "pho-chu-tich@hoankiem.hanoi.gov.vn", ["Invite.Name"] = "Phạm Thị Hoa",
            ["Invite.Role"] = OrganizerRoles.UnitOrganizer, ["Invite.UnitId"] = ward.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var invited = await admin.PostAsync("/to-chuc/tai-khoan?handler=Invite", invite);
        var html = await invited.Content.ReadAsStringAsync();
        var link = Regex.Match(html, "<code id=\"invitation-link\">[^<]*(/to-chuc/loi-moi/[0-9a-f]+)</code>").Groups[1].Value;

        using var invitee = App.CreateClient();
        var welcome = await invitee.GetStringAsync(link);
        using var accept = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(welcome).Groups[1].Value, ["password"] = "mat-khau-cua-hoa-2026", ["confirm"] = "mat-khau-cua-hoa-2026",
        });
        using var accepted = await invitee.PostAsync(link, accept);
        var console = await invitee.GetStringAsync("/to-chuc");

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.NotEmpty(link);
        Assert.Contains("Phạm Thị Hoa", welcome, StringComparison.Ordinal);
        Assert.Contains("Ban tổ chức đơn vị", welcome, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("Danh mục đơn vị", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Tài khoản ban tổ chức", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Ngân hàng câu hỏi", console, StringComparison.Ordinal);
        using var accounts = await invitee.GetAsync("/to-chuc/tai-khoan");
        Assert.Equal(HttpStatusCode.Redirect, accounts.StatusCode);
    }

    [Fact]
    public async Task The_units_page_shows_the_subtree_adds_a_school_and_reports_a_bad_sheet_by_row_and_column()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);
        using var add = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(organizer, "/to-chuc/don-vi"),
            ["Add.ParentId"] = ward.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Add.Name"] = "Trường Mầm non Hoa Sữa",
            ["Add.Kind"] = UnitKinds.School, ["Add.Headcount"] = "150",
        });
        var added = await (await organizer.PostAsync("/to-chuc/don-vi?handler=Add", add)).Content.ReadAsStringAsync();
        using var import = new MultipartFormDataContent
        {
            { new StringContent(await TokenAsync(organizer, "/to-chuc/don-vi")), "__RequestVerificationToken" },
            { new StringContent(ward.ToString(System.Globalization.CultureInfo.InvariantCulture)), "importParentId" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("Tên đơn vị,Loại\nTổ dân phố số 9,Phường\n")), "file", "to-dan-pho.csv" },
        };
        var imported = await (await organizer.PostAsync("/to-chuc/don-vi?handler=Import", import)).Content.ReadAsStringAsync();
        using var anonymous = App.CreateClient();
        var register = await anonymous.GetStringAsync("/dang-ky");
        var found = await anonymous.GetFromJsonAsync<List<UnitSummary>>("/api/units?q=hoa%20sua");

        Assert.Contains("Đã thêm Trường Mầm non Hoa Sữa — Phường Hoàn Kiếm.", added, StringComparison.Ordinal);
        Assert.Contains("<strong>Trường Mầm non Hoa Sữa</strong>", added, StringComparison.Ordinal);
        Assert.DoesNotContain("Phường Ba Đình", added, StringComparison.Ordinal);
        Assert.Contains("Dòng 2, cột &quot;Loại&quot;", imported, StringComparison.Ordinal);
        Assert.Contains("chưa lưu đơn vị nào", imported, StringComparison.Ordinal);
        Assert.Equal("Trường Mầm non Hoa Sữa — Phường Hoàn Kiếm", Assert.Single(found!).Label);
        // Without JavaScript the registration list is the top level; the search finds the sub-units.
        Assert.Contains(">Phường Hoàn Kiếm</option>", register, StringComparison.Ordinal);
    }
}
