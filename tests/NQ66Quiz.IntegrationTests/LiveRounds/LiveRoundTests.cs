using System.Net;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.LiveRounds;
using StackExchange.Redis;

namespace NQ66Quiz.IntegrationTests.LiveRounds;

/// <summary>
/// Live rounds through the real hubs (.NET SignalR client) on real PostgreSQL and Redis. The app's clock is the fixture's
/// fake one, so response times (and points) are exact; questions close when everyone answered or when a test ticks.
/// </summary>
public sealed class LiveRoundTests(AppFixture app) : IntegrationTest(app)
{
    private LiveEngine Engine => App.Service<LiveEngine>();

    private async Task<(HttpClient Organizer, long RoundId, string Pin, LiveHost Host)> OpenRoundAsync(CreateLiveRoundRequest? request = null, int questions = 2, int options = 4)
    {
        await App.SeedLiveQuestionsAsync(questions, options);
        var organizer = await App.CreateOrganizerClientAsync();
        var roundId = await organizer.CreateLiveRoundAsync(request ?? new CreateLiveRoundRequest("Tọa đàm Nghị quyết 66", [.. Enumerable.Range(1, questions).Select(i => $"live-{i:00}")], null));
        var opened = await organizer.OpenLiveRoundAsync(roundId);
        var host = new LiveHost(App.BaseAddress, App.CookieHeader(organizer));
        var state = await host.WatchAsync(roundId);
        Assert.Equal(LivePhases.Lobby, state.Phase);
        Assert.Equal(opened.Pin, state.Pin);
        return (organizer, roundId, opened.Pin, host);
    }

    [Fact]
    public async Task Players_join_by_PIN_the_host_sees_the_lobby_and_points_follow_the_server_measured_time()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync();
        await using var _h = host;
        await using var an = new LivePlayer(App.BaseAddress);
        await using var binh = new LivePlayer(App.BaseAddress);
        Assert.Matches("^[0-9]{6}$", pin);

        var joined = await an.JoinAsync(pin, "  An  ");
        Assert.True(joined.Ok, joined.Message);
        Assert.Equal("An", joined.Nickname);
        Assert.Equal(LivePhases.Lobby, joined.State!.Phase);
        Assert.Equal(LiveErrors.NicknameTaken, (await binh.JoinAsync(pin, "an")).Error);
        Assert.Equal(LiveErrors.NoSuchRound, (await binh.JoinAsync("000000", "Bình")).Error);
        Assert.True((await binh.JoinAsync(pin, "Bình")).Ok);

        await Engine.TickAsync();
        var lobby = await host.Lobbies.NextAsync();
        Assert.Equal(2, lobby.PlayerCount);
        Assert.Equal(["Bình", "An"], lobby.Recent.Select(p => p.Nickname));

        // Question 1: An right after 5 s, Bình wrong after 10 s; everyone answered, so it closes at once.
        Assert.True((await host.CommandAsync(LiveHostMethods.Start, roundId)).Ok);
        var q1 = await an.Questions.NextAsync();
        await binh.Questions.NextAsync();
        Assert.Equal(1, q1.Number);
        Assert.Equal(20_000, q1.TimeLimitMs);
        var key1 = await App.CorrectOptionAsync(roundId, 1);
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        var ack = await an.AnswerAsync(1, key1);
        Assert.True(ack.Accepted, ack.Message);
        Assert.Equal(5000, ack.ElapsedMs);
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(10_000, (await binh.AnswerAsync(1, LiveDriver.Wrong(key1))).ElapsedMs);

        var anOutcome = await an.Outcomes.NextAsync();
        var binhOutcome = await binh.Outcomes.NextAsync();
        Assert.Equal((true, 875, 875L, 1, 1), (anOutcome.Correct, anOutcome.PointsGained, anOutcome.Points, anOutcome.Streak, anOutcome.Rank));
        Assert.Equal((false, 0, 0L, 0, 2), (binhOutcome.Correct, binhOutcome.PointsGained, binhOutcome.Points, binhOutcome.Streak, binhOutcome.Rank));
        Assert.Equal(key1, anOutcome.CorrectOption);
        var board = await binh.Boards.NextAsync();
        Assert.Equal(["An", "Bình"], board.Top.Select(e => e.Nickname));
        var result = await host.Results.NextAsync();
        Assert.Equal([1, 1], result.Distribution.Where(d => d.Count > 0).Select(d => d.Count));
        Assert.True(result.Distribution.Single(d => d.Correct).Option == key1);

        // Question 2: An right at once (1000 + streak bonus 100), Bình right at 10 s of 20 (750, no streak yet).
        Assert.True((await host.CommandAsync(LiveHostMethods.Next, roundId)).Ok);
        await an.Questions.NextAsync();
        var key2 = await App.CorrectOptionAsync(roundId, 2);
        Assert.True((await an.AnswerAsync(2, key2)).Accepted);
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await binh.AnswerAsync(2, key2)).Accepted);
        var an2 = await an.Outcomes.NextAsync();
        Assert.Equal((1000, 100, 1975L, 2), (an2.PointsGained, an2.StreakBonus, an2.Points, an2.Streak));
        Assert.Equal(750L, (await binh.Outcomes.NextAsync()).Points);

        // After the last question, "next" ends the round: final ranks, podium, accuracy, results in PostgreSQL.
        Assert.True((await host.CommandAsync(LiveHostMethods.Next, roundId)).Ok);
        var final = await an.Finals.NextAsync();
        Assert.Equal((1, 2, 1975L, 2, 1.0), (final.Rank, final.PlayerCount, final.Points, final.CorrectCount, final.Accuracy));
        Assert.Equal(0.5, (await binh.Finals.NextAsync()).Accuracy);
        var podium = await an.Podiums.NextAsync();
        Assert.Equal(["An", "Bình"], podium.Players.Select(p => p.Nickname));
        await using var c = App.OpenConnection();
        var stored = (await c.QueryAsync<(string, long, int, int)>("SELECT nickname, points, final_rank, correct_count FROM live_players WHERE round_id = @roundId ORDER BY final_rank", new { roundId })).ToList();
        Assert.Equal([("An", 1975L, 1, 2), ("Bình", 750L, 2, 1)], stored);
        var answers = (await c.QueryAsync<(int, int, int, int)>("SELECT a.number, a.elapsed_ms, a.points, a.streak_bonus FROM live_answers a JOIN live_players p ON p.id = a.player_id WHERE p.nickname = 'An' ORDER BY number")).ToList();
        Assert.Equal([(1, 5000, 875, 0), (2, 0, 1000, 100)], answers);
        Assert.Equal(LivePhases.Ended, await c.QuerySingleAsync<string>("SELECT phase FROM live_rounds WHERE id = @roundId", new { roundId }));
        // The PIN is free again once the round ended.
        await using var late = new LivePlayer(App.BaseAddress);
        Assert.Equal(LiveErrors.NoSuchRound, (await late.JoinAsync(pin, "Muộn")).Error);
    }

    [Fact]
    public async Task An_answer_after_the_deadline_and_grace_is_refused_one_within_the_grace_counts_and_a_second_answer_is_refused()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync(questions: 1);
        await using var _h = host;
        await using var early = new LivePlayer(App.BaseAddress);
        await using var graced = new LivePlayer(App.BaseAddress);
        await using var late = new LivePlayer(App.BaseAddress);
        foreach (var (p, name) in new[] { (early, "Sớm"), (graced, "Vừa kịp"), (late, "Trễ") })
        {
            Assert.True((await p.JoinAsync(pin, name)).Ok);
        }
        await host.CommandAsync(LiveHostMethods.Start, roundId);
        var key = await App.CorrectOptionAsync(roundId, 1);
        Assert.True((await early.AnswerAsync(1, key)).Accepted);
        var again = await early.AnswerAsync(1, LiveDriver.Wrong(key));
        Assert.Equal(LiveErrors.AlreadyAnswered, again.Error);
        Assert.Equal(LiveErrors.OptionUnknown, (await graced.AnswerAsync(1, 9)).Error);

        // 20 s limit + 500 ms grace: at 20.3 s the answer counts as if given at the limit (half the points).
        App.Clock.Advance(TimeSpan.FromMilliseconds(20_300));
        var inGrace = await graced.AnswerAsync(1, key);
        Assert.True(inGrace.Accepted, inGrace.Message);
        Assert.Equal(20_000, inGrace.ElapsedMs);
        App.Clock.Advance(TimeSpan.FromMilliseconds(201));
        Assert.Equal(LiveErrors.TooLate, (await late.AnswerAsync(1, key)).Error);

        await Engine.TickAsync();
        Assert.Equal(500, (await graced.Outcomes.NextAsync()).PointsGained);
        var lateOutcome = await late.Outcomes.NextAsync();
        Assert.Null(lateOutcome.Chosen);
        Assert.Equal(0, lateOutcome.PointsGained);
        Assert.Equal(LiveErrors.QuestionNotOpen, (await late.AnswerAsync(1, key)).Error);
        await using var c = App.OpenConnection();
        Assert.Equal(2, await c.QuerySingleAsync<int>("SELECT count(*)::int FROM live_answers WHERE round_id = @roundId", new { roundId }));
    }

    [Fact]
    public async Task A_mark_in_Redis_with_nothing_stored_does_not_refuse_the_answer_and_of_two_answers_one_is_stored()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync(questions: 1);
        await using var _h = host;
        await using var an = new LivePlayer(App.BaseAddress);
        await using var binh = new LivePlayer(App.BaseAddress);
        Assert.True((await an.JoinAsync(pin, "An")).Ok);
        Assert.True((await binh.JoinAsync(pin, "Bình")).Ok);
        await host.CommandAsync(LiveHostMethods.Start, roundId);
        var key = await App.CorrectOptionAsync(roundId, 1);
        // What a node killed between its Redis check and its commit leaves behind: An's mark, no row.
        var state = App.Service<LiveState>();
        Assert.True(await state.Db.HashSetAsync(state.Answers(roundId, 1), an.Joined!.PlayerId, LiveDriver.Wrong(key), When.NotExists));

        App.Clock.Advance(TimeSpan.FromSeconds(4));
        var ack = await an.AnswerAsync(1, key);
        Assert.True(ack.Accepted, ack.Message);
        Assert.Equal(4000, ack.ElapsedMs);
        Assert.Equal(LiveErrors.AlreadyAnswered, (await an.AnswerAsync(1, LiveDriver.Wrong(key))).Error);
        Assert.Equal(key, (int)await state.Db.HashGetAsync(state.Answers(roundId, 1), an.Joined.PlayerId));

        // Two answers of one player and question reaching the group commit together (a second one goes there when Redis
        // had a mark): one is written and acknowledged, the other is told an answer is stored.
        var writer = App.Service<AnswerWriter>();
        var now = App.Clock.GetUtcNow();
        LiveAnswerRow BinhChose(int option) => new(roundId, 1, binh.Joined!.PlayerId, option, now, 4000, option == key, option == key ? 900 : 0);
        var writes = await Task.WhenAll(writer.WriteAsync(BinhChose(key)), writer.WriteAsync(BinhChose(LiveDriver.Wrong(key))));
        Assert.Equal(1, writes.Count(w => w == LiveWrite.Stored));
        Assert.Equal(1, writes.Count(w => w == LiveWrite.AlreadyStored));
        var binhStored = writes[0] == LiveWrite.Stored ? key : LiveDriver.Wrong(key);

        App.Clock.Advance(TimeSpan.FromSeconds(17));
        await Engine.TickAsync();
        var outcome = await an.Outcomes.NextAsync();
        Assert.Equal((key, true, 900), (outcome.Chosen, outcome.Correct, outcome.PointsGained));
        await using var c = App.OpenConnection();
        Assert.Equal([(key, 4000)], await c.QueryAsync<(int, int)>(
            "SELECT option, elapsed_ms FROM live_answers WHERE round_id = @roundId AND player_id = @id", new { roundId, id = an.Joined.PlayerId }));
        Assert.Equal([binhStored], await c.QueryAsync<int>(
            "SELECT option FROM live_answers WHERE round_id = @roundId AND player_id = @id", new { roundId, id = binh.Joined!.PlayerId }));
    }

    [Fact]
    public async Task A_locked_room_takes_no_new_player_and_a_removed_player_is_told_and_cannot_come_back()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync(questions: 1);
        await using var _h = host;
        await using var stays = new LivePlayer(App.BaseAddress);
        await using var removed = new LivePlayer(App.BaseAddress);
        await using var latecomer = new LivePlayer(App.BaseAddress);
        Assert.True((await stays.JoinAsync(pin, "Ở lại")).Ok);
        var joined = await removed.JoinAsync(pin, "Bị mời ra");
        Assert.True(joined.Ok);

        Assert.True((await host.Connection.InvokeAsync<HostCommandResult>(LiveHostMethods.SetLocked, roundId, true)).State!.Locked);
        Assert.Equal(LiveErrors.RoomLocked, (await latecomer.JoinAsync(pin, "Đến muộn")).Error);

        var removal = await host.Connection.InvokeAsync<HostCommandResult>(LiveHostMethods.RemovePlayer, roundId, joined.PlayerId);
        Assert.True(removal.Ok, removal.Message);
        Assert.Equal(1, removal.State!.PlayerCount);
        Assert.Equal(roundId, (await removed.Removals.NextAsync()).RoundId);
        await using var back = new LivePlayer(App.BaseAddress);
        Assert.Equal(LiveErrors.Removed, (await back.RejoinAsync(joined.RejoinToken!)).Error);

        // The locked room still starts with whoever is in it; a removed connection cannot answer.
        await host.CommandAsync(LiveHostMethods.Start, roundId);
        await stays.Questions.NextAsync();
        Assert.Equal(LiveErrors.Removed, (await removed.AnswerAsync(1, 0)).Error);
    }

    [Fact]
    public async Task No_frame_a_player_receives_before_the_close_carries_the_key_and_each_player_has_an_own_option_order()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync(questions: 1, options: 6);
        await using var _h = host;
        var players = new List<RawPlayer>();
        try
        {
            // Four join and three answer: the fourth keeps the question open (it closes early once everyone has answered),
            // so every frame snapshotted below was sent while it was open.
            for (var i = 0; i < 4; i++)
            {
                var p = await RawPlayer.ConnectAsync(App.BaseAddress);
                players.Add(p);
                await p.InvokeAsync(LivePlayerMethods.Join, new JoinRequest(pin, $"Người {i + 1}"));
                await p.WaitForAsync("\"rejoinToken\"");
            }
            await host.CommandAsync(LiveHostMethods.Start, roundId);
            foreach (var p in players)
            {
                await p.WaitForAsync("\"QuestionOpened\"");
            }
            foreach (var p in players.Take(3))
            {
                await p.InvokeAsync(LivePlayerMethods.Answer, new AnswerRequest(1, 0));
                await p.WaitForAsync("\"elapsedMs\"");
            }
            var before = players.Select(p => p.Snapshot()).ToList();
            App.Clock.Advance(TimeSpan.FromMinutes(5));
            await Engine.TickAsync();
            await players[0].WaitForAsync("\"QuestionClosed\"");

            foreach (var frames in before)
            {
                foreach (var frame in frames)
                {
                    Assert.DoesNotContain("\"correct\"", frame, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("correctOption", frame, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("distribution", frame, StringComparison.OrdinalIgnoreCase);
                }
            }
            // Each order is the one the server derives for that player; three players of six options do not all match.
            var seed = await SeedAsync(roundId);
            var orders = new List<int[]>();
            foreach (var (frames, i) in before.Select((f, i) => (f, i)))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(frames.First(f => f.Contains("\"QuestionOpened\"", StringComparison.Ordinal)));
                var ids = doc.RootElement.GetProperty("arguments")[0].GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetInt32()).ToArray();
                var playerId = await PlayerIdAsync(roundId, $"Người {i + 1}");
                Assert.Equal(LiveEngine.OrderFor(seed, playerId, 1, 6), ids);
                orders.Add(ids);
            }
            Assert.False(orders.All(o => o.SequenceEqual(orders[0])));
            Assert.Contains("\"correctOption\"", await players[0].WaitForAsync("\"QuestionClosed\""), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var p in players)
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_player_who_reconnects_keeps_the_same_identity_score_and_streak()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync(new CreateLiveRoundRequest("Sinh hoạt chuyên đề", ["live-01", "live-02"], null, TimeLimitSeconds: 10));
        await using var _h = host;
        var first = new LivePlayer(App.BaseAddress);
        var joined = await first.JoinAsync(pin, "Cường");
        await host.CommandAsync(LiveHostMethods.Start, roundId);
        await first.Questions.NextAsync();
        Assert.True((await first.AnswerAsync(1, await App.CorrectOptionAsync(roundId, 1))).Accepted);
        Assert.Equal(1000L, (await first.Outcomes.NextAsync()).Points);

        // The phone drops; a new connection rejoins with the token and resyncs mid-question.
        await first.DisposeAsync();
        await host.CommandAsync(LiveHostMethods.Next, roundId);
        App.Clock.Advance(TimeSpan.FromSeconds(4));
        await using var second = new LivePlayer(App.BaseAddress, reconnect: true);
        var rejoined = await second.RejoinAsync(joined.RejoinToken!);
        Assert.True(rejoined.Ok, rejoined.Message);
        Assert.Equal(joined.PlayerId, rejoined.PlayerId);
        var state = rejoined.State!;
        Assert.Equal((LivePhases.Question, 1000L, 1, 2), (state.Phase, state.Points, state.Streak, state.Question!.Number));
        Assert.Equal(6000, state.RemainingMs);
        var resync = await second.Connection.InvokeAsync<PlayerState>(LivePlayerMethods.Resync);
        Assert.Null(resync.AnsweredOption);

        Assert.True((await second.AnswerAsync(2, await App.CorrectOptionAsync(roundId, 2))).Accepted);
        var outcome = await second.Outcomes.NextAsync();
        Assert.Equal((800, 100, 1900L, 2), (outcome.PointsGained, outcome.StreakBonus, outcome.Points, outcome.Streak));
    }

    [Fact]
    public async Task A_skipped_question_scores_nothing_keeps_every_streak_and_rewrites_no_player_row()
    {
        var (_, roundId, pin, host) = await OpenRoundAsync(questions: 3);
        await using var _h = host;
        await using var an = new LivePlayer(App.BaseAddress);
        await using var binh = new LivePlayer(App.BaseAddress);
        Assert.True((await an.JoinAsync(pin, "An")).Ok);
        Assert.True((await binh.JoinAsync(pin, "Bình")).Ok);
        await using var c = App.OpenConnection();
        // xmin is the transaction that wrote a row's current version: it moves whenever an UPDATE matches the row.
        async Task<List<(string Nickname, string Version)>> RowVersionsAsync() => [.. await c.QueryAsync<(string, string)>(
            "SELECT nickname, xmin::text FROM live_players WHERE round_id = @roundId ORDER BY nickname", new { roundId })];

        // Question 1: An right at once (1000), Bình wrong.
        Assert.True((await host.CommandAsync(LiveHostMethods.Start, roundId)).Ok);
        var key1 = await App.CorrectOptionAsync(roundId, 1);
        Assert.True((await an.AnswerAsync(1, key1)).Accepted);
        Assert.True((await binh.AnswerAsync(1, LiveDriver.Wrong(key1))).Accepted);
        Assert.Equal(1000L, (await an.Outcomes.NextAsync()).Points);
        await binh.Outcomes.NextAsync();
        var afterFirst = await RowVersionsAsync();

        // Question 2: An answers right, then the host skips the question: no points, no streak change, no row rewritten.
        Assert.True((await host.CommandAsync(LiveHostMethods.Next, roundId)).Ok);
        await an.Questions.NextAsync();
        Assert.True((await an.AnswerAsync(2, await App.CorrectOptionAsync(roundId, 2))).Accepted);
        Assert.True((await host.CommandAsync(LiveHostMethods.Skip, roundId)).Ok);
        var skipped = await an.Outcomes.NextAsync();
        Assert.Equal((2, true, 0, 1000L, 1), (skipped.Question, skipped.Voided, skipped.PointsGained, skipped.Points, skipped.Streak));
        Assert.True((await binh.Outcomes.NextAsync()).Voided);
        Assert.Equal(afterFirst, await RowVersionsAsync());

        // Question 3: An's streak of 2 goes on through the skipped question (1000 + bonus 100); Bình's starts at 1.
        Assert.True((await host.CommandAsync(LiveHostMethods.Next, roundId)).Ok);
        var key3 = await App.CorrectOptionAsync(roundId, 3);
        Assert.True((await an.AnswerAsync(3, key3)).Accepted);
        Assert.True((await binh.AnswerAsync(3, key3)).Accepted);
        var an3 = await an.Outcomes.NextAsync();
        Assert.Equal((1000, 100, 2100L, 2), (an3.PointsGained, an3.StreakBonus, an3.Points, an3.Streak));
        var binh3 = await binh.Outcomes.NextAsync();
        Assert.Equal((0, 1000L, 1), (binh3.StreakBonus, binh3.Points, binh3.Streak));

        // PostgreSQL holds the same: the skipped answer is worth nothing and the skipped question is not scored.
        Assert.Equal([("An", 2100L, 2, 2, 2), ("Bình", 1000L, 1, 1, 2)], (await c.QueryAsync<(string, long, int, int, int)>(
            "SELECT nickname, points, streak, correct_count, scored_count FROM live_players WHERE round_id = @roundId ORDER BY nickname", new { roundId })).ToList());
        Assert.Equal([(1, 1000, 0), (2, 0, 0), (3, 1000, 100)], (await c.QueryAsync<(int, int, int)>("""
            SELECT a.number, a.points, a.streak_bonus FROM live_answers a JOIN live_players p ON p.id = a.player_id
            WHERE a.round_id = @roundId AND p.nickname = 'An' ORDER BY a.number
            """, new { roundId })).ToList());
    }

    [Fact]
    public async Task In_unit_mode_a_unit_scores_the_average_of_its_players_points()
    {
        await App.LoadUnitsAsync();
        var hoanKiem = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var tuPhap = await App.UnitIdAsync("Sở Tư pháp");
        var (_, roundId, pin, host) = await OpenRoundAsync(new CreateLiveRoundRequest("Hội thi các đơn vị", ["live-01"], null, UnitMode: true), questions: 1);
        await using var _h = host;
        await using var a = new LivePlayer(App.BaseAddress);
        await using var b = new LivePlayer(App.BaseAddress);
        await using var c = new LivePlayer(App.BaseAddress);
        Assert.Equal(LiveErrors.UnitRequired, (await a.JoinAsync(pin, "Không đơn vị")).Error);
        Assert.True((await a.JoinAsync(pin, "Hà", hoanKiem)).Ok);
        Assert.True((await b.JoinAsync(pin, "Hải", hoanKiem)).Ok);
        Assert.True((await c.JoinAsync(pin, "Tâm", tuPhap)).Ok);
        await host.CommandAsync(LiveHostMethods.Start, roundId);
        var key = await App.CorrectOptionAsync(roundId, 1);
        Assert.True((await a.AnswerAsync(1, key)).Accepted);                    // 1000
        Assert.True((await b.AnswerAsync(1, LiveDriver.Wrong(key))).Accepted); // 0
        App.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True((await c.AnswerAsync(1, key)).Accepted);                    // 900

        var board = await a.Boards.NextAsync();
        Assert.Equal([("Sở Tư pháp", 900L, 1, 1), ("Phường Hoàn Kiếm", 500L, 2, 2)], board.Units.Select(u => (u.UnitName, u.Points, u.PlayerCount, u.Rank)));
        Assert.Equal(["Hà", "Tâm", "Hải"], board.Top.Select(p => p.Nickname));

        await host.CommandAsync(LiveHostMethods.End, roundId);
        Assert.Equal(1, (await c.Finals.NextAsync()).UnitRank);
        Assert.Equal("Sở Tư pháp", (await a.Podiums.NextAsync()).Units[0].UnitName);
        await using var db = App.OpenConnection();
        Assert.Equal([(tuPhap, 900L, 1), (hoanKiem, 500L, 2)],
            (await db.QueryAsync<(int, long, int)>("SELECT unit_id, points, final_rank FROM live_unit_results WHERE round_id = @roundId ORDER BY final_rank", new { roundId })).ToList());
    }

    [Fact]
    public async Task The_host_hub_answers_401_without_sign_in_and_403_to_a_foreign_origin_and_players_must_join_first()
    {
        using var anonymous = App.CreateClient();
        using var negotiate = await anonymous.PostAsync($"{LiveRoutes.HostHub}/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, $"{LiveRoutes.PlayerHub}/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(foreign)).StatusCode);
        using var own = new HttpRequestMessage(HttpMethod.Post, $"{LiveRoutes.PlayerHub}/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", App.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(own)).StatusCode);

        await using var stranger = new LivePlayer(App.BaseAddress);
        await stranger.Connection.StartAsync();
        var refused = await Assert.ThrowsAsync<HubException>(() => stranger.AnswerAsync(1, 0));
        Assert.Contains(LiveErrors.NotJoined, refused.Message, StringComparison.Ordinal);

        // A flood of calls from one connection is cut off by the per-connection limit.
        var floods = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            try
            {
                await stranger.Connection.InvokeAsync<JoinResult>(LivePlayerMethods.Join, new JoinRequest("000000", "x"));
                return "";
            }
            catch (HubException e)
            {
                return e.Message;
            }
        }));
        Assert.Contains(floods, m => m.Contains(LiveErrors.RateLimited, StringComparison.Ordinal));
    }

    private async Task<long> SeedAsync(long roundId)
    {
        await using var c = App.OpenConnection();
        return await c.QuerySingleAsync<long>("SELECT shuffle_seed FROM live_rounds WHERE id = @roundId", new { roundId });
    }

    private async Task<long> PlayerIdAsync(long roundId, string nickname)
    {
        await using var c = App.OpenConnection();
        return await c.QuerySingleAsync<long>("SELECT id FROM live_players WHERE round_id = @roundId AND nickname = @nickname", new { roundId, nickname });
    }
}
