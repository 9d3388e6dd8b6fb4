using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

public sealed class HealthTests(AppFixture app) : IntegrationTest(app)
{
    [Fact]
    public async Task Ready_is_healthy_when_postgres_and_redis_answer()
    {
        using var client = App.CreateClient();

        var (status, body) = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_names_postgres_when_it_goes_down_and_recovers_when_it_returns()
    {
        var pg = new NpgsqlConnectionStringBuilder(App.ConnectionString);
        await using var proxy = new TcpProxy(pg.Host!, pg.Port);
        proxy.Start();
        pg.Port = proxy.Port;
        pg.Pooling = false; // a pooled connection would hide the outage until it is reused
        await using var factory = IsolatedApp(("ConnectionStrings:Postgres", pg.ToString()));
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);

        proxy.Stop();
        var (status, body) = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Contains("PostgreSQL", body.GetProperty("checks").GetProperty("postgres").GetProperty("description").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);

        proxy.Start();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);
    }

    [Fact]
    public async Task Ready_names_redis_when_it_goes_down()
    {
        var redisEndpoint = AppFixture.RedisConnectionString.Split(':');
        await using var proxy = new TcpProxy(redisEndpoint[0], int.Parse(redisEndpoint[1], System.Globalization.CultureInfo.InvariantCulture));
        proxy.Start();
        await using var factory = IsolatedApp(("ConnectionStrings:Redis", $"127.0.0.1:{proxy.Port}"));
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);

        proxy.Stop();
        var (status, body) = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        using var client = App.CreateClient();

        var (status, body) = await GetAsync(client, "/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("3.", body.GetProperty("openapi").GetString());
    }

    private WebApplicationFactory<Program> IsolatedApp(params (string Key, string Value)[] settings) =>
        App.Factory.WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
