using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Leaderboards;
using StackExchange.Redis;

namespace NQ66Quiz.IntegrationTests.Leaderboards;

/// <summary>PostgreSQL is the record: with Redis cut, a submission still counts, and the board catches up when Redis returns.</summary>
public sealed class RedisOutageTests(AppFixture app) : ContestTest(app)
{
    [Fact]
    public async Task A_submission_during_a_Redis_outage_is_kept_and_the_board_is_restored_by_the_sync()
    {
        var (organizer, _, round) = await App.OpenRoundAsync();
        var redisEndpoint = AppFixture.RedisConnectionString.Split(':');
        await using var proxy = new TcpProxy(redisEndpoint[0], int.Parse(redisEndpoint[1], System.Globalization.CultureInfo.InvariantCulture));
        proxy.Start();
        await using var isolated = App.Factory.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Redis", $"127.0.0.1:{proxy.Port}"));
        using var client = isolated.CreateClient();
        using (var registered = await client.PostAsJsonAsync("/api/participants/register", TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm"))))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }
        var paper = await client.StartAsync(round.Id);
        var key = await App.KeyAsync(paper.Id);

        proxy.Stop();
        (await client.AnswerAsync(paper.Id, 1, key[1].Right)).Dispose();
        using var submitted = await client.SubmitAsync(paper.Id, prediction: 2);
        using var unavailable = await client.GetAsync($"/api/rounds/{round.Id}/leaderboard");

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(1, (await submitted.Content.ReadFromJsonAsync<AttemptResult>())!.Score);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.StartsWith("Bảng xếp hạng tạm thời chưa hiển thị được", await unavailable.TitleAsync(), StringComparison.Ordinal);

        proxy.Start();
        var redis = isolated.Services.GetRequiredService<IConnectionMultiplexer>();
        for (var i = 0; i < 100 && !redis.IsConnected; i++)
        {
            await Task.Delay(100);
        }
        await isolated.Services.GetRequiredService<LeaderboardSync>().SyncAsync();
        var board = await client.GetFromJsonAsync<LeaderboardView>($"/api/rounds/{round.Id}/leaderboard");

        Assert.Equal((1L, 1, 1), (board!.Total, board.Me!.Rank, board.Me.Score));
        organizer.Dispose();
    }
}
