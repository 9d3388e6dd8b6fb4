using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.IntegrationTests.Organizers;

/// <summary>Every organizer action that changes data or reads personal data leaves a row: who, what, when, from where.</summary>
public sealed class AuditTests(AppFixture app) : ContestTest(app)
{
    private sealed record Row(long? AccountId, string Action, string? Target, string Detail, string? Ip);

    private async Task<List<Row>> RowsAsync()
    {
        await using var db = App.OpenConnection();
        return [.. await db.QueryAsync<Row>("SELECT account_id, action, target, detail::text AS detail, host(ip) AS ip FROM audit_log ORDER BY id")];
    }

    [Fact]
    public async Task Each_organizer_action_is_logged_with_the_account_the_target_the_outcome_and_the_address()
    {
        var (admin, contest, round) = await App.OpenRoundAsync();
        using var _ = admin;
        var adminId = (await admin.GetFromJsonAsync<OrganizerAccount>("/api/organizer/me"))!.Id;
        using (var r = await admin.PutAsJsonAsync($"/api/organizer/contests/{contest.Id}", TestData.Contest(contest.OrganizingUnitId, name: "Tên mới của cuộc thi"))) { r.EnsureSuccessStatusCode(); }
        using (var r = await admin.GetAsync($"/api/organizer/rounds/{round.Id}/results")) { r.EnsureSuccessStatusCode(); }
        using (var r = await admin.GetAsync($"/api/organizer/rounds/{round.Id}/export?format=csv")) { Assert.Equal(HttpStatusCode.Conflict, r.StatusCode); }
        using (var r = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { email = AppFixture.OrganizerEmail, password = "sai-mat-khau-roi" })) { }
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);
        using (var r = await organizer.GetAsync($"/api/organizer/contests/{contest.Id}")) { Assert.Equal(HttpStatusCode.NotFound, r.StatusCode); }

        var rows = await RowsAsync();
        Row Find(string action) => rows.Single(r => r.Action == action);

        Assert.Contains(rows, r => r.Action == "sign-in" && r.AccountId == adminId && r.Ip is "127.0.0.1" or "::1" or "::ffff:127.0.0.1");
        var created = Find("POST /api/organizer/contests");
        Assert.Equal((adminId, "/api/organizer/contests"), (created.AccountId, created.Target));
        Assert.Contains("\"status\": 201", created.Detail, StringComparison.Ordinal);
        Assert.Equal($"/api/organizer/contests/{contest.Id}", Find("PUT /api/organizer/contests/{contestId:long}").Target);
        Assert.Equal(adminId, Find("POST /api/organizer/contests/{contestId:long}/rounds").AccountId);
        Assert.Equal($"/api/organizer/rounds/{round.Id}/results", Find("GET /api/organizer/rounds/{roundId:long}/results").Target);
        Assert.Contains("\"status\": 409", Find("GET /api/organizer/rounds/{roundId:long}/export").Detail, StringComparison.Ordinal);
        var failed = rows.Single(r => r.Action == "sign-in failed" && r.Target == AppFixture.OrganizerEmail);
        Assert.Null(failed.AccountId);
        Assert.Single(rows, r => r.Action == "POST /api/organizer/invitations");
        Assert.Single(rows, r => r.Action == "invitation accepted");
        // The out-of-scope read is logged as what it was: a 404 for that account.
        var refused = rows.Single(r => r.Action == "GET /api/organizer/contests/{contestId:long}");
        Assert.NotEqual(adminId, refused.AccountId);
        Assert.Contains("\"status\": 404", refused.Detail, StringComparison.Ordinal);
        // Passwords never reach the log.
        Assert.DoesNotContain(rows, r => r.Detail.Contains(AppFixture.OrganizerPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Organizer_page_posts_are_logged_and_reads_of_nothing_personal_are_not()
    {
        await App.LoadUnitsAsync();
        using var admin = await App.CreateOrganizerClientAsync();
        using (var r = await admin.PostAsJsonAsync("/api/organizer/bank/preview", new { id = "x", markdown = "" })) { r.EnsureSuccessStatusCode(); }
        var page = await admin.GetStringAsync("/to-chuc/cuoc-thi");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.Name"] = "Cuộc thi tạo từ trang", ["Form.DescriptionMd"] = "Thể lệ.",
            ["Form.OrganizingUnitId"] = (await App.UnitIdAsync("Sở Tư pháp")).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Form.PredictionKind"] = "perfect_scores",
        });
        using (var r = await admin.PostAsync("/to-chuc/cuoc-thi", form)) { Assert.Equal(HttpStatusCode.Redirect, r.StatusCode); }

        var rows = await RowsAsync();

        Assert.DoesNotContain(rows, r => r.Action.Contains("bank/preview", StringComparison.Ordinal));
        var posted = Assert.Single(rows, r => r.Action.StartsWith("POST page /Organizer/Contests/Index", StringComparison.Ordinal));
        Assert.Equal("/to-chuc/cuoc-thi", posted.Target);
    }

    [Fact]
    public async Task Admins_read_and_export_the_log_and_nobody_else_does()
    {
        await App.LoadUnitsAsync();
        using var admin = await App.CreateOrganizerClientAsync();
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, await App.UnitIdAsync("Phường Hoàn Kiếm"));

        var entries = await admin.GetFromJsonAsync<List<AuditEntry>>("/api/organizer/audit?action=invitation");
        using var csv = await admin.GetAsync("/api/organizer/audit.csv");
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        using var denied = await organizer.GetAsync("/api/organizer/audit.csv");
        var page = await admin.GetStringAsync("/to-chuc/tai-khoan/nhat-ky");

        Assert.Equal(["invitation accepted", "POST /api/organizer/invitations"], entries!.Select(e => e.Action));
        Assert.Equal(AppFixture.OrganizerEmail, entries![1].AccountEmail);
        Assert.StartsWith("\uFEFFthoi_gian,tai_khoan,ho_ten,thao_tac,doi_tuong,chi_tiet,ip", text, StringComparison.Ordinal);
        Assert.Contains("POST /api/organizer/invitations", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Nhật ký thao tác", page, StringComparison.Ordinal);
        Assert.Contains("POST /api/organizer/invitations", page, StringComparison.Ordinal);
    }
}
