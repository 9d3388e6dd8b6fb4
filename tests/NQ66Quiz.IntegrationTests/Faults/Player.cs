using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NQ66Quiz.IntegrationTests.Contests;

namespace NQ66Quiz.IntegrationTests.Faults;

/// <summary>
/// A participant as a phone would drive one: registers, starts an attempt, answers (sometimes changes an answer),
/// submits, and retries whatever it was not told an outcome for, as the attempt page does. Every call goes in the history.
/// </summary>
public sealed class Player(string name, Uri app, History history, int seed) : IDisposable
{
    private readonly Random _random = new(seed);

    public string Name { get; } = name;
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = app,
        Timeout = TimeSpan.FromSeconds(8),
    };
    public long? ParticipantId { get; private set; }
    public long? AttemptId { get; private set; }
    public bool Submitted { get; private set; }

    /// <summary>Pause between a player's calls, so a run spans the fault instead of finishing before it.</summary>
    public TimeSpan Think { get; init; } = TimeSpan.FromMilliseconds(250);

    public async Task RegisterAsync(string phone, int unitId)
    {
        using var response = await Http.PostAsJsonAsync("/api/participants/register", TestData.Registration(phone, unitId, name: Name));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        ParticipantId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Start, answer every question (a third of them twice), submit; gives up only at <paramref name="giveUp"/>.</summary>
    public async Task PlayAsync(long roundId, DateTimeOffset giveUp, TimeSpan? waitBeforeSubmit = null)
    {
        var start = await RetryAsync(giveUp, () => history.DoAsync(Name, "start", null, null, null, () => Http.PostAsync($"/api/rounds/{roundId}/attempts", null)));
        if (start?.Body is not { } paper)
        {
            return;
        }
        AttemptId = paper.GetProperty("id").GetInt64();
        var questions = paper.GetProperty("questions").EnumerateArray()
            .Select(q => (Position: q.GetProperty("position").GetInt32(), Options: q.GetProperty("options").GetArrayLength())).ToList();
        var plan = questions.Select(q => (q.Position, Choice: _random.Next(q.Options), q.Options)).ToList();
        plan.AddRange(plan.Where(_ => _random.Next(3) == 0).Select(p => (p.Position, Choice: (p.Choice + 1) % p.Options, p.Options)).ToList());
        foreach (var (position, choice, _) in plan)
        {
            await Task.Delay(Think);
            int[] choices = [choice];
            var answered = await RetryAsync(giveUp, () => history.DoAsync(Name, "answer", AttemptId, position, choices,
                () => Http.PutAsJsonAsync($"/api/attempts/{AttemptId}/answers/{position}", new { choices })));
            if (answered is null)
            {
                return;
            }
        }
        if (waitBeforeSubmit is { } wait)
        {
            await Task.Delay(wait);
        }
        var submitted = await RetryAsync(giveUp, () => history.DoAsync(Name, "submit", AttemptId, null, null,
            () => Http.PostAsJsonAsync($"/api/attempts/{AttemptId}/submit", new { prediction = 1 })));
        Submitted = submitted is { Outcome: Outcome.Ack };
    }

    /// <summary>An unknown outcome is retried (the calls are idempotent); an answer, yes or no, ends the call.</summary>
    private async Task<Op?> RetryAsync(DateTimeOffset giveUp, Func<Task<Op>> call)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (DateTimeOffset.UtcNow < giveUp)
        {
            var op = await call();
            if (op.Outcome != Outcome.Unknown)
            {
                return op;
            }
            await Task.Delay(delay + TimeSpan.FromMilliseconds(_random.Next(100)));
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
        return null;
    }

    public void Dispose() => Http.Dispose();
}
