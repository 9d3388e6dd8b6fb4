using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Privacy;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Privacy;

/// <summary>Law 91/2025/QH15 duties: consent per purpose, minors, encrypted CCCD, masking, download, erasure, retention, audit.</summary>
public sealed class PrivacyTests(AppFixture app) : ContestTest(app)
{
    private const string Password = "mat-khau-an-toan";
    private static readonly List<PrizeTier> TwoPrizes = [new("nhat", "Giải Nhất", 1), new("nhi", "Giải Nhì", 1)];
    private int _unit;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.LoadUnitsAsync();
        _unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
    }

    [Fact]
    public async Task Consent_is_recorded_per_purpose_with_the_wording_version_and_a_child_registers_through_a_representative()
    {
        var (adult, _) = await App.RegisterAsync(TestData.Registration("0912345678", _unit, publish: false) with { ConsentContact = true });
        using var client = App.CreateClient();
        var child = TestData.Registration("0912345679", _unit, name: "Lê Minh Khôi", dateOfBirth: "2013-05-01", type: "student", publish: false)
            with { GuardianName = "Lê Thị Hoa", GuardianConsent = true };

        using var noRelationship = await client.PostAsJsonAsync("/api/participants/register", child);
        using var accepted = await client.PostAsJsonAsync("/api/participants/register", child with { GuardianRelationship = "me" });

        var version = App.Service<PrivacyTexts>().Current.Version;
        Assert.Equal("2026-12", version);
        await using var connection = App.OpenConnection();
        var consents = (await connection.QueryAsync<(string Phone, string Purpose, string Version)>("""
            SELECT p.phone, c.purpose, c.wording_version FROM participant_consents c JOIN participants p ON p.id = c.participant_id ORDER BY 1, 2
            """)).ToList();
        // The adult refused publication and agreed to contact; the child (no optional box ticked) has the representative's consent.
        Assert.Equal([("0912345678", "contact", version), ("0912345678", "participation", version),
            ("0912345679", "guardian", version), ("0912345679", "participation", version)], consents);
        Assert.Equal(HttpStatusCode.BadRequest, noRelationship.StatusCode);
        Assert.Contains("cha, mẹ hay người giám hộ", (await noRelationship.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("guardianRelationship")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(("Lê Thị Hoa", "me"), await connection.QuerySingleAsync<(string, string)>(
            "SELECT guardian_name, guardian_relationship FROM participants WHERE phone = '0912345679'"));
        // The registration form shows the same versioned wording it records, and links the privacy page.
        var form = await (await client.GetAsync("/dang-ky")).Content.ReadAsStringAsync();
        Assert.Contains(App.Service<PrivacyTexts>().Current[ConsentPurposes.Contact], form, StringComparison.Ordinal);
        Assert.Contains("href=\"/quyen-rieng-tu\"", form, StringComparison.Ordinal);
        adult.Dispose();
    }

    [Fact]
    public async Task The_national_ID_is_stored_encrypted_shown_masked_and_still_unique()
    {
        var (client, profile) = await App.RegisterAsync(TestData.Registration("0912345678", _unit, nationalId: "001090123456"));
        using var again = App.CreateClient();

        using var duplicate = await again.PostAsJsonAsync("/api/participants/register",
            TestData.Registration("0987654321", _unit, name: "Trần Thị Bình", nationalId: "001 090 123 456"));
        var account = await (await client.GetAsync("/tai-khoan")).Content.ReadAsStringAsync();

        await using var connection = App.OpenConnection();
        var (plain, stored, last4) = await connection.QuerySingleAsync<(string?, string, string)>(
            "SELECT national_id, national_id_protected, national_id_last4 FROM participants");
        Assert.Null(plain);
        Assert.DoesNotContain("0901234", stored, StringComparison.Ordinal);
        Assert.Equal("001090123456", App.Service<IDataProtectionProvider>().CreateProtector("NQ66Quiz.Participants.NationalId").Unprotect(stored));
        Assert.Equal("3456", last4);
        Assert.Equal("********3456", profile.NationalIdMasked);
        Assert.Contains("********3456", account, StringComparison.Ordinal);
        Assert.DoesNotContain("001090123456", account, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("Số CCCD này đã được dùng để đăng ký.", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Only the participant's own download has the whole number.
        Assert.Contains("001090123456", await client.GetStringAsync("/api/me/data"), StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task Public_pages_show_masked_names_and_units_only_and_erasure_keeps_rankings_and_figures()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(round: App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var people = new List<(HttpClient Client, long Id)>();
        for (var i = 0; i < 3; i++)
        {
            var (c, p) = await App.RegisterAsync(TestData.Registration($"09120000{i:00}", _unit, name: $"Trần Thị {(char)('A' + i)}nh", nationalId: $"00109012345{i}"));
            people.Add((c, p.Id));
        }
        await App.TakeAsync(people[0].Client, round.Id, 4, TimeSpan.FromSeconds(20), prediction: 1);
        await App.TakeAsync(people[1].Client, round.Id, 3, TimeSpan.FromSeconds(25), prediction: 1);
        await App.TakeAsync(people[2].Client, round.Id, 2, TimeSpan.FromSeconds(25), prediction: 1);
        App.Clock.Advance(TimeSpan.FromHours(1));
        (await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null)).EnsureSuccessStatusCode();
        (await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/publish", null)).EnsureSuccessStatusCode();
        using var anonymous = App.CreateClient();
        var pages = new[] { $"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/ket-qua", $"/cuoc-thi/{contest.Slug}/tuan/{round.Number}/xep-hang" };

        foreach (var page in pages)
        {
            var html = await anonymous.GetStringAsync(page);
            Assert.Contains("Trần T. A.", html, StringComparison.Ordinal);
            Assert.Contains("Phường Hoàn Kiếm", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Trần Thị Anh", html, StringComparison.Ordinal);
            Assert.DoesNotContain("0912", html, StringComparison.Ordinal);
            Assert.DoesNotContain("1990", html, StringComparison.Ordinal);
            Assert.DoesNotContain("3450", html, StringComparison.Ordinal);
        }
        var boardBefore = await anonymous.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard");
        var resultsBefore = await anonymous.GetFromJsonAsync<PublicResults>($"/api/rounds/{round.Id}/results");
        var ranksBefore = await RanksAsync(round.Id);

        using var wrong = await people[0].Client.PostAsJsonAsync("/api/me/erase", new EraseRequest("sai-mat-khau"));
        using var erased = await people[0].Client.PostAsJsonAsync("/api/me/erase", new EraseRequest(Password));
        using var signIn = await anonymous.PostAsJsonAsync("/api/participants/sign-in", new SignInRequest("0912000000", Password));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        await using var connection = App.OpenConnection();
        var row = await connection.QuerySingleAsync<(string FullName, string? Phone, DateTime? Dob, string? Id, int Consents)>("""
            SELECT full_name, phone, date_of_birth, national_id_protected, (SELECT count(*)::int FROM participant_consents WHERE participant_id = p.id)
            FROM participants p WHERE id = @id
            """, new { id = people[0].Id });
        Assert.Equal((PersonalData.ErasedName, null, null, null, 0), row);
        // The anti-cheat signals (network prefix, device hash) of the erased person's attempts go with the rest.
        Assert.Equal(0, await connection.QuerySingleAsync<int>(
            "SELECT count(*)::int FROM attempt_origins o JOIN attempts a ON a.id = o.attempt_id WHERE a.participant_id = @id", new { id = people[0].Id }));
        Assert.True(await connection.QuerySingleAsync<int>(
            "SELECT count(*)::int FROM attempt_origins o JOIN attempts a ON a.id = o.attempt_id WHERE a.participant_id = @id", new { id = people[1].Id }) > 0);
        // The attempt stays (anonymised): everyone keeps their rank, the statistics and the unit counts do not move.
        Assert.Equal(ranksBefore, await RanksAsync(round.Id));
        var boardAfter = await anonymous.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard");
        var resultsAfter = await anonymous.GetFromJsonAsync<PublicResults>($"/api/rounds/{round.Id}/results");
        Assert.Equal(boardBefore!.Top.Select(r => (r.Rank, r.Score, r.DurationMs)), boardAfter!.Top.Select(r => (r.Rank, r.Score, r.DurationMs)));
        Assert.Equal(LeaderboardReader.Hidden, boardAfter.Top[0].Name);
        Assert.Null(boardAfter.Top[0].UnitName);
        Assert.Equal(boardBefore.Top.Skip(1).Select(r => r.Name), boardAfter.Top.Skip(1).Select(r => r.Name));
        Assert.Equal(JsonSerializer.Serialize(resultsBefore!.Statistics), JsonSerializer.Serialize(resultsAfter!.Statistics));
        Assert.Equal(LeaderboardReader.Hidden, resultsAfter.Winners[0].Name);
        // Organizers see the row as erased; the export has no phone or date of birth for it.
        var csv = await organizer.GetStringAsync($"/api/organizer/rounds/{round.Id}/export?format=csv&scope=all");
        Assert.Contains(PersonalData.ErasedName, csv, StringComparison.Ordinal);
        Assert.DoesNotContain("0912000000", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("001090123451", csv, StringComparison.Ordinal);
        Assert.Contains("********3451", csv, StringComparison.Ordinal);
        // Erased from another device: the session this phone still holds ends with it (the session stamp changes).
        await connection.ExecuteAsync("UPDATE participants SET email = 'tran.c@example.vn' WHERE id = @id", new { id = people[2].Id });
        Assert.Null(await App.Service<PersonalData>().EraseOnRequestAsync(people[2].Id, Password));
        var next = await organizer.CreateRoundAsync(contest.Id, App.Round(length: TimeSpan.FromHours(1)));
        using var staleMe = await people[2].Client.GetAsync("/api/me");
        using var staleData = await people[2].Client.GetAsync("/api/me/data");
        using var staleStart = await people[2].Client.PostAsync($"/api/rounds/{next.Id}/attempts", null);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (staleMe.StatusCode, staleData.StatusCode, staleStart.StatusCode));
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT email FROM participants WHERE id = @id", new { id = people[2].Id }));
        organizer.Dispose();
        people.ForEach(p => p.Client.Dispose());
    }

    [Fact]
    public async Task A_participant_downloads_everything_stored_about_them_as_JSON()
    {
        var (_, _, round) = await App.OpenRoundAsync();
        var (client, profile) = await App.RegisterAsync(TestData.Registration("0912345678", _unit) with { ConsentContact = true });
        await App.TakeAsync(client, round.Id, 3, TimeSpan.FromSeconds(30), prediction: 2);

        using var response = await client.GetAsync("/api/me/data");
        using var visitor = await App.CreateClient().GetAsync("/api/me/data");
        var account = await client.GetStringAsync("/tai-khoan");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("du-lieu-ca-nhan.json", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var data = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Nguyễn Văn An", "0912345678", "1990-04-15", "Phường Hoàn Kiếm"), (
            data.GetProperty("participant").GetProperty("fullName").GetString(), data.GetProperty("participant").GetProperty("phone").GetString(),
            data.GetProperty("participant").GetProperty("dateOfBirth").GetString(), data.GetProperty("participant").GetProperty("unit").GetString()));
        var consents = data.GetProperty("consents").EnumerateArray().Select(c => (c.GetProperty("purpose").GetString(), c.GetProperty("wording").GetString())).ToList();
        Assert.Equal(["contact", "participation", "publish_if_winner"], consents.Select(c => c.Item1));
        Assert.All(consents, c => Assert.False(string.IsNullOrWhiteSpace(c.Item2)));
        var attempt = Assert.Single(data.GetProperty("attempts").EnumerateArray());
        Assert.Equal((3, 2), (attempt.GetProperty("score").GetInt32(), attempt.GetProperty("prediction").GetInt32()));
        Assert.Equal(HttpStatusCode.Unauthorized, visitor.StatusCode);
        Assert.Contains("href=\"/api/me/data\"", account, StringComparison.Ordinal);
        Assert.Equal(profile.Id, data.GetProperty("participant").GetProperty("id").GetInt64());
        client.Dispose();
    }

    [Fact]
    public async Task The_purge_verb_erases_people_whose_contests_are_past_retention_and_keeps_the_rest()
    {
        var (organizer, _, oldRound) = await App.OpenRoundAsync(round: App.Round(length: TimeSpan.FromHours(1)),
            contest: TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), name: "Cuộc thi năm trước") with { RetentionDays = 30 });
        var current = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), name: "Cuộc thi đang diễn ra") with { Slug = "dang-dien-ra" });
        var currentRound = await organizer.CreateRoundAsync(current.Id, App.Round(length: TimeSpan.FromDays(60)));
        var (old, oldProfile) = await App.RegisterAsync(TestData.Registration("0912000001", _unit, name: "Phạm Văn Cũ"));
        var (both, bothProfile) = await App.RegisterAsync(TestData.Registration("0912000002", _unit, name: "Phạm Văn Hai"));
        await App.TakeAsync(old, oldRound.Id, 2, TimeSpan.FromSeconds(30), prediction: 1);
        await App.TakeAsync(both, oldRound.Id, 3, TimeSpan.FromSeconds(30), prediction: 1);
        await App.TakeAsync(both, currentRound.Id, 3, TimeSpan.FromSeconds(30), prediction: 1);
        using var badRetention = await organizer.PostAsJsonAsync("/api/organizer/contests",
            TestData.Contest(await App.UnitIdAsync("Sở Tư pháp"), name: "Thời hạn sai") with { Slug = "thoi-han-sai", RetentionDays = 7 });
        // 31 days after the old round closed: past its 30 days; the current contest's round is still open.
        App.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromDays(31));
        var verb = App.Services<ICommandVerb>().Single(v => v.Name == "privacy purge");

        var dry = new StringWriter();
        var dryCode = await verb.RunAsync(["--dry-run"], dry, CancellationToken.None);
        await using var connection = App.OpenConnection();
        var erasedAfterDryRun = await connection.QuerySingleAsync<long>("SELECT count(*) FROM participants WHERE erased_at IS NOT NULL");
        var output = new StringWriter();
        var code = await verb.RunAsync([], output, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, badRetention.StatusCode);
        Assert.Contains("từ 30 đến 3650 ngày", await badRetention.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((0, 0), (dryCode, code));
        Assert.Contains($"1 participant(s) past retention would be erased: ids {oldProfile.Id}", dry.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, erasedAfterDryRun);
        Assert.Contains("Erased the personal data of 1 participant(s)", output.ToString(), StringComparison.Ordinal);
        var rows = (await connection.QueryAsync<(long Id, string Name, string? Phone)>("SELECT id, full_name, phone FROM participants ORDER BY id")).ToList();
        Assert.Equal([(oldProfile.Id, PersonalData.ErasedName, null), (bothProfile.Id, "Phạm Văn Hai", "0912000002")], rows);
        // The erased person's attempt and entry stay, so the old round's figures are what they were.
        Assert.Equal(2, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM round_entries WHERE round_id = @Id AND best_attempt_id IS NOT NULL", new { oldRound.Id }));
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM audit_log WHERE action = 'privacy purge'"));
        organizer.Dispose();
        old.Dispose();
        both.Dispose();
    }

    [Fact]
    public async Task Organizer_reads_of_participant_lists_and_result_exports_are_audited()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(round: App.Round(length: TimeSpan.FromHours(1), prizes: TwoPrizes));
        var (client, _) = await App.RegisterAsync(TestData.Registration("0912345678", _unit));
        await App.TakeAsync(client, round.Id, 3, TimeSpan.FromSeconds(30), prediction: 1);
        App.Clock.Advance(TimeSpan.FromHours(1));
        (await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null)).EnsureSuccessStatusCode();
        await using var connection = App.OpenConnection();
        await connection.ExecuteAsync("DELETE FROM audit_log");

        (await organizer.GetAsync($"/to-chuc/cuoc-thi/tuan/{round.Id}")).EnsureSuccessStatusCode();
        (await organizer.GetAsync($"/to-chuc/xep-hang-don-vi/{contest.Id}")).EnsureSuccessStatusCode();
        (await organizer.GetAsync($"/api/organizer/rounds/{round.Id}/results")).EnsureSuccessStatusCode();
        (await organizer.GetAsync($"/api/organizer/rounds/{round.Id}/export?format=csv&scope=all")).EnsureSuccessStatusCode();

        var actions = (await connection.QueryAsync<string>("SELECT action || ' ' || coalesce(target, '') FROM audit_log WHERE account_id IS NOT NULL ORDER BY id")).ToList();
        Assert.Equal(4, actions.Count);
        Assert.StartsWith($"GET page /Organizer/Contests/Round", actions[0], StringComparison.Ordinal);
        Assert.StartsWith($"GET page /Organizer/UnitRankings/Index", actions[1], StringComparison.Ordinal);
        Assert.Contains($"/api/organizer/rounds/{round.Id}/results", actions[2], StringComparison.Ordinal);
        Assert.Contains($"/api/organizer/rounds/{round.Id}/export?format=csv&scope=all", actions[3], StringComparison.Ordinal);
        organizer.Dispose();
        client.Dispose();
    }

    [Fact]
    public async Task The_privacy_page_is_public_Vietnamese_from_content_and_linked_from_the_account_page()
    {
        using var visitor = App.CreateClient();

        using var page = await visitor.GetAsync("/quyen-rieng-tu");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        foreach (var heading in new[] { "Thông tin được thu thập", "Mục đích", "Thời hạn lưu trữ", "Quyền của bạn", "Liên hệ" })
        {
            Assert.Contains($">{heading}</h2>", html, StringComparison.Ordinal);
        }
        Assert.Contains("91/2025/QH15", html, StringComparison.Ordinal);
        Assert.Contains(App.Service<PrivacyTexts>().Current[ConsentPurposes.PublishIfWinner].Replace("\"", "&quot;", StringComparison.Ordinal), html, StringComparison.Ordinal);
    }

    private async Task<List<(int Rank, long ParticipantId, int Score)>> RanksAsync(long roundId)
    {
        await using var connection = App.OpenConnection();
        return [.. await connection.QueryAsync<(int, long, int)>(
            "SELECT rank, participant_id, score FROM round_results WHERE round_id = @roundId ORDER BY rank", new { roundId })];
    }
}
