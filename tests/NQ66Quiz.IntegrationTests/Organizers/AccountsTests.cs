using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Organizers;

public sealed class AccountsTests(AppFixture app) : ContestTest(app)
{
    private async Task<(int Code, string Output)> RunVerbAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(App.Factory.Services, args, output, error);
        return (code, output + error.ToString());
    }

    [Fact]
    public async Task There_is_no_default_account_and_the_first_admin_comes_from_the_command_line_with_a_one_time_password()
    {
        using var before = App.CreateClient();
        using var refused = await before.PostAsJsonAsync("/api/organizer/sign-in", new { email = "admin@nq66.local", password = "admin" });

        var (code, output) = await RunVerbAsync("organizers", "create-admin", "--email", "Admin@NQ66.local", "--name", "Nguyễn Thị Quản Trị");
        var password = output.Split('\n').Single(l => l.StartsWith("One-time password: ", StringComparison.Ordinal))["One-time password: ".Length..].Trim();
        using var admin = await App.SignInOrganizerAsync("admin@nq66.local", password);
        var me = await admin.GetFromJsonAsync<OrganizerAccount>("/api/organizer/me");
        var (again, againOutput) = await RunVerbAsync("organizers", "create-admin", "--email", "other@nq66.local", "--name", "Người khác", "--if-none");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, code);
        Assert.True(password.Length >= 12);
        Assert.Equal((OrganizerRoles.CityAdmin, "Thành phố Hà Nội", "Nguyễn Thị Quản Trị"), (me!.Role, me.UnitName, me.Name));
        Assert.Equal(0, again);
        Assert.Contains("exists already", againOutput, StringComparison.Ordinal);
        await using var db = App.OpenConnection();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM organizer_accounts"));
        // PasswordHasher's format (version 3 marker), never the password itself.
        Assert.DoesNotContain(password, await db.ExecuteScalarAsync<string>("SELECT password_hash FROM organizer_accounts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_is_accepted_once_with_a_password_of_at_least_12_characters_and_signs_the_invitee_in_with_their_role_and_unit()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var admin = await App.CreateOrganizerClientAsync();
        using var invited = await admin.PostAsJsonAsync("/api/organizer/invitations",
            new InviteRequest("Tran.Van.B@HoanKiem.Hanoi.gov.vn", "Trần Văn B", OrganizerRoles.UnitOrganizer, ward));
        var invitation = (await invited.Content.ReadFromJsonAsync<InvitationCreated>())!;
        using var invitee = App.CreateClient();

        using var shortPassword = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new AcceptRequest(invitation.Code, "ngan-qua"));
        using var accepted = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new AcceptRequest(invitation.Code, "mat-khau-du-dai-12"));
        var me = await invitee.GetFromJsonAsync<OrganizerAccount>("/api/organizer/me");
        using var second = App.CreateClient();
        using var reused = await second.PostAsJsonAsync("/api/organizer/invitations/accept", new AcceptRequest(invitation.Code, "mat-khau-khac-12345"));
        using var signIn = await second.PostAsJsonAsync("/api/organizer/sign-in", new { email = "tran.van.b@hoankiem.hanoi.gov.vn", password = "mat-khau-du-dai-12" });

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.Equal("/to-chuc/loi-moi/" + invitation.Code, invitation.Path);
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.Contains("ít nhất 12 ký tự", await shortPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(("tran.van.b@hoankiem.hanoi.gov.vn", OrganizerRoles.UnitOrganizer, ward), (me!.Email, me.Role, me.UnitId));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        var reuseBody = await reused.Content.ReadAsStringAsync();
        Assert.True(reuseBody.Contains("đã được dùng", StringComparison.Ordinal), reuseBody);
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        await using var db = App.OpenConnection();
        Assert.DoesNotContain(invitation.Code, await db.ExecuteScalarAsync<string>("SELECT code_sha256 FROM organizer_invitations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_expires_after_seven_days_and_a_bad_invitation_names_each_field()
    {
        await App.LoadUnitsAsync();
        using var admin = await App.CreateOrganizerClientAsync();
        using var bad = await admin.PostAsJsonAsync("/api/organizer/invitations", new InviteRequest("khong-phai-email", "A", "boss", null));
        using var invited = await admin.PostAsJsonAsync("/api/organizer/invitations",
            new InviteRequest("host@nq66.test", "Lê Thị Dẫn", OrganizerRoles.LiveHost, await App.UnitIdAsync("Sở Tư pháp")));
        var code = (await invited.Content.ReadFromJsonAsync<InvitationCreated>())!.Code;

        App.Clock.Advance(OrganizerAccounts.InvitationLifetime + TimeSpan.FromMinutes(1));
        using var invitee = App.CreateClient();
        using var late = await invitee.PostAsJsonAsync("/api/organizer/invitations/accept", new AcceptRequest(code, "mat-khau-du-dai-12"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["email", "name", "role", "unitId"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("hết hạn", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_a_changed_password_replaces_the_old_one()
    {
        await App.LoadUnitsAsync();
        using var admin = await App.CreateOrganizerClientAsync();
        using var author = await App.CreateOrganizerClientAsync(OrganizerRoles.QuestionAuthor, null, email: "author@nq66.test");
        var authorId = (await author.GetFromJsonAsync<OrganizerAccount>("/api/organizer/me"))!.Id;

        using var wrongCurrent = await author.PutAsJsonAsync("/api/organizer/me/password", new ChangePasswordRequest("sai-mat-khau-cu", "mat-khau-moi-123456"));
        using var changed = await author.PutAsJsonAsync("/api/organizer/me/password", new ChangePasswordRequest(AppFixture.OrganizerPassword, "mat-khau-moi-123456"));
        using var oldPassword = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { email = "author@nq66.test", password = AppFixture.OrganizerPassword });
        using var disabled = await admin.PostAsync($"/api/organizer/accounts/{authorId}/disable", null);
        using var afterDisable = await App.CreateClient().PostAsJsonAsync("/api/organizer/sign-in", new { email = "author@nq66.test", password = "mat-khau-moi-123456" });
        using var oldCookie = await author.GetAsync("/api/organizer/bank/export.md");

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisable.StatusCode);
        // The cookie the author still holds stops working too.
        Assert.Equal(HttpStatusCode.Unauthorized, oldCookie.StatusCode);
    }
}
