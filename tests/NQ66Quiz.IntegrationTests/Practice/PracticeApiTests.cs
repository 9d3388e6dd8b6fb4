using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Practice;

namespace NQ66Quiz.IntegrationTests.Practice;

public sealed class PracticeApiTests(AppFixture app) : IntegrationTest(app)
{
    private static TestQuestion Viewpoint(string id, short viewpoint) => new(id) { Viewpoints = [viewpoint] };

    private static async Task<(PracticeSet Set, string Json)> DrawAsync(HttpClient client, string scope)
    {
        using var response = await client.PostAsJsonAsync("/api/practice/sets", new { scope });
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return (JsonSerializer.Deserialize<PracticeSet>(json, JsonSerializerOptions.Web)!, json);
    }

    private static async Task<(HttpResponseMessage Response, string Json)> AnswerAsync(HttpClient client, string? ticket, string questionId, params int[] optionIds)
    {
        var response = await client.PostAsJsonAsync("/api/practice/answers", new { ticket, questionId, optionIds });
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every property name and string value of a JSON document, unescaped (the API escapes non-ASCII).</summary>
    private static string Text(string json)
    {
        var parts = new List<string>();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        parts.Add(p.Name);
                        Walk(p.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }
                    break;
                case JsonValueKind.String:
                    parts.Add(e.GetString()!);
                    break;
            }
        }
        Walk(JsonSerializer.Deserialize<JsonElement>(json));
        return string.Join('\n', parts);
    }

    private static PracticeFeedback Feedback((HttpResponseMessage Response, string Json) answer)
    {
        Assert.True(answer.Response.IsSuccessStatusCode, $"{(int)answer.Response.StatusCode}: {answer.Json}");
        return JsonSerializer.Deserialize<PracticeFeedback>(answer.Json, JsonSerializerOptions.Web)!;
    }

    [Fact]
    public async Task A_set_draws_10_current_live_questions_of_the_scope_with_shuffled_options_and_no_key()
    {
        await App.ImportQuestionsAsync([.. Enumerable.Range(1, 12).Select(i => Viewpoint($"qd2-{i:000}", 2))]);
        await App.ImportQuestionsAsync(Viewpoint("qd2-retired", 2) with { Retired = true }, Viewpoint("qd3-001", 3), new TestQuestion("nv2-001") { Tasks = [2] });
        await App.ImportQuestionsAsync(Viewpoint("qd2-001", 2) with { Stem = "Phiên bản mới của qd2-001?" });
        using var client = App.CreateClient();

        var (set, json) = await DrawAsync(client, "quan-diem-2");

        Assert.Equal(10, set.Questions.Count);
        Assert.Equal(10, set.Questions.Select(q => q.Id).Distinct().Count());
        Assert.All(set.Questions, q => Assert.Matches(@"^qd2-\d{3}$", q.Id));
        Assert.Equal(Enumerable.Range(1, 10), set.Questions.Select(q => q.Number));
        Assert.Equal("Quan điểm 2", set.Label);
        Assert.StartsWith("Quan điểm 2:", set.Title, StringComparison.Ordinal);
        if (set.Questions.FirstOrDefault(q => q.Id == "qd2-001") is { } updated)
        {
            Assert.Contains("Phiên bản mới", updated.StemHtml, StringComparison.Ordinal);
        }
        // The key must not reach the browser before the question is answered: no flag, no Markdown copy of the options.
        var text = Text(json);
        Assert.DoesNotContain("correct", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\nmd\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Giải thích", text, StringComparison.Ordinal);

        // Over a few draws the key is not always first: its position gives nothing away.
        var keyPositions = new HashSet<int>();
        for (var i = 0; i < 5; i++)
        {
            foreach (var q in (await DrawAsync(client, "quan-diem-2")).Set.Questions)
            {
                keyPositions.Add(q.Options.ToList().FindIndex(o => o.Id == 0));
            }
        }
        Assert.True(keyPositions.Count > 1, "the correct option (id 0) always sat in the same place");
    }

    [Fact]
    public async Task Tasks_and_topics_draw_their_own_questions()
    {
        await App.ImportQuestionsAsync(
            new TestQuestion("nv5-001") { Tasks = [5], Viewpoints = [1] },
            new TestQuestion("mt-001") { Topics = ["muc-tieu"] },
            new TestQuestion("kh-001") { Topics = ["ke-hoach-ha-noi"] });
        using var client = App.CreateClient();

        Assert.Equal(["nv5-001"], (await DrawAsync(client, "nhiem-vu-5")).Set.Questions.Select(q => q.Id));
        Assert.Equal(["nv5-001"], (await DrawAsync(client, "quan-diem-1")).Set.Questions.Select(q => q.Id));
        Assert.Equal(["mt-001"], (await DrawAsync(client, "muc-tieu")).Set.Questions.Select(q => q.Id));
    }

    [Fact]
    public async Task Answering_reveals_that_question_s_key_explanation_and_study_page_and_nothing_of_the_others()
    {
        await App.ImportQuestionsAsync(
            new TestQuestion("qd2-001") { Viewpoints = [2], Tasks = [3], Explanation = "Vì quan điểm 2 nói vậy." },
            Viewpoint("qd2-002", 2));
        using var client = App.CreateClient();
        var (set, _) = await DrawAsync(client, "quan-diem-2");

        var (response, json) = await AnswerAsync(client, set.Ticket, "qd2-001", 1);
        var feedback = Feedback((response, json));

        Assert.False(feedback.Correct);
        Assert.Equal([0], feedback.CorrectOptionIds);
        Assert.Equal("<p>Vì quan điểm 2 nói vậy. Đáp án: <strong>Đáp án đúng của qd2-001</strong>.</p>", feedback.ExplanationHtml);
        Assert.Equal("/hoc/quan-diem-2", feedback.ReadMoreUrl);
        Assert.StartsWith("Quan điểm 2:", feedback.ReadMoreTitle, StringComparison.Ordinal);
        Assert.Equal(["quan-diem-2", "nhiem-vu-3"], feedback.Tags);
        Assert.False(feedback.Recorded);
        Assert.DoesNotContain("qd2-002", Text(json), StringComparison.Ordinal);

        var right = Feedback(await AnswerAsync(client, set.Ticket, "qd2-002", 0));
        Assert.True(right.Correct);
        Assert.Equal("<p>Giải thích của qd2-002. Đáp án: <strong>Đáp án đúng của qd2-002</strong>.</p>", right.ExplanationHtml);
    }

    [Fact]
    public async Task A_multiple_choice_answer_is_right_only_with_every_correct_option()
    {
        await App.ImportQuestionsAsync(new TestQuestion("mt-009")
        {
            Topics = ["muc-tieu"],
            Kind = "multiple",
            Options = [("Dân chủ, công bằng", true), ("Đồng bộ, thống nhất", true), ("Chỉ ưu tiên quản lý", false)],
        });
        using var client = App.CreateClient();
        var ticket = (await DrawAsync(client, "muc-tieu")).Set.Ticket;

        Assert.False(Feedback(await AnswerAsync(client, ticket, "mt-009", 0)).Correct);
        Assert.False(Feedback(await AnswerAsync(client, ticket, "mt-009", 0, 1, 2)).Correct);
        var right = Feedback(await AnswerAsync(client, ticket, "mt-009", 1, 0));
        Assert.True(right.Correct);
        Assert.Equal([0, 1], right.CorrectOptionIds);
        Assert.Equal("/hoc/muc-tieu", right.ReadMoreUrl);
    }

    [Fact]
    public async Task Bad_answers_are_refused_in_Vietnamese_and_reveal_nothing()
    {
        await App.ImportQuestionsAsync(Viewpoint("qd1-001", 1), Viewpoint("qd1-002", 1), Viewpoint("qd4-001", 4));
        using var client = App.CreateClient();
        var ticket = (await DrawAsync(client, "quan-diem-1")).Set.Ticket;
        var forged = ticket[..^4] + (ticket.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        (string? Ticket, string Question, int[] Options, string Message)[] cases =
        [
            (null, "qd1-001", [0], "Bộ câu hỏi này không còn hợp lệ"),
            (forged, "qd1-001", [0], "Bộ câu hỏi này không còn hợp lệ"),
            (ticket, "qd4-001", [0], "Câu hỏi \"qd4-001\" không thuộc bộ câu hỏi đang luyện tập"),
            (ticket, "qd1-001", [], "Hãy chọn một phương án trước khi trả lời"),
            (ticket, "qd1-001", [9], "Phương án đã chọn không thuộc câu hỏi này"),
            (ticket, "qd1-001", [0, 1], "Câu hỏi này chỉ có một phương án đúng"),
        ];
        foreach (var (t, question, options, message) in cases)
        {
            var (response, json) = await AnswerAsync(client, t, question, options);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, JsonSerializer.Deserialize<JsonElement>(json).GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("correct", Text(json), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Giải thích", Text(json), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_answer_to_a_question_wiped_from_the_bank_since_the_draw_asks_for_a_new_set()
    {
        await App.ImportQuestionsAsync(Viewpoint("qd1-001", 1));
        using var client = App.CreateClient();
        var ticket = (await DrawAsync(client, "quan-diem-1")).Set.Ticket;
        await using (var db = App.OpenConnection())
        {
            await db.ExecuteAsync("TRUNCATE questions, question_versions CASCADE");
        }

        var (response, json) = await AnswerAsync(client, ticket, "qd1-001", 0);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Câu hỏi này không còn trong ngân hàng câu hỏi", Text(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_scope_is_refused_and_an_empty_one_says_there_are_no_questions_yet()
    {
        using var client = App.CreateClient();

        using var unknown = await client.PostAsJsonAsync("/api/practice/sets", new { scope = "quan-diem-6" });
        using var empty = await client.PostAsJsonAsync("/api/practice/sets", new { scope = "nhiem-vu-7" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Không có phần luyện tập \"quan-diem-6\"", Text(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        Assert.Contains("Chưa có câu hỏi luyện tập cho phần Nhiệm vụ 7", Text(await empty.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_s_answers_are_never_stored_on_the_server()
    {
        await App.ImportQuestionsAsync(Viewpoint("qd5-001", 5));
        using var client = App.CreateClient();
        var ticket = (await DrawAsync(client, "quan-diem-5")).Set.Ticket;

        Assert.False(Feedback(await AnswerAsync(client, ticket, "qd5-001", 0)).Recorded);

        await using var db = App.OpenConnection();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM practice_answers"));
    }

    [Fact]
    public async Task A_participant_s_first_answer_per_question_is_kept_and_feeds_weak_points_weakest_first()
    {
        await App.ImportQuestionsAsync(
            new TestQuestion("qd1-001") { Viewpoints = [1], Tasks = [3] },
            Viewpoint("qd1-002", 1),
            Viewpoint("qd2-001", 2));
        await App.LoadUnitsAsync();
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912000001", unit));
        var (other, _) = await App.RegisterAsync(TestData.Registration("0912000002", unit, name: "Trần Thị Bình"));
        using var disposeParticipant = participant;
        using var disposeOther = other;

        var vp1 = (await DrawAsync(participant, "quan-diem-1")).Set.Ticket;
        Assert.True(Feedback(await AnswerAsync(participant, vp1, "qd1-001", 1)).Recorded);   // wrong
        Assert.False(Feedback(await AnswerAsync(participant, vp1, "qd1-001", 0)).Recorded);  // a retry changes nothing
        Assert.True(Feedback(await AnswerAsync(participant, vp1, "qd1-002", 0)).Recorded);   // right
        var vp2 = (await DrawAsync(participant, "quan-diem-2")).Set.Ticket;
        Assert.True(Feedback(await AnswerAsync(participant, vp2, "qd2-001", 0)).Recorded);   // right
        var otherTicket = (await DrawAsync(other, "quan-diem-2")).Set.Ticket;
        Feedback(await AnswerAsync(other, otherTicket, "qd2-001", 1));

        var weak = (await participant.GetFromJsonAsync<WeakPoint[]>("/api/practice/weak-points", JsonSerializerOptions.Web))!;

        Assert.Equal(
            [("nhiem-vu-3", 1L, 0L), ("quan-diem-1", 2L, 1L), ("quan-diem-2", 1L, 1L)],
            weak.Select(w => (w.Scope, w.Answered, w.Correct)));
        Assert.Equal("Nhiệm vụ 3", weak[0].Label);

        var page = WebUtility.HtmlDecode(await participant.GetStringAsync("/luyen-tap"));
        Assert.Contains("Điểm yếu của tôi", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("Nhiệm vụ 3</a>", StringComparison.Ordinal) < page.IndexOf("Quan điểm 1</a>", StringComparison.Ordinal));
        Assert.Contains("Quan điểm 1: đúng 1/2 câu", Regex.Replace(page, @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weak_points_need_a_signed_in_participant()
    {
        using var visitor = App.CreateClient();
        using var organizer = await App.CreateOrganizerClientAsync();

        using var anonymous = await visitor.GetAsync("/api/practice/weak-points");
        using var notParticipant = await organizer.GetAsync("/api/practice/weak-points");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notParticipant.StatusCode);
    }

    [Fact]
    public async Task The_practice_page_offers_every_scope_with_its_question_count()
    {
        await App.ImportQuestionsAsync(Viewpoint("qd3-001", 3), Viewpoint("qd3-002", 3), Viewpoint("qd3-003", 3) with { Retired = true });
        using var client = App.CreateClient();

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/luyen-tap"));
        using var unknown = await client.GetAsync("/luyen-tap?phan=quan-diem-9");

        Assert.Contains("<a href=\"/luyen-tap?phan=quan-diem-3\"><strong>Quan điểm 3</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<small>2 câu hỏi</small>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/luyen-tap?phan=quan-diem-4\"", page, StringComparison.Ordinal);
        Assert.Contains("Kết quả luyện tập trên thiết bị này", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Điểm yếu của tôi", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Không có phần luyện tập “quan-diem-9”", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
