using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>Where the load goes and what it may use: all loopback, checked once here.</summary>
/// <param name="Clock">The app's clock (the wall clock, except for an app under test with a fake one): rounds open and close by it.</param>
public sealed record Target(Uri App, IReadOnlyList<Uri> Nodes, string Postgres, string Redis, string OrganizerPassword, IReadOnlyList<Uri> Metrics,
    IReadOnlyList<int> ServerPids, TimeProvider? Clock = null, string OrganizerEmail = "admin@nq66.local")
{
    public DateTimeOffset Now => (Clock ?? TimeProvider.System).GetUtcNow();
}

/// <summary>
/// The app seen from outside, for set-up: organizer sign-in, a contest and a round through the real API, participants
/// made set-based in SQL (one registered through the API lends its password hash) and signed in through the API.
/// </summary>
public sealed class AppClient(Target target, Wire wire, int maxConnections)
{
    public const string Password = "mat-khau-tai-thu";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = wire.HttpClient(target.App, maxConnections);
    public Target Target => target;
    public string? OrganizerCookie { get; private set; }

    public sealed record Participant(long Id, string Phone, string Cookie);

    public async Task SignInOrganizerAsync(CancellationToken ct)
    {
        using var response = await Http.PostAsJsonAsync("/api/organizer/sign-in", new { email = target.OrganizerEmail, password = target.OrganizerPassword }, ct);
        await EnsureAsync(response, "organizer sign-in (is the organizer password right? --organizer-password or NQ66_ORGANIZER_PASSWORD)");
        OrganizerCookie = CookieOf(response);
    }

    public async Task<int> UnitIdAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(target.Postgres);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("SELECT min(id) FROM units", cancellationToken: ct))
            ?? throw new InvalidOperationException("no units in the database: start the app with content/ imported (load-tests/run does)");
    }

    /// <summary>A contest and one round open now for a week, with <paramref name="questions"/> questions drawn from the whole bank.</summary>
    public async Task<(long ContestId, long RoundId)> OpenRoundAsync(int questions, int attempts, int minutes, CancellationToken ct, List<object>? prizes = null)
    {
        var unit = await UnitIdAsync(ct);
        var contest = await PostJsonAsync<JsonElement>("/api/organizer/contests", new
        {
            name = $"Thi tải {DateTime.UtcNow:yyyyMMdd-HHmmss} {Guid.NewGuid().ToString("N")[..6]}",
            descriptionMd = "Cuộc thi tạo ra để đo tải.",
            organizingUnitId = unit,
        }, OrganizerCookie, ct);
        // Round times are typed in Vietnam time (UTC+7, no daylight saving).
        var vn = target.Now.ToOffset(TimeSpan.FromHours(7));
        string At(TimeSpan d) => (vn + d).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var round = await PostJsonAsync<JsonElement>($"/api/organizer/contests/{contest.GetProperty("id").GetInt64()}/rounds", new
        {
            opensAt = At(TimeSpan.FromMinutes(-1)),
            closesAt = At(TimeSpan.FromDays(7)),
            timeLimitMinutes = minutes,
            attemptsAllowed = attempts,
            blueprint = new[] { new { count = questions } },
            prizeStructure = prizes,
        }, OrganizerCookie, ct);
        return (contest.GetProperty("id").GetInt64(), round.GetProperty("id").GetInt64());
    }

    /// <summary>
    /// <paramref name="count"/> participants in SQL (set-based), sharing the password hash of one registered through
    /// the API; with <paramref name="signIn"/> of them signed in through the API (their cookies returned).
    /// </summary>
    public async Task<(IReadOnlyList<Participant> SignedIn, long FirstId, long LastId)> ParticipantsAsync(int count, int signIn, CancellationToken ct)
    {
        var unit = await UnitIdAsync(ct);
        var firstPhone = "091" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        using (var response = await Http.PostAsJsonAsync("/api/participants/register", new
        {
            fullName = "Nguyễn Văn Tải",
            dateOfBirth = "15/04/1990",
            phone = firstPhone,
            unitId = unit,
            participantType = "citizen",
            password = Password,
            consentParticipation = true,
            consentPublishIfWinner = true,
        }, ct))
        {
            await EnsureAsync(response, "registering the first load participant");
        }
        await using var connection = new NpgsqlConnection(target.Postgres);
        await connection.OpenAsync(ct);
        var hash = await connection.QuerySingleAsync<string>(new CommandDefinition("SELECT password_hash FROM participants WHERE phone = @firstPhone", new { firstPhone }, cancellationToken: ct));
        // Phones 032xxxxxxx–039xxxxxxx (prefixes in use) from a random base, so runs on one database do not collide.
        var start = Random.Shared.Next(20_000_000, 99_999_999 - count);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            WITH p AS (
                INSERT INTO participants (phone, full_name, date_of_birth, unit_id, participant_type, password_hash, created_at, updated_at)
                SELECT '03' || lpad((@start + i)::text, 8, '0'), 'Người thi tải ' || i, date '1990-01-01' + (i % 9000), u.ids[1 + i % cardinality(u.ids)],
                       'citizen', @hash, now(), now()
                FROM generate_series(1, @count) AS i, (SELECT array_agg(id) AS ids FROM units) AS u
                RETURNING id
            ), c AS (
                INSERT INTO participant_consents (participant_id, purpose, wording_version, consented_at)
                SELECT id, purpose, 'load', now() FROM p, unnest(ARRAY['participation', 'publish_if_winner']) AS purpose
            )
            SELECT id FROM p ORDER BY id
            """, new { start, count, hash }, cancellationToken: ct, commandTimeout: 600))).ToList();
        var phones = await connection.QueryAsync<(long Id, string Phone)>(new CommandDefinition(
            "SELECT id, phone FROM participants WHERE id BETWEEN @first AND @last ORDER BY id LIMIT @signIn",
            new { first = ids[0], last = ids[^1], signIn }, cancellationToken: ct));
        var signedIn = new System.Collections.Concurrent.ConcurrentBag<Participant>();
        await Parallel.ForEachAsync(phones, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2, CancellationToken = ct }, async (p, c) =>
        {
            using var response = await Http.PostAsJsonAsync("/api/participants/sign-in", new { phone = p.Phone, password = Password }, c);
            await EnsureAsync(response, "signing in a load participant");
            signedIn.Add(new Participant(p.Id, p.Phone, CookieOf(response)));
        });
        return ([.. signedIn.OrderBy(p => p.Id)], ids[0], ids[^1]);
    }

    public async Task<T> PostJsonAsync<T>(string path, object body, string? cookie, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Web) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        using var response = await Http.SendAsync(request, ct);
        await EnsureAsync(response, "POST " + path);
        return (await response.Content.ReadFromJsonAsync<T>(Web, ct))!;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string CookieOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    public static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{what}: HTTP {(int)response.StatusCode} {body[..Math.Min(400, body.Length)]}");
        }
    }
}
