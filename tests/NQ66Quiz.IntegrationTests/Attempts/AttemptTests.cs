using System.Net;
using System.Net.Http.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.IntegrationTests.Attempts;

public sealed class AttemptTests(AppFixture app) : ContestTest(app)
{
    private async Task<(HttpClient Client, ParticipantProfile Profile)> ParticipantAsync(string phone = "0912345678", string name = "Nguyễn Văn An") =>
        await App.RegisterAsync(TestData.Registration(phone, await App.UnitIdAsync("Phường Hoàn Kiếm"), name: name));

    [Fact]
    public async Task Each_attempt_draws_its_blueprint_without_repeats_and_papers_differ_between_people()
    {
        await App.LoadUnitsAsync();
        await App.ImportQuestionsAsync([
            .. Enumerable.Range(1, 10).Select(i => TestData.Question($"qd1-{i:00}", Viewpoints: [1], Difficulty: i <= 4 ? "hard" : "easy")),
            .. Enumerable.Range(1, 10).Select(i => TestData.Question($"qd2-{i:00}", Viewpoints: [2])),
            .. Enumerable.Range(1, 10).Select(i => TestData.Question($"nv3-{i:00}", Tasks: [3], Difficulty: i <= 3 ? "hard" : "medium")),
        ]);
        using var organizer = await App.CreateOrganizerClientAsync();
        var contest = await organizer.CreateContestAsync(TestData.Contest(await App.UnitIdAsync("Sở Tư pháp")));
        var round = await organizer.CreateRoundAsync(contest.Id, App.Round() with
        {
            Blueprint = [new BlueprintLine(3, Viewpoint: 1), new BlueprintLine(2, Viewpoint: 2), new BlueprintLine(2, Task: 3, Difficulty: "hard"), new BlueprintLine(1, Difficulty: "hard")],
        });

        var papers = new List<AttemptPaper>();
        for (var i = 0; i < 8; i++)
        {
            var (client, _) = await ParticipantAsync($"09123456{i:00}", "Nguyễn Văn An");
            papers.Add(await client.StartAsync(round.Id));
            client.Dispose();
        }

        await using var connection = App.OpenConnection();
        foreach (var paper in papers)
        {
            var tags = (await connection.QueryAsync<(string QuestionId, short Viewpoint, short Task, string Difficulty)>("""
                SELECT v.question_id, coalesce(v.viewpoints[1], 0), coalesce(v.tasks[1], 0), v.difficulty
                FROM attempt_questions aq JOIN question_versions v ON v.id = aq.question_version_id
                WHERE aq.attempt_id = @Id
                """, new { paper.Id })).ToList();
            Assert.Equal(8, tags.Count);
            Assert.Equal(8, tags.Select(t => t.QuestionId).Distinct().Count());
            Assert.Equal(2, tags.Count(t => t.Viewpoint == 2));
            Assert.True(tags.Count(t => t.Task == 3 && t.Difficulty == "hard") >= 2);
            Assert.True(tags.Count(t => t.Viewpoint == 1) >= 3);
            Assert.True(tags.Count(t => t.Difficulty == "hard") >= 3);
            Assert.Equal(8, paper.Questions.Count);
        }
        var distinctPapers = papers.Select(p => string.Join(",", p.Questions.Select(q => q.StemHtml))).Distinct().Count();
        Assert.True(distinctPapers >= 6, $"8 people got only {distinctPapers} different papers");
    }

    [Fact]
    public async Task Option_order_is_shuffled_per_attempt_and_the_paper_never_carries_the_key()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var orders = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            var (client, _) = await ParticipantAsync($"09876543{i:00}");
            using var response = await client.PostAsync($"/api/rounds/{round.Id}/attempts", null);
            var raw = await response.Content.ReadAsStringAsync();
            var paper = (await response.Content.ReadFromJsonAsync<AttemptPaper>())!;
            using var reread = await client.GetAsync($"/api/attempts/{paper.Id}");
            var rereadRaw = await reread.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            // The start answers with the paper it made; reading the attempt back gives the very same one.
            Assert.Equal(rereadRaw, raw);
            foreach (var text in new[] { raw, rereadRaw })
            {
                Assert.DoesNotContain("correct", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Giải thích", text, StringComparison.Ordinal);
            }
            var q1 = paper.Questions.Single(q => q.StemHtml == "<p>Câu hỏi q001?</p>");
            orders.Add(string.Join("|", q1.Options.Select(o => o.Html)));
            client.Dispose();
        }
        Assert.True(orders.Count > 1, "six attempts all showed q001's options in the same order");
        organizer.Dispose();
    }

    [Fact]
    public async Task The_next_start_draws_from_the_bank_as_it_is_after_a_retirement_a_new_question_an_edit_and_a_restore()
    {
        // A paper of 4 from a bank of 4: each paper shows exactly the drawable bank, and the node keeps the bank
        // between starts, so each step below fails if its kind of write leaves the node's copy as it was.
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4));
        var store = App.Service<BankStore>();
        var phone = 0;
        async Task<string[]> NextPaperAsync()
        {
            var (client, _) = await ParticipantAsync($"09111111{phone++:00}");
            using (client)
            {
                return [.. (await client.StartAsync(round.Id)).Questions.Select(q => q.StemHtml).Order(StringComparer.Ordinal)];
            }
        }

        Assert.Equal(["<p>Câu hỏi q001?</p>", "<p>Câu hỏi q002?</p>", "<p>Câu hỏi q003?</p>", "<p>Câu hỏi q004?</p>"], await NextPaperAsync());

        Assert.True(await store.RetireAsync("q002"));
        await App.ImportQuestionsAsync(TestData.Question("q005", Viewpoints: [1]));
        Assert.Equal(["<p>Câu hỏi q001?</p>", "<p>Câu hỏi q003?</p>", "<p>Câu hỏi q004?</p>", "<p>Câu hỏi q005?</p>"], await NextPaperAsync());

        await App.ImportQuestionsAsync(TestData.Question("q003", Viewpoints: [4]) with { Stem = "Câu hỏi q003, đã sửa?" });
        Assert.Equal(["<p>Câu hỏi q001?</p>", "<p>Câu hỏi q003, đã sửa?</p>", "<p>Câu hỏi q004?</p>", "<p>Câu hỏi q005?</p>"], await NextPaperAsync());

        Assert.True(await store.RestoreAsync("q002"));
        Assert.True(await store.RetireAsync("q005"));
        Assert.Equal(["<p>Câu hỏi q001?</p>", "<p>Câu hỏi q002?</p>", "<p>Câu hỏi q003, đã sửa?</p>", "<p>Câu hỏi q004?</p>"], await NextPaperAsync());
        organizer.Dispose();
    }

    [Fact]
    public async Task A_reload_resumes_the_same_attempt_with_its_remaining_time_and_saved_answers()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var (client, _) = await ParticipantAsync();
        var first = await client.StartAsync(round.Id);
        using (var saved = await client.AnswerAsync(first.Id, 2, 1)) { Assert.Equal(HttpStatusCode.OK, saved.StatusCode); }

        App.Clock.Advance(TimeSpan.FromMinutes(3));
        using var again = await client.PostAsync($"/api/rounds/{round.Id}/attempts", null);
        var resumed = (await again.Content.ReadFromJsonAsync<AttemptPaper>())!;

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Id, resumed.Id);
        Assert.Equal(600, first.RemainingSeconds);
        Assert.Equal(420, resumed.RemainingSeconds);
        Assert.Equal([1], resumed.Questions.Single(q => q.Position == 2).Chosen);
        await using var connection = App.OpenConnection();
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM attempts"));
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Bad_answers_get_clear_messages_and_store_nothing()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var (client, _) = await ParticipantAsync();
        var (other, _) = await ParticipantAsync("0987654321", "Trần Thị Bình");
        var paper = await client.StartAsync(round.Id);

        using var outOfRange = await client.AnswerAsync(paper.Id, 1, 7);
        using var twoForSingle = await client.AnswerAsync(paper.Id, 1, 0, 1);
        using var noSuchQuestion = await client.AnswerAsync(paper.Id, 31, 0);
        using var notMine = await other.AnswerAsync(paper.Id, 1, 0);
        using var badPrediction = await client.PutAsJsonAsync($"/api/attempts/{paper.Id}/prediction", new PredictionRequest(-5));
        using var notMineSubmit = await other.SubmitAsync(paper.Id);
        using var notMineRead = await other.GetAsync($"/api/attempts/{paper.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Equal("Câu 1 chỉ có các phương án A, B, C, D; lựa chọn gửi lên không có trong câu hỏi.", await outOfRange.TitleAsync());
        Assert.Equal("Câu 1 chỉ chọn một phương án.", await twoForSingle.TitleAsync());
        Assert.Equal(HttpStatusCode.NotFound, noSuchQuestion.StatusCode);
        Assert.Equal("Lượt thi này không có câu số 31 (chỉ có câu 1 đến 4).", await noSuchQuestion.TitleAsync());
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        Assert.Equal("Không tìm thấy lượt thi này trong tài khoản của bạn.", await notMine.TitleAsync());
        Assert.Equal("Số dự đoán phải là số nguyên từ 0 đến 10.000.000.", await badPrediction.TitleAsync());
        Assert.Equal(HttpStatusCode.NotFound, notMineSubmit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notMineRead.StatusCode);
        await using var connection = App.OpenConnection();
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM attempt_questions WHERE chosen IS NOT NULL"));
        Assert.Equal(("in_progress", (int?)null), await connection.QuerySingleAsync<(string, int?)>("SELECT status, prediction FROM attempts"));
        client.Dispose();
        other.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Answers_within_the_grace_count_and_later_ones_are_refused()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(minutes: 1));
        var (client, _) = await ParticipantAsync();
        var paper = await client.StartAsync(round.Id);

        App.Clock.Advance(TimeSpan.FromSeconds(65));
        using var inGrace = await client.AnswerAsync(paper.Id, 1, 0);
        App.Clock.Advance(TimeSpan.FromSeconds(6));
        using var late = await client.AnswerAsync(paper.Id, 2, 0);

        Assert.Equal(HttpStatusCode.OK, inGrace.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.StartsWith("Đã hết giờ làm bài lúc", await late.TitleAsync(), StringComparison.Ordinal);
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task A_submission_within_the_grace_is_accepted_and_timed_at_the_limit()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(minutes: 1));
        var (client, _) = await ParticipantAsync();
        var paper = await client.StartAsync(round.Id);
        await App.AnswerAsync(client, paper, right: 4);

        App.Clock.Advance(TimeSpan.FromSeconds(69));
        using var response = await client.SubmitAsync(paper.Id, prediction: 12);
        var result = (await response.Content.ReadFromJsonAsync<AttemptResult>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((AttemptStatus.Submitted, 4, 60_000, 12), (result.Status, result.Score, result.DurationMs, result.Prediction!.Value));
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task A_submission_after_the_grace_is_refused_and_the_attempt_closes_with_what_was_saved()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(minutes: 1));
        var (client, _) = await ParticipantAsync();
        var paper = await client.StartAsync(round.Id);
        var key = await App.KeyAsync(paper.Id);
        (await client.AnswerAsync(paper.Id, 1, key[1].Right)).Dispose();
        (await client.AnswerAsync(paper.Id, 2, key[2].Right)).Dispose();

        App.Clock.Advance(TimeSpan.FromSeconds(71));
        using var response = await client.PostAsJsonAsync($"/api/attempts/{paper.Id}/submit",
            new SubmitRequest(5, [new AnswerRequest(3, [key[3].Right]), new AnswerRequest(4, [key[4].Right])]));
        var result = await client.GetFromJsonAsync<AttemptResult>($"/api/attempts/{paper.Id}/result");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("Đã quá hạn nộp bài", await response.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal((AttemptStatus.Expired, 2, 60_000, (int?)null), (result!.Status, result.Score, result.DurationMs, result.Prediction));
        Assert.Equal(paper.DeadlineAt, result.SubmittedAt);
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task An_unsubmitted_attempt_is_closed_at_its_deadline_by_the_job_with_its_saved_answers()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(minutes: 2));
        var (client, profile) = await ParticipantAsync();
        var paper = await client.StartAsync(round.Id);
        var key = await App.KeyAsync(paper.Id);
        (await client.AnswerAsync(paper.Id, 1, key[1].Right)).Dispose();
        (await client.AnswerAsync(paper.Id, 2, key[2].Wrong)).Dispose();
        (await client.PutAsJsonAsync($"/api/attempts/{paper.Id}/prediction", new PredictionRequest(40))).Dispose();

        App.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(11));
        await App.Service<AttemptExpiry>().CloseDueAsync();

        await using var connection = App.OpenConnection();
        var row = await connection.QuerySingleAsync<(string Status, int Score, int Duration, int Prediction, DateTime SubmittedAt)>(
            "SELECT status, score, duration_ms, prediction, submitted_at FROM attempts");
        Assert.Equal((AttemptStatus.Expired, 1, 120_000, 40), (row.Status, row.Score, row.Duration, row.Prediction));
        Assert.Equal(paper.DeadlineAt.UtcDateTime, row.SubmittedAt);
        Assert.Equal([true, false, false, false], await connection.QueryAsync<bool>("SELECT is_correct FROM attempt_questions ORDER BY position"));
        Assert.Equal(paper.Id, await connection.QuerySingleAsync<long>("SELECT best_attempt_id FROM round_entries WHERE participant_id = @Id", profile));
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task The_attempt_limit_holds_under_concurrent_starts()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(attempts: 2));
        var (client, _) = await ParticipantAsync();

        async Task<List<HttpResponseMessage>> Burst() => [.. await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.PostAsync($"/api/rounds/{round.Id}/attempts", null)))];

        var first = await Burst();
        var firstIds = await Task.WhenAll(first.Where(r => r.IsSuccessStatusCode).Select(async r => (await r.Content.ReadFromJsonAsync<AttemptPaper>())!.Id));
        (await client.SubmitAsync(firstIds[0])).Dispose();
        var second = await Burst();
        var secondIds = await Task.WhenAll(second.Where(r => r.IsSuccessStatusCode).Select(async r => (await r.Content.ReadFromJsonAsync<AttemptPaper>())!.Id));
        (await client.SubmitAsync(secondIds[0])).Dispose();
        var third = await Burst();

        Assert.All(first, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Single(firstIds.Distinct());
        Assert.Equal(1, first.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Single(secondIds.Distinct());
        Assert.NotEqual(firstIds[0], secondIds[0]);
        Assert.All(third, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal("Bạn đã dùng hết 2 lượt thi của tuần thi 1. Lượt thi có kết quả tốt nhất được tính.", await third[0].TitleAsync());
        await using var connection = App.OpenConnection();
        Assert.Equal([1, 2], await connection.QueryAsync<int>("SELECT number FROM attempts ORDER BY number"));
        Assert.Equal(2, await connection.QuerySingleAsync<int>("SELECT attempts_used FROM round_entries"));
        foreach (var r in first.Concat(second).Concat(third))
        {
            r.Dispose();
        }
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task The_database_itself_refuses_an_attempt_beyond_the_limit()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(attempts: 1));
        var (client, profile) = await ParticipantAsync();
        await client.StartAsync(round.Id);
        await using var connection = App.OpenConnection();

        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("""
            INSERT INTO attempts (round_id, participant_id, number, status, started_at, deadline_at, submitted_at, duration_ms, score, question_count)
            VALUES (@roundId, @participantId, 2, 'submitted', now(), now() + interval '1 minute', now(), 1, 0, 4)
            """, new { roundId = round.Id, participantId = profile.Id }));

        Assert.Equal("attempts_within_limit", e.ConstraintName);
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Concurrent_and_repeated_submissions_are_scored_once()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var (client, _) = await ParticipantAsync();
        var paper = await client.StartAsync(round.Id);
        await App.AnswerAsync(client, paper, right: 3);
        App.Clock.Advance(TimeSpan.FromSeconds(90));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SubmitAsync(paper.Id, prediction: 7)));
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        using var again = await client.SubmitAsync(paper.Id, prediction: 99);

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.StartsWith("Lượt thi này đã được nộp lúc", await again.TitleAsync(), StringComparison.Ordinal);
        Assert.Contains($"/cuoc-thi/luot-thi/{paper.Id}/ket-qua", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var connection = App.OpenConnection();
        var row = await connection.QuerySingleAsync<(int Score, int Duration, int Prediction)>("SELECT score, duration_ms, prediction FROM attempts");
        Assert.Equal((3, 90_000, 7), row);
        foreach (var r in responses)
        {
            r.Dispose();
        }
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task The_result_shows_score_time_and_each_question_with_its_key_and_explanation_only_after_submission()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(answersShown: AnswerReveal.AfterEachAttempt);
        var (client, _) = await ParticipantAsync();
        var paper = await client.StartAsync(round.Id);
        await App.AnswerAsync(client, paper, right: 2);

        using var early = await client.GetAsync($"/api/attempts/{paper.Id}/result");
        App.Clock.Advance(TimeSpan.FromSeconds(45.5));
        (await client.SubmitAsync(paper.Id, 3)).Dispose();
        var result = (await client.GetFromJsonAsync<AttemptResult>($"/api/attempts/{paper.Id}/result"))!;

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal((2, 4, 45_500, true), (result.Score, result.QuestionCount, result.DurationMs, result.IsBest));
        Assert.Equal([true, true, false, false], result.Questions.Select(q => q.IsCorrect));
        Assert.All(result.Questions, q => Assert.Single(q.Options, o => o.Correct));
        Assert.All(result.Questions, q => Assert.StartsWith("<p>Giải thích", q.ExplanationHtml, StringComparison.Ordinal));
        Assert.All(result.Questions.Take(2), q => Assert.True(q.Options.Single(o => o.Chosen).Correct));
        // Every seeded question is tagged to one viewpoint: "Đọc thêm" leads to that viewpoint's study page.
        Assert.All(result.Questions, q => Assert.Matches("^/hoc/quan-diem-[1-5]$", q.StudyPath));
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Name_and_unit_are_frozen_after_the_first_attempt()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var (client, profile) = await ParticipantAsync();
        await client.StartAsync(round.Id);

        using var response = await client.PutAsJsonAsync("/api/me", new UpdateProfileRequest("Nguyễn Văn Anh", profile.UnitId, null));
        var me = await client.GetFromJsonAsync<ParticipantProfile>("/api/me");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("Bạn đã dự thi nên không thể đổi họ tên hoặc đơn vị", await response.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal(("Nguyễn Văn An", true), (me!.FullName, me.IdentityLocked));
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task A_round_not_yet_open_or_already_closed_refuses_to_start()
    {
        var (organizer, _, round) = await App.OpenRoundAsync(round: App.Round(opensIn: TimeSpan.FromHours(2), length: TimeSpan.FromHours(1)));
        var (client, _) = await ParticipantAsync();

        using var early = await client.PostAsync($"/api/rounds/{round.Id}/attempts", null);
        App.Clock.Advance(TimeSpan.FromHours(3));
        using var late = await client.PostAsync($"/api/rounds/{round.Id}/attempts", null);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.StartsWith("Tuần thi 1 chưa mở; mời bạn quay lại lúc", await early.TitleAsync(), StringComparison.Ordinal);
        Assert.StartsWith("Tuần thi 1 đã đóng lúc", await late.TitleAsync(), StringComparison.Ordinal);
        client.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Who_may_enter_is_enforced()
    {
        await App.LoadUnitsAsync();
        var (organizer, _, round) = await App.OpenRoundAsync(contest: TestData.Contest(await App.UnitIdAsync("Sở Tư pháp")) with
        {
            EligibleTypes = [ParticipantTypes.Student],
            NationalIdRequired = true,
        });
        var (citizen, _) = await ParticipantAsync();
        var (student, _) = await App.RegisterAsync(TestData.Registration("0987654321", await App.UnitIdAsync("Phường Hoàn Kiếm"), type: "student"));

        using var wrongType = await citizen.PostAsync($"/api/rounds/{round.Id}/attempts", null);
        using var noId = await student.PostAsync($"/api/rounds/{round.Id}/attempts", null);

        Assert.Equal("Cuộc thi này dành cho: Học sinh, sinh viên. Tài khoản của bạn thuộc đối tượng \"Nhân dân\".", await wrongType.TitleAsync());
        Assert.StartsWith("Cuộc thi này yêu cầu số CCCD", await noId.TitleAsync(), StringComparison.Ordinal);
        citizen.Dispose();
        student.Dispose();
        organizer.Dispose();
    }

    [Fact]
    public async Task Anonymous_visitors_cannot_start_attempts()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        using var anonymous = App.CreateClient();

        using var response = await anonymous.PostAsync($"/api/rounds/{round.Id}/attempts", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        organizer.Dispose();
    }
}
