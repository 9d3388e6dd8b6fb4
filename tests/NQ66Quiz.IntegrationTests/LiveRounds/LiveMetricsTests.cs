using System.Globalization;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.LiveRounds;

namespace NQ66Quiz.IntegrationTests.LiveRounds;

/// <summary>
/// What operators read at /metrics moves with a live round: players seated on this node, live answers acknowledged
/// after their commit, their ack latency, the group-commit batches and each close's phases. Read through the real scrape endpoint.
/// </summary>
public sealed class LiveMetricsTests(AppFixture app) : IntegrationTest(app)
{
    private const string Players = "nq66_live_connected_players";
    private const string Acked = "nq66_answers_acked_total";
    private const string AckCount = "nq66_answers_ack_duration_milliseconds_count";
    private const string Batches = "nq66_answers_group_commit_batch_size_count";
    private const string CloseCount = "nq66_live_close_duration_milliseconds_count";
    private static readonly string[] ClosePhases = ["collect", "rank", "save", "publish", "send"];

    [Fact]
    public async Task Metrics_follow_players_joining_answering_and_leaving()
    {
        await App.SeedLiveQuestionsAsync(1, 4);
        var organizer = await App.CreateOrganizerClientAsync();
        var roundId = await organizer.CreateLiveRoundAsync(new CreateLiveRoundRequest("Đo lường vòng trực tiếp", ["live-01"], null));
        var opened = await organizer.OpenLiveRoundAsync(roundId);
        await using var host = new LiveHost(App.BaseAddress, App.CookieHeader(organizer));
        await host.WatchAsync(roundId);

        var before = await ScrapeAsync();
        var an = new LivePlayer(App.BaseAddress);
        var binh = new LivePlayer(App.BaseAddress);
        Assert.True((await an.JoinAsync(opened.Pin, "An")).Ok);
        Assert.True((await binh.JoinAsync(opened.Pin, "Bình")).Ok);
        var joined = await WaitForAsync(m => Value(m, Players) == Value(before, Players) + 2, "two players seated");

        Assert.True((await host.CommandAsync(LiveHostMethods.Start, roundId)).Ok);
        await an.Questions.NextAsync();
        await binh.Questions.NextAsync();
        var key = await App.CorrectOptionAsync(roundId, 1);
        Assert.True((await an.AnswerAsync(1, key)).Accepted);
        // A refused answer (the same player again) is not acknowledged, so it must not count.
        Assert.False((await an.AnswerAsync(1, key)).Accepted);
        Assert.True((await binh.AnswerAsync(1, LiveDriver.Wrong(key))).Accepted);
        var answered = await WaitForAsync(m => Value(m, Acked, "live") == Value(joined, Acked, "live") + 2, "two live answers acknowledged");
        Assert.Equal(Value(joined, AckCount, "live") + 2, Value(answered, AckCount, "live"));
        Assert.True(Value(answered, Batches, "live") > Value(joined, Batches, "live"), "a live group-commit batch recorded");
        Assert.Equal(Value(joined, Acked, "online"), Value(answered, Acked, "online"));
        // Both answered, so the question closes at once; its close is timed phase by phase.
        var closed = await WaitForAsync(m => Closes(m, "total") == Closes(joined, "total") + 1, "the question's close timed");
        Assert.All(ClosePhases, phase => Assert.Equal(Closes(joined, phase) + 1, Closes(closed, phase)));

        await an.DisposeAsync();
        await binh.DisposeAsync();
        await WaitForAsync(m => Value(m, Players) == Value(before, Players), "both players gone");
    }

    private async Task<Dictionary<string, double>> WaitForAsync(Func<Dictionary<string, double>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + LiveDriver.Wait;
        while (true)
        {
            var metrics = await ScrapeAsync();
            if (condition(metrics))
            {
                return metrics;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"/metrics never showed {what}:\n" + string.Join('\n', metrics.Where(m => m.Key.StartsWith("nq66_", StringComparison.Ordinal)).Select(m => $"{m.Key} {m.Value}")));
            }
            // The exporter caches a scrape for a few hundred milliseconds.
            await Task.Delay(150);
        }
    }

    private async Task<Dictionary<string, double>> ScrapeAsync()
    {
        using var client = App.CreateClient();
        var text = await client.GetStringAsync("/metrics");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            // Prometheus lines are "name{labels} value [timestamp]"; label values here hold no spaces.
            var parts = line.Split(' ');
            if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                metrics[parts[0]] = value;
            }
        }
        return metrics;
    }

    /// <summary>Live closes timed in <paramref name="phase"/> so far.</summary>
    private static double Closes(Dictionary<string, double> metrics, string phase) =>
        metrics.Where(m => m.Key.StartsWith(CloseCount + "{", StringComparison.Ordinal) && m.Key.Contains($"phase=\"{phase}\"", StringComparison.Ordinal)).Sum(m => m.Value);

    /// <summary>The sum over every series of <paramref name="name"/>, or only those with <c>kind="…"</c>.</summary>
    private static double Value(Dictionary<string, double> metrics, string name, string? kind = null) =>
        metrics.Where(m => (m.Key == name || m.Key.StartsWith(name + "{", StringComparison.Ordinal))
                && (kind is null || m.Key.Contains($"kind=\"{kind}\"", StringComparison.Ordinal)))
            .Sum(m => m.Value);
}
