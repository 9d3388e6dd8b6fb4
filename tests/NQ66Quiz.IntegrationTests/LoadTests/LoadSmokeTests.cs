using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.LoadTests;
using NQ66Quiz.LoadTests.Harness;

namespace NQ66Quiz.IntegrationTests.LoadTests;

/// <summary>
/// A small run of every load scenario against the test app, so the harness cannot rot: each must complete its
/// iterations without a failed step, write its report, and find in PostgreSQL everything it was told was stored.
/// Speed is not asserted here (that is what the full runs under load-tests/results/ are for).
/// </summary>
public sealed class LoadSmokeTests(AppFixture app) : ContestTest(app)
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "nq66-load-smoke-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<RunReport> RunAsync(string[] scenarios, string[] thresholds, int questions = 24, Func<RunOptions, RunOptions>? tune = null)
    {
        await App.LoadUnitsAsync();
        await App.EnsureAdminAsync();
        await App.ImportQuestionsAsync(Enumerable.Range(1, questions).Select(i => new TestQuestion($"t{i:000}") { Viewpoints = [1 + i % 5] }));
        var options = new RunOptions
        {
            Scenarios = [.. scenarios],
            Target = new Target(App.BaseAddress, [App.BaseAddress], App.ConnectionString, AppFixture.RedisConnectionString, AppFixture.OrganizerPassword,
                [new Uri(App.BaseAddress, "/metrics")], [Environment.ProcessId], App.Clock, AppFixture.OrganizerEmail),
            Copies = 4,
            Duration = TimeSpan.FromSeconds(3),
            WarmUp = TimeSpan.FromSeconds(1),
            Participants = 12,
            Entries = 2_000,
            Readers = 10,
            Players = 200,
            Questions = 2,
            CopyRows = 20_000,
            Thresholds = [.. thresholds],
            OutputFolder = _out,
            ReportName = "smoke",
            Command = "smoke " + string.Join(' ', scenarios),
            Quiet = true,
        };
        var report = await Runner.RunAsync(tune is null ? options : tune(options), TextWriter.Null, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(_out, "smoke.md")) && File.Exists(Path.Combine(_out, "smoke.json")), "report files written");
        Assert.True(report.Failed == 0, ReportWriter.Console(report));
        return report;
    }

    [Fact]
    public async Task Online_attempts_store_every_acknowledged_answer_and_submission()
    {
        var report = await RunAsync(["online-attempts"], ["save.errors==0", "submit.errors==0", "start.errors==0",
            "check.lost_submissions==0", "check.lost_answers==0", "check.scores_not_matching_marks==0", "submit.ok>0"]);
        var attempts = report.Scenarios.Single(s => s.Name == "online-attempts");
        Assert.Equal(attempts.Checks["acked_submissions"], attempts.Checks["submitted_in_round"]);
        Assert.Contains(report.Scenarios, s => s.Name == "baseline-http" && s.Steps.Single().Ok > 0);
        Assert.Contains(attempts.Ratios, r => r.Step == "save" && r.RateRatio > 0);
        // The app's own meters were scraped beside the generator's figures.
        Assert.Contains(attempts.Server.Keys, k => k.StartsWith("nq66_answers_acked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_model_run_reports_offered_and_achieved_rates()
    {
        var report = await RunAsync(["online-attempts"], ["save.errors==0", "check.lost_answers==0"],
            tune: o => o with { Baselines = false, Load = [new LoadSimulation.InjectPerSec(4, TimeSpan.FromSeconds(3))] });
        var s = report.Scenarios.Single();
        Assert.InRange(s.OfferedRate, 3, 5);
        Assert.All(s.Steps, st => Assert.True(st.P99 >= st.NaiveP50, st.Name));
        // The generator's own lateness is reported, and it is inside the first step's figure (which counts from the
        // scheduled instant), never beside it: the first step can be no quicker than its own dispatch.
        var start = s.Steps.Single(st => st.Name == "start");
        Assert.InRange(s.Facts["dispatch_lag_p50_ms"], 0, s.Facts["dispatch_lag_p99_ms"]);
        Assert.True(start.P50 / 1000.0 >= s.Facts["dispatch_lag_p50_ms"], $"start p50 {start.P50} µs, dispatch lag p50 {s.Facts["dispatch_lag_p50_ms"]} ms");
        // Who spent the CPU over the window: the target PostgreSQL is found (its backends did the run's SQL), and no
        // owner's share is negative or more than the machine has.
        Assert.True(s.Facts["cpu_postgres_cores"] > 0, "PostgreSQL's CPU was not found");
        Assert.True(s.Facts["cpu_postgres_ms_per_iteration"] > 0);
        Assert.Contains("cpu_redis_cores", s.Facts.Keys);
        foreach (var owner in new[] { "app", "postgres", "redis", "generator", "other" })
        {
            Assert.InRange(s.Facts[$"cpu_{owner}_cores"], 0, Environment.ProcessorCount);
        }
        Assert.InRange(s.Facts["cpu_machine_busy_share"], 0.001, 1.05); // ticks against the stopwatch: a full machine may read a hair over 1
    }

    [Fact]
    public async Task Round_of_ranked_entries_rebuilds_reads_and_closes()
    {
        var report = await RunAsync(["leaderboards-rebuild", "leaderboard-reads", "round-close"], ["rebuild.errors==0", "my-rank.errors==0", "top-100.errors==0",
            "close.errors==0", "check.entries_not_ranked==0", "check.rank_gaps==0", "check.prizes_awarded==106", "my-rank.ok>0"]);
        Assert.Contains(report.Scenarios, s => s.Name == "baseline-pg-copy" && s.Facts["rows_per_s"] > 0);
    }

    [Fact]
    public async Task Live_round_acks_and_stores_every_answer_and_times_each_close_to_the_last_board()
    {
        var report = await RunAsync(["live-round"], ["live-round-spread/answer-ack.errors==0", "live-round-burst/answer-ack.errors==0",
            "live-round-spread/answer-ack.ok==400", "live-round-burst/answer-ack.ok==400",
            "live-round-spread/close-to-last-board.errors==0", "live-round-burst/close-to-last-board.errors==0",
            "live-round-spread/check.lost_answers==0", "live-round-burst/check.lost_answers==0",
            "live-round-spread/check.duplicate_answers==0", "live-round-burst/check.duplicate_answers==0"],
            tune: o => o with { Baselines = false });
        foreach (var s in report.Scenarios)
        {
            Assert.Equal(400, s.Checks["stored_answers"]);
            // Each close is timed from the close to the last of 200 phones: never the 1 µs floor a close taken after
            // every board gives (each question closes early here, once all have answered).
            var board = s.Steps.Single(st => st.Name == "close-to-last-board");
            Assert.Equal(2, board.Ok);
            Assert.True(board.P50 > 10, $"{s.Name}: close to last board p50 {board.P50} µs");
        }
    }

    [Fact]
    public async Task Bare_hub_baseline_acks_and_broadcasts_to_every_player()
    {
        var report = await RunAsync(["baselines"], ["baseline-hub-spread/answer-ack.errors==0", "baseline-hub-burst/answer-ack.errors==0",
            "baseline-hub-spread/close-to-last-board.errors==0", "baseline-hub-burst/answer-ack.ok==400"]);
        Assert.Contains(report.Scenarios, s => s.Name == "baseline-redis-zadd" && s.Steps.Single().Ok > 0);
    }

    public override Task DisposeAsync()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
        return Task.CompletedTask;
    }
}
