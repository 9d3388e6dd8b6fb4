using System.Net;
using System.Net.Http.Json;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.IntegrationTests.LiveRounds;
using NQ66Quiz.Web.Features.LiveRounds;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.UnitRankings;

namespace NQ66Quiz.IntegrationTests.UnitRankings;

/// <summary>
/// A live round held in a contest round, played through the real hubs, counts in that contest's participation by unit:
/// a signed-in player who answered is a participant and an entry of their own unit; one who only joined, and a guest, are
/// not; and an organizer
/// can attach a live round only to a contest round of their own subtree.
/// </summary>
public sealed class LiveParticipationTests(AppFixture app) : IntegrationTest(app)
{
    [Fact]
    public async Task Players_of_a_live_round_in_a_contest_round_count_for_their_unit_in_the_figures()
    {
        var (organizer, contest, round) = await App.OpenRoundAsync(questions: 4);
        using var _o = organizer;
        await App.SeedLiveQuestionsAsync(1);
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var other = await App.UnitIdAsync("Phường Ba Đình");

        // Online: one person of Phường Ba Đình takes the round.
        var (online, _) = await App.RegisterAsync(TestData.Registration("0912345001", other, "Trần Thị Mai"));
        await App.TakeAsync(online, round.Id, right: 2, takes: TimeSpan.FromMinutes(3));

        // Live, at Phường Hoàn Kiếm's meeting during that round, in unit mode: An (signed in, of the ward) answers; Bình
        // (signed in) only joins; a guest answers for the ward but is nobody we can count; Mai (online already, of Ba
        // Đình) plays for the ward and still counts once, for her own unit.
        var (anClient, _) = await App.RegisterAsync(TestData.Registration("0912345002", ward, "Nguyễn Văn An"));
        var (binhClient, _) = await App.RegisterAsync(TestData.Registration("0912345003", ward, "Lê Văn Bình"));
        var liveId = await organizer.CreateLiveRoundAsync(new CreateLiveRoundRequest("Tọa đàm tại phường", ["live-01"], null, UnitMode: true,
            ContestRoundId: round.Id));
        var opened = await organizer.OpenLiveRoundAsync(liveId);
        await using var host = new LiveHost(App.BaseAddress, App.CookieHeader(organizer));
        await host.WatchAsync(liveId);
        await using var an = new LivePlayer(App.BaseAddress, cookie: App.CookieHeader(anClient));
        await using var binh = new LivePlayer(App.BaseAddress, cookie: App.CookieHeader(binhClient));
        await using var guest = new LivePlayer(App.BaseAddress);
        await using var mai = new LivePlayer(App.BaseAddress, cookie: App.CookieHeader(online));
        Assert.True((await an.JoinAsync(opened.Pin, "An", ward)).Ok);
        Assert.True((await binh.JoinAsync(opened.Pin, "Bình", ward)).Ok);
        Assert.True((await guest.JoinAsync(opened.Pin, "Khách", ward)).Ok);
        Assert.True((await mai.JoinAsync(opened.Pin, "Mai", ward)).Ok);
        Assert.True((await host.CommandAsync(LiveHostMethods.Start, liveId)).Ok);
        await an.Questions.NextAsync();
        var key = await App.CorrectOptionAsync(liveId, 1);
        foreach (var player in new[] { an, guest, mai })
        {
            Assert.True((await player.AnswerAsync(1, key)).Accepted);
        }
        await using (var db = App.OpenConnection())
        {
            Assert.Equal(3, await Dapper.SqlMapper.ExecuteScalarAsync<int>(db, "SELECT count(*)::int FROM live_players WHERE participant_id IS NOT NULL"));
        }

        var view = (await organizer.GetFromJsonAsync<UnitFiguresView>($"/api/organizer/unit-rankings/contests/{contest.Id}/figures"))!;
        UnitFigure Of(int unit, int? number) => view.Figures.Single(f => f.UnitId == unit && f.RoundNumber == number);
        Assert.Equal((1L, 1L), (Of(ward, 1).Participants, Of(ward, 1).Entries));
        Assert.Null(Of(ward, 1).AverageBestScore);
        Assert.Equal((1L, 2L), (Of(other, 1).Participants, Of(other, 1).Entries));
        Assert.Equal(2.0, Of(other, 1).AverageBestScore);
        var city = view.Figures.Single(f => f.ParentId is null && f.RoundNumber is null);
        Assert.Equal(2L, city.Participants);
        Assert.Equal(2L, view.OverTime[^1].TotalParticipants);
    }

    [Fact]
    public async Task A_live_round_is_attached_only_to_a_contest_round_of_the_organizers_subtree()
    {
        var (admin, _, theirRound) = await App.OpenRoundAsync(questions: 4);
        using var _a = admin;
        await App.SeedLiveQuestionsAsync(1);
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var mine = await admin.CreateContestAsync(TestData.Contest(ward, name: "Cuộc thi của Phường Hoàn Kiếm"));
        var myRound = await admin.CreateRoundAsync(mine.Id, App.Round(questions: 4));
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);

        using var refused = await organizer.PostAsJsonAsync(LiveRoutes.OrganizerApi,
            new CreateLiveRoundRequest("Gắn vào cuộc thi khác", ["live-01"], null, ContestRoundId: theirRound.Id));
        var own = await organizer.CreateLiveRoundAsync(new CreateLiveRoundRequest("Gắn vào tuần thi của phường", ["live-01"], null, ContestRoundId: myRound.Id));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("contestRoundId", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = App.OpenConnection();
        Assert.Equal(myRound.Id, await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT contest_round_id FROM live_rounds WHERE id = @own", new { own }));
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<int>(db, "SELECT count(*)::int FROM live_rounds"));
    }
}
