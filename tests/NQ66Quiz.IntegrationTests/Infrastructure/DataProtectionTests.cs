using System.Net;
using Dapper;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>Several app nodes share one key ring: a cookie issued by one node is accepted by another.</summary>
public sealed class DataProtectionTests(AppFixture app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_sign_in_cookie_from_one_node_is_accepted_by_a_second_node()
    {
        using var first = await App.CreateOrganizerClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/to-chuc")).StatusCode);
        var cookie = App.CookieHeader(first);
        await using (var connection = App.OpenConnection())
        {
            Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1);
        }

        // A second app on the same database: a fresh process would have no keys of its own but those in PostgreSQL.
        await using var secondNode = App.Factory.WithWebHostBuilder(b => b.UseSetting("Redis:KeyPrefix", App.RedisPrefix + "node2:"));
        using var second = secondNode.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/to-chuc");
        request.Headers.Add("Cookie", cookie);
        using var response = await second.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Bảng điều khiển ban tổ chức", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
