using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Contests;

/// <summary>A question put straight into the bank (the importer is another feature): option 0 is the correct one.</summary>
public sealed record TestQuestion(string Id, int[]? Viewpoints = null, int[]? Tasks = null, string[]? Topics = null,
    string Difficulty = "medium", int Options = 4, string Kind = "single", int[]? Correct = null);

/// <summary>Builders shared by the contest tests: units from content/, questions by plain SQL, participants over HTTP.</summary>
public static class TestData
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NQ66Quiz.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("NQ66Quiz.sln not found above " + AppContext.BaseDirectory);
    }

    public static string ContentRoot => Path.Combine(RepositoryRoot(), "content");

    /// <summary>Runs the real units loader on content/units/hanoi-units.csv.</summary>
    public static async Task LoadUnitsAsync(this AppFixture app)
    {
        var loader = app.Factory.Services.GetServices<IContentLoader>().Single(l => l.Name == "units");
        using var log = new StringWriter();
        Assert.True(await loader.LoadAsync(ContentRoot, log, CancellationToken.None), log.ToString());
    }

    public static async Task<int> UnitIdAsync(this AppFixture app, string name)
    {
        await using var connection = app.OpenConnection();
        return await connection.QuerySingleAsync<int>("SELECT id FROM units WHERE name = @name", new { name });
    }

    /// <summary>Inserts questions with a current version each, as the importer would. Option texts are "Đáp án {id} {i}".</summary>
    public static async Task SeedQuestionsAsync(this AppFixture app, IEnumerable<TestQuestion> questions)
    {
        await using var connection = app.OpenConnection();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var q in questions)
        {
            var correct = q.Correct ?? [0];
            var options = JsonSerializer.Serialize(Enumerable.Range(0, q.Options).Select(i => new
            {
                id = i,
                md = $"Đáp án {q.Id} {i}",
                html = $"Đáp án {q.Id} {i}",
                correct = correct.Contains(i),
            }));
            await connection.ExecuteAsync("INSERT INTO questions (id, current_version) VALUES (@Id, 1)", new { q.Id }, tx);
            await connection.ExecuteAsync("""
                INSERT INTO question_versions (question_id, version, content_hash, kind, difficulty, viewpoints, tasks, topics,
                    stem_md, stem_html, options, explanation_md, explanation_html, source, markdown)
                VALUES (@Id, 1, @Id, @Kind, @Difficulty, @Viewpoints::smallint[], @Tasks::smallint[], @Topics, @Stem, @Stem,
                    @Options::jsonb, @Explanation, @Explanation, 'test', @Stem)
                """, new
            {
                q.Id,
                q.Kind,
                q.Difficulty,
                Viewpoints = (q.Viewpoints ?? []).ToArray(),
                Tasks = (q.Tasks ?? []).ToArray(),
                Topics = q.Topics ?? (q.Viewpoints is null && q.Tasks is null ? ["chung"] : []),
                Stem = $"Câu hỏi {q.Id}?",
                Options = options,
                Explanation = $"Giải thích {q.Id}.",
            }, tx);
        }
        await tx.CommitAsync();
    }

    public static RegisterRequest Registration(string phone, int unitId, string name = "Nguyễn Văn An", string dateOfBirth = "1990-04-15",
        string? nationalId = null, string type = "citizen", bool publish = true) =>
        new(name, dateOfBirth, phone, nationalId, unitId, type, "mat-khau-an-toan", true, publish);

    /// <summary>Registers through the API; the returned client carries the participant's cookie.</summary>
    public static async Task<(HttpClient Client, ParticipantProfile Profile)> RegisterAsync(this AppFixture app, RegisterRequest request)
    {
        var client = app.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/participants/register", request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (client, (await response.Content.ReadFromJsonAsync<ParticipantProfile>())!);
    }

    /// <summary>The fake clock plus <paramref name="fromNow"/>, as an organizer types it in Vietnam time (to the second).</summary>
    public static string At(this AppFixture app, TimeSpan fromNow) =>
        VietnamTime.ToLocal(app.Clock.GetUtcNow() + fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fake clock's now, truncated to the second as round times are.</summary>
    public static DateTimeOffset Second(this AppFixture app, TimeSpan fromNow)
    {
        var t = app.Clock.GetUtcNow() + fromNow;
        return new DateTimeOffset(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    public static ContestRequest Contest(int organizingUnitId, string name = "Tìm hiểu Nghị quyết 66-NQ/TW", string predictionKind = PredictionKinds.PerfectScores,
        bool onePrizePerPerson = false, string? answersShown = null) =>
        new(name, "## Cách thi\n\nMỗi tuần thi có **10 câu hỏi**.", organizingUnitId, predictionKind, OnePrizePerPerson: onePrizePerPerson,
            AnswersShown: answersShown);

    /// <summary>A round opening now (or after <paramref name="opensIn"/>) for 7 days, with <paramref name="questions"/> questions of any kind.</summary>
    public static RoundRequest Round(this AppFixture app, int questions = 4, TimeSpan? opensIn = null, TimeSpan? length = null, int minutes = 10,
        int attempts = 3, List<PrizeTier>? prizes = null)
    {
        var opens = opensIn ?? TimeSpan.Zero;
        return new(app.At(opens), app.At(opens + (length ?? TimeSpan.FromDays(7))), minutes, attempts, [new BlueprintLine(questions)], prizes);
    }

    public static async Task<ContestView> CreateContestAsync(this HttpClient organizer, ContestRequest request)
    {
        using var response = await organizer.PostAsJsonAsync("/api/organizer/contests", request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ContestView>())!;
    }

    public static async Task<RoundView> CreateRoundAsync(this HttpClient organizer, long contestId, RoundRequest request)
    {
        using var response = await organizer.PostAsJsonAsync($"/api/organizer/contests/{contestId}/rounds", request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RoundView>())!;
    }

    /// <summary>Units, <paramref name="questions"/> questions of any kind, a contest and one round open now.</summary>
    public static async Task<(HttpClient Organizer, ContestView Contest, RoundView Round)> OpenRoundAsync(this AppFixture app, int questions = 8,
        RoundRequest? round = null, ContestRequest? contest = null, string? answersShown = null)
    {
        await app.LoadUnitsAsync();
        await app.SeedQuestionsAsync(Enumerable.Range(1, questions).Select(i => new TestQuestion($"q{i:000}", Viewpoints: [1 + i % 5])));
        var organizer = await app.CreateOrganizerClientAsync();
        var created = await organizer.CreateContestAsync(contest ?? Contest(await app.UnitIdAsync("Sở Tư pháp"), answersShown: answersShown));
        var opened = await organizer.CreateRoundAsync(created.Id, round ?? app.Round());
        return (organizer, created, opened);
    }
}
