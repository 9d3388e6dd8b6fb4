using System.Net;
using System.Net.Http.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.AntiCheat;
using NQ66Quiz.Web.Features.Attempts;

namespace NQ66Quiz.IntegrationTests.AntiCheat;

/// <summary>
/// Each anti-cheat pattern planted through the real participant API in one round — an attempt submitted faster than its
/// questions can be read, three accounts on one browser, ten accounts from one network within minutes, two people with
/// the same answers and the same mistakes — next to honest attempts: each pattern is flagged with its reason, the honest
/// ones are not, and organizers read the flags on the round's page before publishing.
/// </summary>
public sealed class CheatFlagsTests(AppFixture app) : ContestTest(app)
{
    private int _phone;

    private async Task<(HttpClient Client, long ParticipantId)> RegisterAsync(string name, int unit, HttpClient? client = null)
    {
        client ??= App.CreateClient();
        var phone = "0912" + (++_phone).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        using var response = await client.PostAsJsonAsync("/api/participants/register", TestData.Registration(phone, unit, name));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (client, (await response.Content.ReadFromJsonAsync<NQ66Quiz.Web.Features.Participants.ParticipantProfile>())!.Id);
    }

    /// <summary>Answers each question with the option whose text <paramref name="pick"/> names for that question.</summary>
    private static async Task AnswerAsync(HttpClient client, AttemptPaper paper, Func<string, string> pick)
    {
        foreach (var q in paper.Questions)
        {
            var id = System.Text.RegularExpressions.Regex.Match(q.StemHtml, "q[0-9]{3}").Value;
            var option = q.Options.Single(o => o.Html.Contains(pick(id), StringComparison.Ordinal));
            using var response = await client.AnswerAsync(paper.Id, q.Position, option.Index);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static readonly string[] Network = ["Cùng Mạng An", "Cùng Mạng Bảo", "Cùng Mạng Cường", "Cùng Mạng Dung", "Cùng Mạng Đức",
        "Cùng Mạng Giao", "Cùng Mạng Hằng", "Cùng Mạng Khánh", "Cùng Mạng Lan", "Cùng Mạng Minh"];

    /// <summary>Right ("Đáp án q001 0") except the questions named, answered with their first wrong option ("Đáp án q001 1").</summary>
    private static Func<string, string> Wrong(params string[] ids) => id => $"Đáp án {id} {(ids.Contains(id) ? 1 : 0)}";

    [Fact]
    public async Task Each_planted_pattern_is_flagged_with_its_reason_and_honest_attempts_are_not()
    {
        // Every paper holds the same 8 questions (in its own order), as a weekly round with a fixed paper does.
        var (organizer, _, round) = await App.OpenRoundAsync(questions: 8, round: App.Round(questions: 8, attempts: 1));
        using var _o = organizer;
        var unit = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var papers = new List<(string Who, HttpClient Client, long Participant, AttemptPaper Paper)>();
        async Task StartAsync(string who, HttpClient? client = null, Func<string, string>? answers = null)
        {
            var (c, id) = await RegisterAsync(who, unit, client);
            var paper = await c.StartAsync(round.Id);
            if (answers is not null)
            {
                await AnswerAsync(c, paper, answers);
            }
            if (client is not null)
            {
                // A shared browser is signed in as one account at a time: this one hands in before the next signs in.
                App.Clock.Advance(TimeSpan.FromMinutes(1));
                using var submitted = await c.SubmitAsync(paper.Id);
                Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
            }
            papers.Add((who, c, id, paper));
        }

        await StartAsync("Trung Thực An", answers: Wrong());
        await StartAsync("Trung Thực Bình", answers: Wrong("q001"));
        await StartAsync("Trung Thực Chi", answers: Wrong("q001", "q002", "q003"));
        // Two people handing in the same paper, mistakes included.
        await StartAsync("Chép Bài Dũng", answers: Wrong("q002", "q005"));
        await StartAsync("Chép Bài Giang", answers: Wrong("q002", "q005"));
        // Three accounts, one after the other, in one browser (its device cookie stays).
        var shared = App.CreateClient();
        await StartAsync("Chung Máy Hà", shared, Wrong("q004"));
        await StartAsync("Chung Máy Hải", shared, Wrong("q006"));
        await StartAsync("Chung Máy Hoa", shared, Wrong("q007"));
        // Ten accounts from one network within minutes (each its own browser).
        foreach (var who in Network)
        {
            await StartAsync(who);
        }

        // Attempt start recorded the network prefix and a hash of the device cookie, nothing more.
        await using var db = App.OpenConnection();
        var origins = (await db.QueryAsync<(long AttemptId, string Network, string Device)>(
            "SELECT attempt_id, host(network) || '/' || masklen(network), device FROM attempt_origins")).ToDictionary(o => o.AttemptId);
        Assert.Equal(papers.Count, origins.Count);
        Assert.All(origins.Values, o => Assert.Equal("127.0.0.0/24", o.Network));
        var cookie = System.Text.RegularExpressions.Regex.Match(App.CookieHeader(shared), $"{AttemptOrigins.DeviceCookie}=([0-9a-f]{{32}})").Groups[1].Value;
        Assert.Equal(AttemptOrigins.Hash(cookie), origins[papers.Single(p => p.Who == "Chung Máy Hà").Paper.Id].Device);
        Assert.Equal(3, origins.Values.Count(o => o.Device == AttemptOrigins.Hash(cookie)));
        Assert.Equal(papers.Count - 2, origins.Values.Select(o => o.Device).Distinct().Count());
        // This test server sees every client from loopback; give each a network of its own (as the real ones have), and
        // the ten one network.
        foreach (var (p, i) in papers.Select((p, i) => (p, i)))
        {
            var network = p.Who.StartsWith("Cùng Mạng", StringComparison.Ordinal) ? "203.0.113.0/24" : $"10.0.{i}.0/24";
            await db.ExecuteAsync("UPDATE attempt_origins SET network = @network::cidr WHERE attempt_id = @Id", new { network, p.Paper.Id });
        }

        // Everyone so far takes five minutes; then one more answers all eight and submits at once.
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        foreach (var p in papers.Where(p => p.Client != shared))
        {
            using var submitted = await p.Client.SubmitAsync(p.Paper.Id);
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        }
        var (fast, fastId) = await RegisterAsync("Nhanh Tay Khoa", unit);
        var fastPaper = await fast.StartAsync(round.Id);
        await AnswerAsync(fast, fastPaper, Wrong("q008"));
        App.Clock.Advance(TimeSpan.FromSeconds(4));
        using (var submitted = await fast.SubmitAsync(fastPaper.Id)) { Assert.True(submitted.IsSuccessStatusCode); }
        papers.Add(("Nhanh Tay Khoa", fast, fastId, fastPaper));

        App.Clock.Advance(TimeSpan.FromDays(8));
        // A week later the organizer signs in again (an organizer session lasts at most 12 hours).
        using var reviewer = await App.CreateOrganizerClientAsync();
        organizer = reviewer;
        using (var close = await organizer.PostAsync($"/api/organizer/rounds/{round.Id}/close", null)) { Assert.True(close.IsSuccessStatusCode); }
        var flags = (await organizer.GetFromJsonAsync<RoundFlags>($"/api/organizer/rounds/{round.Id}/flags"))!;

        string[] Kinds(string who) => [.. flags.Flags.Where(f => f.FullName == who).Select(f => f.Kind).Order(StringComparer.Ordinal)];
        Assert.Empty(Kinds("Trung Thực An"));
        Assert.Empty(Kinds("Trung Thực Bình"));
        Assert.Empty(Kinds("Trung Thực Chi"));
        Assert.Equal([CheatRules.IdenticalAnswers], Kinds("Chép Bài Dũng"));
        Assert.Equal([CheatRules.IdenticalAnswers], Kinds("Chép Bài Giang"));
        Assert.Contains("Chép Bài Giang", flags.Flags.Single(f => f.FullName == "Chép Bài Dũng").Reason, StringComparison.Ordinal);
        Assert.Contains("kể cả 2 câu sai", flags.Flags.Single(f => f.FullName == "Chép Bài Dũng").Reason, StringComparison.Ordinal);
        foreach (var who in new[] { "Chung Máy Hà", "Chung Máy Hải", "Chung Máy Hoa" })
        {
            Assert.Equal([CheatRules.SharedDevice], Kinds(who));
        }
        Assert.Contains("3 tài khoản", flags.Flags.First(f => f.Kind == CheatRules.SharedDevice).Reason, StringComparison.Ordinal);
        foreach (var who in Network)
        {
            Assert.Equal([CheatRules.SharedNetwork], Kinds(who));
        }
        Assert.Contains("203.0.113.0/24", flags.Flags.First(f => f.Kind == CheatRules.SharedNetwork).Reason, StringComparison.Ordinal);
        Assert.Equal([CheatRules.TooFast], Kinds("Nhanh Tay Khoa"));
        // 8 questions of ~70 characters need ~14 s at 40 characters a second; 4 s is not reading.
        Assert.Contains("sau 4 giây", flags.Flags.Single(f => f.FullName == "Nhanh Tay Khoa").Reason, StringComparison.Ordinal);
        Assert.Equal(2 + 3 + 10 + 1, flags.FlaggedAttempts);
        Assert.Equal(flags.FlaggedAttempts, flags.FlaggedParticipants);

        // The round's page shows them before publishing: the count in the confirmation and the list with reasons.
        var page = await organizer.GetStringAsync($"/to-chuc/cuoc-thi/tuan/{round.Id}");
        Assert.Contains("16 lượt thi cần xem lại (16 người)", page, StringComparison.Ordinal);
        Assert.Contains("Cần xem lại trước khi công bố (16 lượt thi, 16 người)", page, StringComparison.Ordinal);
        Assert.Contains("Nhanh Tay Khoa</strong> (Phường Hoàn Kiếm, lượt 1) — Trả lời nhanh hơn tốc độ đọc", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Trung Thực An</strong>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reading_threshold_follows_the_length_of_the_questions()
    {
        // 800 characters at 40 a second: 20 s to read.
        Assert.True(CheatRules.IsTooFast(800, answered: 10, questions: 10, durationMs: 19_000));
        Assert.False(CheatRules.IsTooFast(800, answered: 10, questions: 10, durationMs: 21_000));
        Assert.True(CheatRules.IsTooFast(4_000, answered: 10, questions: 10, durationMs: 60_000));
        // An attempt left mostly blank is not judged for speed (nothing was answered too fast).
        Assert.False(CheatRules.IsTooFast(800, answered: 4, questions: 10, durationMs: 1_000));
        Assert.Equal("10.1.2.0/24", AttemptOrigins.NetworkOf(IPAddress.Parse("10.1.2.3")));
        Assert.Equal("10.1.2.0/24", AttemptOrigins.NetworkOf(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.Equal("2001:db8:1234::/48", AttemptOrigins.NetworkOf(IPAddress.Parse("2001:db8:1234:5678::1")));
    }
}
