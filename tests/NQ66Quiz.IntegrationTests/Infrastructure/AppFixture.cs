using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Respawn;
using StackExchange.Redis;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>
/// One app for the whole test run, on real PostgreSQL and Redis (the test command starts them). Each run gets a
/// database of its own (created here, dropped at the end) and a Redis key prefix of its own, so runs in several
/// checkouts on one machine never collide. <see cref="ResetAsync"/> empties both between tests.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    // Overridable so a developer can point the tests at other servers; the defaults are what .ci/services starts.
    public static readonly string AdminConnectionString = Environment.GetEnvironmentVariable("NQ66_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55432;Username=nq66;Password=nq66;Database=postgres";
    public static readonly string RedisConnectionString = Environment.GetEnvironmentVariable("NQ66_TEST_REDIS") ?? "127.0.0.1:56379";

    /// <summary>The city admin every organizer test signs in as (created by <see cref="EnsureAdminAsync"/> after each reset).</summary>
    public const string OrganizerEmail = "quan-tri@nq66.test";
    public const string OrganizerPassword = "test-organizer-password";

    private readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    private readonly ConditionalWeakTable<HttpClient, CookieContainer> _cookies = new();
    private Respawner? _respawner;

    public string DatabaseName => $"nq66_test_{_runId}";
    public string RedisPrefix => $"test:{_runId}:";
    public string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = DatabaseName }.ToString();

    /// <summary>
    /// The clock the app sees; tests move it forward. It is never reset (a FakeTimeProvider cannot go back), so a test
    /// works relative to <c>Clock.GetUtcNow()</c>, never to a fixed date.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));

    public AppFactory Factory { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IConnectionMultiplexer Redis => Factory.Services.GetRequiredService<IConnectionMultiplexer>();

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            try
            {
                await admin.OpenAsync();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"Integration tests need PostgreSQL at {AdminConnectionString.Split(";Password")[0]}: "
                    + $"{e.Message}. Run the test command (.ci/test), which starts it, or `.ci/services up`.", e);
            }
            await admin.ExecuteAsync($"CREATE DATABASE {DatabaseName}");
        }
        Factory = new AppFactory(this);
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseAddress = new Uri(Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["schema_version", "data_protection_keys"],
            WithReseed = true,
        });
    }

    /// <summary>
    /// A client of the real Kestrel server with its own cookies, which does not follow redirects (so tests see them).
    /// The factory's own client options are not applied on Kestrel, hence the handler here.
    /// </summary>
    public HttpClient CreateClient()
    {
        var jar = new CookieContainer();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = jar }) { BaseAddress = BaseAddress };
        _cookies.AddOrUpdate(client, jar);
        return client;
    }

    /// <summary>
    /// The city admin account, created as the <c>organizers create-admin</c> verb does (the tables are emptied between
    /// tests, so each test that needs it gets it anew).
    /// </summary>
    public async Task EnsureAdminAsync()
    {
        var accounts = Service<NQ66Quiz.Web.Features.Organizers.OrganizerAccounts>();
        if (await accounts.VerifyAsync(OrganizerEmail, OrganizerPassword) is null)
        {
            Assert.IsType<NQ66Quiz.Web.Features.Organizers.AccountOutcome<NQ66Quiz.Web.Features.Organizers.OrganizerAccount>.Ok>(
                await accounts.CreateAdminAsync(OrganizerEmail, "Quản trị Thành phố", OrganizerPassword));
        }
    }

    /// <summary>A client signed in as the city admin (through the real sign-in endpoint).</summary>
    public async Task<HttpClient> CreateOrganizerClientAsync()
    {
        await EnsureAdminAsync();
        return await SignInOrganizerAsync(OrganizerEmail, OrganizerPassword);
    }

    public async Task<HttpClient> SignInOrganizerAsync(string email, string password)
    {
        var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/organizer/sign-in", new { email, password });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>
    /// A client signed in as a new organizer with <paramref name="role"/> over <paramref name="unitId"/>, made the way
    /// people are: the city admin invites them over the API and they accept the invitation over the API.
    /// </summary>
    public async Task<HttpClient> CreateOrganizerClientAsync(string role, int? unitId, string? email = null)
    {
        using var admin = await CreateOrganizerClientAsync();
        email ??= $"{role}-{unitId}-{Guid.NewGuid():N}"[..40] + "@nq66.test";
        using var invited = await admin.PostAsJsonAsync("/api/organizer/invitations", new { email, name = "Cán bộ " + role, role, unitId });
        Assert.True(invited.IsSuccessStatusCode, await invited.Content.ReadAsStringAsync());
        var code = (await invited.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString();
        var client = CreateClient();
        using var accepted = await client.PostAsJsonAsync("/api/organizer/invitations/accept", new { code, password = OrganizerPassword });
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>The Cookie header a client of <see cref="CreateClient"/> sends to the app.</summary>
    public string CookieHeader(HttpClient client) => _cookies.TryGetValue(client, out var jar) ? jar.GetCookieHeader(BaseAddress) : "";

    /// <summary>Every cookie a client of <see cref="CreateClient"/> holds (session, device…), for a browser context.</summary>
    public Microsoft.Playwright.Cookie[] BrowserCookies(HttpClient client) =>
        [.. (_cookies.TryGetValue(client, out var jar) ? jar.GetCookies(BaseAddress) : [])
            .Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Url = BaseAddress.ToString() })];

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public IEnumerable<T> Services<T>() where T : notnull => Factory.Services.GetServices<T>();

    public NpgsqlConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Empties every table but the schema history and every Redis key of this run, and makes the live engine forget the
    /// rounds it cached: the reset restarts round ids, so a cached definition would be another test's round.
    /// </summary>
    public async Task ResetAsync()
    {
        Service<NQ66Quiz.Web.Features.LiveRounds.LiveEngine>().ForgetCachedRounds();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await _respawner!.ResetAsync(connection);
        }
        var redis = Redis;
        foreach (var endpoint in redis.GetEndPoints())
        {
            var keys = redis.GetServer(endpoint).Keys(pattern: RedisPrefix + "*").ToArray();
            if (keys.Length > 0)
            {
                await redis.GetDatabase().KeyDeleteAsync(keys);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
    }
}

public sealed class AppFactory(AppFixture fixture) : WebApplicationFactory<Program>
{
    public const string PortalAddress = "Số 1 phố Thử Nghiệm, Phường Hoàn Kiếm, Hà Nội";
    public const string PortalHotline = "024 3825 0000";
    public const string PortalEmail = "bantochuc@nq66.test";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", fixture.ConnectionString);
        builder.UseSetting("ConnectionStrings:Redis", AppFixture.RedisConnectionString);
        builder.UseSetting("Redis:KeyPrefix", fixture.RedisPrefix);
        // A background tick landing between "advance the clock" and "submit" would change what a test sees; contest
        // tests run the jobs' steps themselves.
        builder.UseSetting("Contests:JobIntervalSeconds", "3600");
        // Live questions close when a test says so (LiveEngine.TickAsync) or when everyone answered, not on a timer.
        builder.UseSetting("LiveRounds:TickMilliseconds", "3600000");
        // Every test client comes from 127.0.0.1: the per-address limits on registration and sign-in would add up over
        // the whole run. Security/RateLimitTests checks them on an app of its own with small limits.
        builder.UseSetting("RateLimits:Registration:Burst", "100000");
        builder.UseSetting("RateLimits:SignIn:Burst", "100000");
        // Per participant too: the database is reset between tests, so participant 1 of one test is participant 1 of
        // the next, and the app's buckets (in memory) would carry one test's starts and answers into the next.
        builder.UseSetting("RateLimits:AttemptStart:Burst", "100000");
        builder.UseSetting("RateLimits:Answers:Burst", "100000");
        // Contest tests move the clock through a week's round with one organizer signed in; on this app organizer
        // sessions get the longest limits the settings allow. Security/OrganizerSecurityTests checks the defaults
        // (2 idle hours, 12 hours in all) on an app of its own.
        builder.UseSetting("Organizers:Sessions:IdleMinutes", "1440");
        builder.UseSetting("Organizers:Sessions:AbsoluteHours", "168");
        // Hundreds of admin sign-ins here would each need a TOTP code: this app lets a city admin in without one.
        // Security/OrganizerSecurityTests checks the default (enrolment forced first) on an app of its own.
        builder.UseSetting("Organizers:SecondFactor:RequiredForCityAdmins", "false");
        // The contact lines a deployment configures (Portal/PortalFramingTests reads them back from the footer).
        builder.UseSetting("Portal:Address", PortalAddress);
        builder.UseSetting("Portal:Hotline", PortalHotline);
        builder.UseSetting("Portal:ContactEmail", PortalEmail);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(fixture.Clock));
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollectionDefinition : ICollectionFixture<AppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "app";
}

/// <summary>Base for integration tests: every test starts from empty tables and no Redis keys.</summary>
[Collection(AppCollectionDefinition.Name)]
public abstract class IntegrationTest(AppFixture app) : IAsyncLifetime
{
    protected AppFixture App { get; } = app;

    public virtual Task InitializeAsync() => App.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
