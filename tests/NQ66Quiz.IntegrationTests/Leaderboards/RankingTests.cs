using Dapper;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.IntegrationTests.Leaderboards;

/// <summary>Every step of the final ranking (score ↓, |prediction − actual| ↑, duration ↑, submission second ↑), one test each, on real PostgreSQL.</summary>
public sealed class RankingTests(AppFixture app) : ContestTest(app)
{
    private RoundView _round = null!;
    private HttpClient _organizer = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // perfect_scores: the actual value is the number of people with all 4 answers right.
        (_organizer, _, _round) = await App.OpenRoundAsync(questions: 4, round: App.Round(questions: 4, length: TimeSpan.FromHours(2)));
    }

    public override Task DisposeAsync()
    {
        _organizer.Dispose();
        return Task.CompletedTask;
    }

    private async Task<HttpClient> PersonAsync(string phone) =>
        (await App.RegisterAsync(TestData.Registration(phone, await App.UnitIdAsync("Phường Hoàn Kiếm")))).Client;

    /// <summary>Closes the round and returns the phones in final rank order.</summary>
    private async Task<List<string>> FinalOrderAsync()
    {
        App.Clock.Advance(TimeSpan.FromHours(3));
        Assert.IsType<SetupResult<RoundView>.Ok>(await App.Service<RoundClose>().CloseAsync(_round.Id, recompute: false));
        await using var connection = App.OpenConnection();
        return [.. await connection.QueryAsync<string>(
            "SELECT p.phone FROM round_results r JOIN participants p ON p.id = r.participant_id WHERE r.round_id = @Id ORDER BY r.rank", _round)];
    }

    [Fact]
    public async Task A_higher_score_ranks_first_whatever_the_prediction_and_time()
    {
        var slow = await PersonAsync("0911000001");
        var fast = await PersonAsync("0911000002");
        await App.TakeAsync(fast, _round.Id, right: 3, TimeSpan.FromSeconds(10), prediction: 1);
        await App.TakeAsync(slow, _round.Id, right: 4, TimeSpan.FromMinutes(9), prediction: 500);

        Assert.Equal(["0911000001", "0911000002"], await FinalOrderAsync());
    }

    [Fact]
    public async Task With_equal_scores_the_closer_prediction_ranks_first_even_when_slower()
    {
        var close = await PersonAsync("0911000001");
        var far = await PersonAsync("0911000002");
        await App.TakeAsync(far, _round.Id, right: 4, TimeSpan.FromSeconds(20), prediction: 9);
        await App.TakeAsync(close, _round.Id, right: 4, TimeSpan.FromMinutes(5), prediction: 3);

        Assert.Equal(["0911000001", "0911000002"], await FinalOrderAsync());
        await using var connection = App.OpenConnection();
        Assert.Equal(2, await connection.QuerySingleAsync<int>("SELECT prediction_actual FROM contest_rounds"));
        Assert.Equal([1L, 7L], await connection.QueryAsync<long>("SELECT prediction_distance FROM round_results ORDER BY rank"));
    }

    [Fact]
    public async Task A_prediction_over_the_actual_value_counts_as_far_as_one_under_it()
    {
        var under = await PersonAsync("0911000001");
        var over = await PersonAsync("0911000002");
        await App.TakeAsync(over, _round.Id, right: 4, TimeSpan.FromSeconds(30), prediction: 5);
        await App.TakeAsync(under, _round.Id, right: 4, TimeSpan.FromSeconds(20), prediction: 0);

        // actual 2: |5 − 2| = 3 > |0 − 2| = 2.
        Assert.Equal(["0911000001", "0911000002"], await FinalOrderAsync());
    }

    [Fact]
    public async Task With_equal_score_and_prediction_distance_the_shorter_time_ranks_first()
    {
        // The slower one registered first (lower id) and submitted first: neither may save it.
        var slower = await PersonAsync("0911000001");
        var quicker = await PersonAsync("0911000002");
        await App.TakeAsync(slower, _round.Id, right: 3, TimeSpan.FromSeconds(50), prediction: 0);
        await App.TakeAsync(quicker, _round.Id, right: 3, TimeSpan.FromSeconds(49.999), prediction: 0);

        Assert.Equal(["0911000002", "0911000001"], await FinalOrderAsync());
    }

    [Fact]
    public async Task With_equal_score_prediction_distance_and_time_the_earlier_submission_second_ranks_first()
    {
        // The later submitter registered first (lower id): the last tie-break would favour it, submission time must not.
        var later = await PersonAsync("0911000001");
        var earlier = await PersonAsync("0911000002");
        var earlierPaper = await earlier.StartAsync(_round.Id);
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var laterPaper = await later.StartAsync(_round.Id);
        await App.AnswerAsync(earlier, earlierPaper, right: 2);
        await App.AnswerAsync(later, laterPaper, right: 2);

        App.Clock.Advance(TimeSpan.FromSeconds(59));
        (await earlier.SubmitAsync(earlierPaper.Id, prediction: 3)).Dispose();
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        (await later.SubmitAsync(laterPaper.Id, prediction: 3)).Dispose();

        await using var connection = App.OpenConnection();
        Assert.Equal([60_000, 60_000], await connection.QueryAsync<int>("SELECT duration_ms FROM attempts ORDER BY id"));
        Assert.Equal(["0911000002", "0911000001"], await FinalOrderAsync());
    }

    [Fact]
    public async Task When_everything_ties_to_the_second_the_lower_participant_id_ranks_first()
    {
        var first = await PersonAsync("0911000001");
        var second = await PersonAsync("0911000002");
        var a = await second.StartAsync(_round.Id);
        var b = await first.StartAsync(_round.Id);
        await App.AnswerAsync(second, a, right: 1);
        await App.AnswerAsync(first, b, right: 1);
        App.Clock.Advance(TimeSpan.FromSeconds(42));
        (await second.SubmitAsync(a.Id, prediction: 1)).Dispose();
        (await first.SubmitAsync(b.Id, prediction: 1)).Dispose();

        Assert.Equal(["0911000001", "0911000002"], await FinalOrderAsync());
    }

    [Fact]
    public async Task Any_prediction_ranks_before_no_prediction_at_equal_score()
    {
        var silent = await PersonAsync("0911000001");
        var guesser = await PersonAsync("0911000002");
        await App.TakeAsync(silent, _round.Id, right: 2, TimeSpan.FromSeconds(5));
        await App.TakeAsync(guesser, _round.Id, right: 2, TimeSpan.FromMinutes(9), prediction: 1_000_000);

        Assert.Equal(["0911000002", "0911000001"], await FinalOrderAsync());
    }

    [Fact]
    public async Task Only_the_best_attempt_counts()
    {
        var person = await PersonAsync("0911000001");
        var other = await PersonAsync("0911000002");
        await App.TakeAsync(person, _round.Id, right: 1, TimeSpan.FromSeconds(10), prediction: 0);
        await App.TakeAsync(person, _round.Id, right: 3, TimeSpan.FromSeconds(40), prediction: 0);
        await App.TakeAsync(person, _round.Id, right: 2, TimeSpan.FromSeconds(5), prediction: 0);
        await App.TakeAsync(other, _round.Id, right: 2, TimeSpan.FromSeconds(1), prediction: 0);

        Assert.Equal(["0911000001", "0911000002"], await FinalOrderAsync());
        await using var connection = App.OpenConnection();
        Assert.Equal([3, 2], await connection.QueryAsync<int>("SELECT score FROM round_results ORDER BY rank"));
    }
}
