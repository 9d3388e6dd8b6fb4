using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Contests;

public static class PredictionKinds
{
    public const string PerfectScores = "perfect_scores";
    public const string Entries = "entries";

    public static readonly IReadOnlyList<string> All = [PerfectScores, Entries];

    /// <summary>The prediction question as participants read it.</summary>
    public static string Question(string kind) => kind == Entries
        ? "Theo bạn, tuần thi này có bao nhiêu lượt thi?"
        : "Theo bạn, tuần thi này có bao nhiêu người trả lời đúng tất cả các câu hỏi?";
}

public static class RoundStatus
{
    public const string Scheduled = "scheduled";
    public const string Open = "open";
    public const string Closing = "closing";
    public const string Closed = "closed";
    public const string Published = "published";

    public static string Name(string status) => status switch
    {
        Scheduled => "Sắp mở",
        Open => "Đang diễn ra",
        Closing => "Đang tổng hợp kết quả",
        Closed => "Chờ công bố kết quả",
        _ => "Đã công bố kết quả",
    };
}

public sealed record RoundView(
    long Id, long ContestId, string ContestSlug, string ContestName, int Number, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    int QuestionCount, IReadOnlyList<BlueprintLine> Blueprint, int TimeLimitSeconds, int AttemptsAllowed,
    IReadOnlyList<PrizeTier> PrizeStructure, string PredictionKind, DateTimeOffset? ClosedAt, int? PredictionActual,
    DateTimeOffset? ResultsPublishedAt)
{
    public string StatusAt(DateTimeOffset now) =>
        ResultsPublishedAt is not null ? RoundStatus.Published
        : ClosedAt is not null ? RoundStatus.Closed
        : now < OpensAt ? RoundStatus.Scheduled
        : now < ClosesAt ? RoundStatus.Open
        : RoundStatus.Closing;

    public RoundSettings Settings => new(OpensAt, ClosesAt, Blueprint, TimeLimitSeconds, AttemptsAllowed, PrizeStructure);
}

public sealed record ContestView(
    long Id, string Slug, string Name, string DescriptionMd, string DescriptionHtml, int OrganizingUnitId, string OrganizingUnitName,
    string[] EligibleTypes, int[] EligibleUnitIds, bool NationalIdRequired, string PredictionKind, bool OnePrizePerPerson,
    IReadOnlyList<RoundView> Rounds);

/// <summary>Reads contests and rounds.</summary>
public sealed class ContestStore(NpgsqlDataSource dataSource)
{
    // Property-mapped, not positional: Npgsql reports array columns as System.Array, which Dapper's constructor
    // matching refuses for string[]/int[] parameters, while its property setters take them.
    private sealed class ContestRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string DescriptionMd { get; init; } = "";
        public string DescriptionHtml { get; init; } = "";
        public int OrganizingUnitId { get; init; }
        public string OrganizingUnitName { get; init; } = "";
        public string[] EligibleTypes { get; init; } = [];
        public int[] EligibleUnitIds { get; init; } = [];
        public bool NationalIdRequired { get; init; }
        public string PredictionKind { get; init; } = "";
        public bool OnePrizePerPerson { get; init; }
    }

    private sealed class BankRow
    {
        public long VersionId { get; init; }
        public string QuestionId { get; init; } = "";
        public string Difficulty { get; init; } = "";
        public short[] Viewpoints { get; init; } = [];
        public short[] Tasks { get; init; } = [];
        public string[] Topics { get; init; } = [];
    }

    private sealed record RoundRow(
        long Id, long ContestId, string ContestSlug, string ContestName, int Number, DateTime OpensAt, DateTime ClosesAt, int QuestionCount,
        string Blueprint, int TimeLimitSeconds, int AttemptsAllowed, string PrizeStructure, string PredictionKind, DateTime? ClosedAt,
        int? PredictionActual, DateTime? ResultsPublishedAt)
    {
        public RoundView ToView() => new(Id, ContestId, ContestSlug, ContestName, Number, Utc(OpensAt), Utc(ClosesAt), QuestionCount,
            RoundRules.FromJson<List<BlueprintLine>>(Blueprint), TimeLimitSeconds, AttemptsAllowed,
            RoundRules.FromJson<List<PrizeTier>>(PrizeStructure), PredictionKind, ClosedAt is { } c ? Utc(c) : null, PredictionActual,
            ResultsPublishedAt is { } p ? Utc(p) : null);
    }

    /// <summary>Npgsql reads timestamptz as a UTC DateTime; the app speaks DateTimeOffset.</summary>
    public static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private const string ContestSql = """
        SELECT c.id, c.slug, c.name, c.description_md, c.description_html, c.organizing_unit_id, u.name AS organizing_unit_name,
               c.eligible_types, c.eligible_unit_ids, c.national_id_required, c.prediction_kind, c.one_prize_per_person
        FROM contests c JOIN units u ON u.id = c.organizing_unit_id
        """;

    private const string RoundSql = """
        SELECT r.id, r.contest_id, c.slug AS contest_slug, c.name AS contest_name, r.number, r.opens_at, r.closes_at, r.question_count,
               r.blueprint::text AS blueprint, r.time_limit_seconds, r.attempts_allowed, r.prize_structure::text AS prize_structure,
               c.prediction_kind, r.closed_at, r.prediction_actual, r.results_published_at
        FROM contest_rounds r JOIN contests c ON c.id = r.contest_id
        """;

    /// <summary>Every contest (the public list).</summary>
    public Task<IReadOnlyList<ContestView>> ListAsync(CancellationToken ct = default) => ListInScopeAsync(null, ct);

    /// <summary>The contests an organizer may see: owned by a unit in their subtree (all, for a city admin).</summary>
    public Task<IReadOnlyList<ContestView>> ListAsync(Organizers.OrganizerScope scope, CancellationToken ct = default) => ListInScopeAsync(scope.SubtreeRoot, ct);

    private async Task<IReadOnlyList<ContestView>> ListInScopeAsync(int? scopeRoot, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var contests = await connection.QueryAsync<ContestRow>(new CommandDefinition(
            ContestSql + " WHERE " + Organizers.OrganizerScope.SqlFilter("c.organizing_unit_id") + " ORDER BY c.id DESC",
            new { ScopeRoot = scopeRoot }, cancellationToken: ct));
        var rounds = (await connection.QueryAsync<RoundRow>(new CommandDefinition(RoundSql + " ORDER BY r.contest_id, r.number", cancellationToken: ct)))
            .Select(r => r.ToView()).ToLookup(r => r.ContestId);
        return [.. contests.Select(c => ToView(c, [.. rounds[c.Id]]))];
    }

    public Task<ContestView?> GetAsync(long id, CancellationToken ct = default) => FindAsync("c.id = @id", new { id }, ct);

    public Task<ContestView?> GetAsync(string slug, CancellationToken ct = default) => FindAsync("c.slug = @slug", new { slug }, ct);

    public async Task<RoundView?> GetRoundAsync(long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await GetRoundAsync(connection, roundId, null, ct);
    }

    public static async Task<RoundView?> GetRoundAsync(NpgsqlConnection connection, long roundId, NpgsqlTransaction? tx, CancellationToken ct, bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RoundRow>(new CommandDefinition(
            // NO KEY UPDATE: an organizer's edit must not block attempt starts, whose foreign keys take KEY SHARE on the round.
            RoundSql + " WHERE r.id = @roundId" + (forUpdate ? " FOR NO KEY UPDATE OF r" : ""), new { roundId }, tx, cancellationToken: ct));
        return row?.ToView();
    }

    private async Task<ContestView?> FindAsync(string where, object args, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var contest = await connection.QuerySingleOrDefaultAsync<ContestRow>(new CommandDefinition(ContestSql + " WHERE " + where, args, cancellationToken: ct));
        if (contest is null)
        {
            return null;
        }
        var rounds = await connection.QueryAsync<RoundRow>(new CommandDefinition(
            RoundSql + " WHERE r.contest_id = @Id ORDER BY r.number", new { contest.Id }, cancellationToken: ct));
        return ToView(contest, [.. rounds.Select(r => r.ToView())]);
    }

    private static ContestView ToView(ContestRow c, IReadOnlyList<RoundView> rounds) => new(c.Id, c.Slug, c.Name, c.DescriptionMd, c.DescriptionHtml,
        c.OrganizingUnitId, c.OrganizingUnitName, c.EligibleTypes, c.EligibleUnitIds, c.NationalIdRequired, c.PredictionKind, c.OnePrizePerPerson, rounds);

    /// <summary>The published bank: current versions of questions that are not retired (tags only, never the key).</summary>
    public static async Task<IReadOnlyList<BankQuestion>> LoadBankAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct) =>
        [.. (await connection.QueryAsync<BankRow>(new CommandDefinition("""
            SELECT v.id AS version_id, v.question_id, v.difficulty, v.viewpoints, v.tasks, v.topics
            FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
            WHERE q.retired_at IS NULL
            ORDER BY v.id
            """, transaction: tx, cancellationToken: ct))).Select(r => new BankQuestion(r.VersionId, r.QuestionId, r.Difficulty, r.Viewpoints, r.Tasks, r.Topics))];
}
