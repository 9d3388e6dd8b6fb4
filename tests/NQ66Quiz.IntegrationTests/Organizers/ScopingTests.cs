using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.IntegrationTests.Organizers;

/// <summary>
/// A unit organizer works inside their unit's subtree only: every organizer endpoint, asked about another unit's
/// contest or round, answers 404 (or 403 where the duty itself is not theirs), while the same request on their own
/// unit's data works, so the refusal is the scope and not a broken request.
/// </summary>
public sealed class ScopingTests(AppFixture app) : ContestTest(app)
{
    /// <summary>One row per organizer endpoint: method, route pattern, the URL to call with {contest}/{round} filled in.</summary>
    private sealed record Case(string Method, string Pattern, string Url, object? Body = null);

    private static IReadOnlyList<Case> Cases(AppFixture app, int otherUnit) =>
    [
        new("GET", "/api/organizer/contests/{contestId:long}", "/api/organizer/contests/{contest}"),
        new("PUT", "/api/organizer/contests/{contestId:long}", "/api/organizer/contests/{contest}", TestData.Contest(otherUnit, name: "Đổi tên")),
        new("POST", "/api/organizer/contests/{contestId:long}/rounds", "/api/organizer/contests/{contest}/rounds", app.Round(opensIn: TimeSpan.FromDays(30))),
        new("GET", "/api/organizer/rounds/{roundId:long}", "/api/organizer/rounds/{round}"),
        new("PUT", "/api/organizer/rounds/{roundId:long}", "/api/organizer/rounds/{round}", app.Round()),
        new("GET", "/api/organizer/rounds/{roundId:long}/results", "/api/organizer/rounds/{round}/results"),
        new("POST", "/api/organizer/rounds/{roundId:long}/close", "/api/organizer/rounds/{round}/close"),
        new("POST", "/api/organizer/rounds/{roundId:long}/publish", "/api/organizer/rounds/{round}/publish"),
        new("GET", "/api/organizer/rounds/{roundId:long}/export", "/api/organizer/rounds/{round}/export?format=csv&scope=all"),
        new("GET", "/api/organizer/rounds/{roundId:long}/flags", "/api/organizer/rounds/{round}/flags"),
        new("GET", "/api/organizer/contests/{contestId:long}/headcounts", "/api/organizer/contests/{contest}/headcounts"),
        new("PUT", "/api/organizer/contests/{contestId:long}/headcounts", "/api/organizer/contests/{contest}/headcounts",
            new[] { new NQ66Quiz.Web.Features.Units.HeadcountUpdate(otherUnit, 500) }),
        new("PUT", "/api/organizer/units/{unitId:int}", "/api/organizer/units/{unit}", new NQ66Quiz.Web.Features.Units.UnitUpdate(null, null, 1234)),
    ];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Case c, long contest, long round, int unit = 0)
    {
        var url = c.Url.Replace("{unit}", unit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("{contest}", contest.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{round}", round.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), url);
        if (c.Body is not null)
        {
            request.Content = JsonContent.Create(c.Body, c.Body.GetType());
        }
        return await client.SendAsync(request);
    }

    private async Task<(HttpClient Admin, ContestView Mine, RoundView MyRound, ContestView Theirs, RoundView TheirRound, int MyUnit, int TheirUnit)> TwoUnitsAsync()
    {
        await App.LoadUnitsAsync();
        await App.ImportQuestionsAsync(Enumerable.Range(1, 8).Select(i => TestData.Question($"q{i:000}", Viewpoints: [1 + i % 5])));
        var admin = await App.CreateOrganizerClientAsync();
        var myUnit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var theirUnit = await App.UnitIdAsync("Phường Ba Đình");
        var mine = await admin.CreateContestAsync(TestData.Contest(myUnit, name: "Cuộc thi của Phường Hoàn Kiếm"));
        var theirs = await admin.CreateContestAsync(TestData.Contest(theirUnit, name: "Cuộc thi của Phường Ba Đình"));
        var myRound = await admin.CreateRoundAsync(mine.Id, App.Round());
        var theirRound = await admin.CreateRoundAsync(theirs.Id, App.Round());
        return (admin, mine, myRound, theirs, theirRound, myUnit, theirUnit);
    }

    [Fact]
    public async Task A_unit_organizer_gets_404_on_every_contest_endpoint_for_another_units_contest_and_an_answer_on_their_own()
    {
        var (admin, mine, myRound, theirs, theirRound, myUnit, theirUnit) = await TwoUnitsAsync();
        using var _ = admin;
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, myUnit);

        foreach (var c in Cases(App, theirUnit))
        {
            using var other = await SendAsync(organizer, c, theirs.Id, theirRound.Id, theirUnit);
            Assert.True(other.StatusCode == HttpStatusCode.NotFound, $"{c.Method} {c.Url} on another unit's data: {(int)other.StatusCode}");
        }
        foreach (var c in Cases(App, myUnit))
        {
            using var own = await SendAsync(organizer, c, mine.Id, myRound.Id, myUnit);
            Assert.True(own.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized),
                $"{c.Method} {c.Url} on their own unit's data: {(int)own.StatusCode} {await own.Content.ReadAsStringAsync()}");
        }
        // Nothing of the other unit changed.
        var after = await admin.GetFromJsonAsync<ContestView>($"/api/organizer/contests/{theirs.Id}");
        Assert.Equal("Cuộc thi của Phường Ba Đình", after!.Name);
        Assert.Single(after.Rounds);
        await using var db = App.OpenConnection();
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(db, "SELECT count(*)::int FROM unit_headcounts WHERE contest_id = @Id", new { theirs.Id }));
        Assert.Null(await Dapper.SqlMapper.ExecuteScalarAsync<int?>(db, "SELECT headcount FROM units WHERE id = @theirUnit", new { theirUnit }));
    }

    [Fact]
    public async Task A_unit_organizer_cannot_create_or_move_a_contest_into_another_unit_and_sees_only_their_contests()
    {
        var (admin, mine, _, theirs, _, myUnit, theirUnit) = await TwoUnitsAsync();
        using var _a = admin;
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, myUnit);

        using var create = await organizer.PostAsJsonAsync("/api/organizer/contests", TestData.Contest(theirUnit, name: "Cuộc thi lấn sân"));
        using var move = await organizer.PutAsJsonAsync($"/api/organizer/contests/{mine.Id}", TestData.Contest(theirUnit, name: "Cuộc thi của Phường Hoàn Kiếm"));
        using var createOwn = await organizer.PostAsJsonAsync("/api/organizer/contests", TestData.Contest(myUnit, name: "Cuộc thi thứ hai của phường"));
        var page = await organizer.GetStringAsync("/to-chuc/cuoc-thi");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, move.StatusCode);
        Assert.Equal(HttpStatusCode.Created, createOwn.StatusCode);
        Assert.Contains(mine.Name, page, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Name, page, StringComparison.Ordinal);
        var adminPage = await admin.GetStringAsync("/to-chuc/cuoc-thi");
        Assert.Contains(theirs.Name, adminPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Cuộc thi lấn sân", adminPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_organizer_pages_of_another_units_contest_and_round_are_not_found()
    {
        var (admin, mine, myRound, theirs, theirRound, myUnit, _) = await TwoUnitsAsync();
        using var _a = admin;
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, myUnit);

        using var contest = await organizer.GetAsync($"/to-chuc/cuoc-thi/{theirs.Id}");
        using var round = await organizer.GetAsync($"/to-chuc/cuoc-thi/tuan/{theirRound.Id}");
        using var ownContest = await organizer.GetAsync($"/to-chuc/cuoc-thi/{mine.Id}");
        using var ownRound = await organizer.GetAsync($"/to-chuc/cuoc-thi/tuan/{myRound.Id}");

        Assert.Equal(HttpStatusCode.NotFound, contest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, round.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownContest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownRound.StatusCode);
    }

    [Theory]
    [InlineData(OrganizerRoles.UnitOrganizer, "POST", "/api/organizer/leaderboards/rebuild")]
    [InlineData(OrganizerRoles.UnitOrganizer, "GET", "/api/organizer/bank/export.md")]
    [InlineData(OrganizerRoles.UnitOrganizer, "GET", "/api/organizer/bank/export.xlsx")]
    [InlineData(OrganizerRoles.UnitOrganizer, "POST", "/api/organizer/bank/preview")]
    [InlineData(OrganizerRoles.UnitOrganizer, "GET", "/api/organizer/accounts")]
    [InlineData(OrganizerRoles.UnitOrganizer, "POST", "/api/organizer/accounts/1/disable")]
    [InlineData(OrganizerRoles.UnitOrganizer, "POST", "/api/organizer/accounts/1/enable")]
    [InlineData(OrganizerRoles.UnitOrganizer, "GET", "/api/organizer/invitations")]
    [InlineData(OrganizerRoles.UnitOrganizer, "POST", "/api/organizer/invitations")]
    [InlineData(OrganizerRoles.UnitOrganizer, "GET", "/api/organizer/audit")]
    [InlineData(OrganizerRoles.UnitOrganizer, "GET", "/api/organizer/audit.csv")]
    [InlineData(OrganizerRoles.QuestionAuthor, "GET", "/api/organizer/contests/{contest}")]
    [InlineData(OrganizerRoles.QuestionAuthor, "POST", "/api/organizer/contests")]
    [InlineData(OrganizerRoles.QuestionAuthor, "GET", "/api/organizer/rounds/{round}/export")]
    [InlineData(OrganizerRoles.LiveHost, "GET", "/api/organizer/rounds/{round}/results")]
    [InlineData(OrganizerRoles.LiveHost, "GET", "/api/organizer/rounds/{round}/flags")]
    [InlineData(OrganizerRoles.QuestionAuthor, "GET", "/api/organizer/rounds/{round}/flags")]
    [InlineData(OrganizerRoles.LiveHost, "GET", "/api/organizer/bank/export.md")]
    [InlineData(OrganizerRoles.QuestionAuthor, "GET", "/api/organizer/audit")]
    public async Task A_role_gets_403_outside_its_duty(string role, string method, string url)
    {
        var (admin, mine, myRound, _, _, myUnit, _) = await TwoUnitsAsync();
        using var _a = admin;
        using var organizer = await App.CreateOrganizerClientAsync(role, myUnit);

        using var response = await SendAsync(organizer, new Case(method, "", url, method == "POST" ? new { } : null), mine.Id, myRound.Id);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_question_author_opens_the_bank_but_not_the_contests_pages()
    {
        await App.LoadUnitsAsync();
        using var author = await App.CreateOrganizerClientAsync(OrganizerRoles.QuestionAuthor, null);

        using var bank = await author.GetAsync("/to-chuc/ngan-hang");
        using var contests = await author.GetAsync("/to-chuc/cuoc-thi");

        Assert.Equal(HttpStatusCode.OK, bank.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, contests.StatusCode);
        Assert.Contains("/to-chuc/khong-du-quyen", contests.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every organizer endpoint the app maps must appear in a test above (or in the other organizer tests' list below), so
    /// an endpoint added later without a scoping test fails here, by name.
    /// </summary>
    [Fact]
    public void Every_organizer_endpoint_has_a_scoping_case()
    {
        var covered = Cases(App, 0).Select(c => $"{c.Method} {c.Pattern}").Concat(CoveredElsewhere).ToHashSet(StringComparer.Ordinal);
        var mapped = App.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/organizer", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();

        Assert.Empty(mapped.Where(m => !covered.Contains(m)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Endpoints whose refusal is tested by role (the theories above), or that are any organizer's own business (sign-in,
    /// sign-out, their own account), or city-wide by design (the bank), or whose scope another test file checks.
    /// </summary>
    private static readonly string[] CoveredElsewhere =
    [
        "POST /api/organizer/contests",
        "POST /api/organizer/leaderboards/rebuild",
        "POST /api/organizer/bank/preview", "GET /api/organizer/bank/export.xlsx", "GET /api/organizer/bank/export.md",
        "POST /api/organizer/sign-in", "POST /api/organizer/sign-out", "GET /api/organizer/me", "PUT /api/organizer/me/password",
        "POST /api/organizer/invitations/accept",
        // The caller's own second factor (Security/OrganizerSecurityTests).
        "POST /api/organizer/me/second-factor", "POST /api/organizer/me/second-factor/confirm",
        "GET /api/organizer/accounts", "POST /api/organizer/accounts/{id:long}/disable", "POST /api/organizer/accounts/{id:long}/enable",
        "GET /api/organizer/invitations", "POST /api/organizer/invitations", "GET /api/organizer/audit", "GET /api/organizer/audit.csv",
        // Units/DirectoryTests: a unit organizer lists, exports, adds and imports within their subtree only.
        "GET /api/organizer/units", "GET /api/organizer/units/export", "POST /api/organizer/units", "POST /api/organizer/units/import",
        // UnitRankings/GeneratedContestTests.A_unit_organizer_gets_404_or_403_for_another_units_data_on_every_endpoint: the
        // route ids go through this group's scope filter; the handlers also take the caller's subtree.
        "GET /api/organizer/unit-rankings/contests/{contestId:long}/figures", "GET /api/organizer/unit-rankings/contests/{contestId:long}/knowledge-map",
        "GET /api/organizer/unit-rankings/contests/{contestId:long}/item-analysis", "GET /api/organizer/unit-rankings/contests/{contestId:long}/report.xlsx",
        "GET /api/organizer/unit-rankings/contests/{contestId:long}/ranking", "PUT /api/organizer/unit-rankings/contests/{contestId:long}/ranking/settings",
        "POST /api/organizer/unit-rankings/contests/{contestId:long}/ranking/compute", "POST /api/organizer/unit-rankings/contests/{contestId:long}/ranking/publish",
        "GET /api/organizer/unit-rankings/contests/{contestId:long}/units/{unitId:int}/certificate.pdf",
        "GET /api/organizer/unit-rankings/rounds/{roundId:long}/participants/{participantId:long}/certificate.pdf",
        // Ending a round early: {roundId} goes through the group's scope filter, as for close and publish (RoundEndTests).
        "POST /api/organizer/rounds/{roundId:long}/end",
        // Live rounds belong to the organizer who created them (a city admin sees all): LiveRoundsApi and LiveHubFilter
        // check the owner on every call; LiveRounds/LiveHubTests.
        "POST /api/organizer/live-rounds/", "GET /api/organizer/live-rounds/", "POST /api/organizer/live-rounds/{id:long}/open",
        "GET /api/organizer/live-rounds/{id:long}/qr.svg", "GET /api/organizer/live-rounds/{id:long}/results",
        "GET /api/organizer/live-rounds/{id:long}/results.{format:regex(^(xlsx|csv)$)}",
        // Participants (password reset codes): A_unit_organizer_finds_and_issues_reset_codes_only_for_participants_of_their_subtree above.
        "GET /api/organizer/participants/", "POST /api/organizer/participants/{participantId:long}/password-reset-code",
    ];

    [Fact]
    public async Task A_unit_organizer_finds_and_issues_reset_codes_only_for_participants_of_their_subtree()
    {
        await App.LoadUnitsAsync();
        var myUnit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var theirUnit = await App.UnitIdAsync("Phường Ba Đình");
        var (_, mine) = await App.RegisterAsync(TestData.Registration("0912345678", myUnit, name: "Nguyễn Văn An"));
        var (_, theirs) = await App.RegisterAsync(TestData.Registration("0912345679", theirUnit, name: "Nguyễn Văn Bình"));
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, myUnit);
        using var author = await App.CreateOrganizerClientAsync(OrganizerRoles.QuestionAuthor, null);
        using var admin = await App.CreateOrganizerClientAsync();

        var found = await organizer.GetFromJsonAsync<List<NQ66Quiz.Web.Features.Participants.ParticipantLookup>>("/api/organizer/participants?q=Nguy%E1%BB%85n");
        using var other = await organizer.PostAsync($"/api/organizer/participants/{theirs.Id}/password-reset-code", null);
        using var own = await organizer.PostAsync($"/api/organizer/participants/{mine.Id}/password-reset-code", null);
        using var notTheirDuty = await author.PostAsync($"/api/organizer/participants/{mine.Id}/password-reset-code", null);
        using var byAdmin = await admin.PostAsync($"/api/organizer/participants/{theirs.Id}/password-reset-code", null);
        var adminFound = await admin.GetFromJsonAsync<List<NQ66Quiz.Web.Features.Participants.ParticipantLookup>>("/api/organizer/participants?q=Nguy%E1%BB%85n");

        Assert.Equal([mine.Id], found!.Select(p => p.Id));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notTheirDuty.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(2, adminFound!.Count);
        await using var db = App.OpenConnection();
        Assert.Equal([mine.Id, theirs.Id], (await Dapper.SqlMapper.QueryAsync<long>(db, "SELECT participant_id FROM participant_password_resets ORDER BY id")).ToList());
        using var page = await organizer.GetAsync($"/to-chuc/nguoi-du-thi?q=0912345679");
        Assert.DoesNotContain("Nguyễn Văn Bình", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
