using System.Text.Json;
using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.UnitRankings;

/// <summary>What an organizer sends to set a contest's collective ranking rule. Rates are 0–1.</summary>
public sealed record UnitRankingSettingsRequest(string? Method, List<MinimumRate>? MinRates, double? RatePoints,
    Dictionary<string, double>? PrizePoints, List<PrizeTier>? Prizes);

public sealed record UnitRankingRow(int Position, int Rank, int UnitId, string UnitName, int? Headcount, int Participants, double? Rate,
    double? AverageScore, double Points, bool Eligible, string? IneligibleReason, string? PrizeCode, string? PrizeName);

/// <summary>A contest's collective ranking as organizers review it (or the public sees it once published).</summary>
public sealed record UnitRankingView(long ContestId, UnitRankingRule Rule, string RuleText, DateTimeOffset? ComputedAt,
    DateTimeOffset? PublishedAt, IReadOnlyList<UnitRankingRow> Rows);

/// <summary>
/// Collective prizes, as individual prizes are: organizers compute (and recompute) the ranking of the top-level units
/// from the exact figures, review it, then publish; after publishing it no longer changes.
/// </summary>
public sealed class CollectiveRanking(NpgsqlDataSource dataSource, UnitFigures figures, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record SettingsRow(string Method, string MinRates, double RatePoints, string PrizePoints, string PrizeStructure,
        DateTime? ComputedAt, DateTime? PublishedAt);

    public async Task<(UnitRankingRule Rule, DateTimeOffset? ComputedAt, DateTimeOffset? PublishedAt)> SettingsAsync(long contestId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition("""
            SELECT method, min_rates::text, rate_points::double precision, prize_points::text, prize_structure::text, computed_at, published_at
            FROM unit_ranking_settings WHERE contest_id = @contestId
            """, new { contestId }, cancellationToken: ct));
        if (row is null)
        {
            return (UnitRankingRule.Default, null, null);
        }
        var rule = new UnitRankingRule(row.Method, JsonSerializer.Deserialize<List<MinimumRate>>(row.MinRates, Json) ?? [], row.RatePoints,
            JsonSerializer.Deserialize<Dictionary<string, double>>(row.PrizePoints, Json) ?? [],
            JsonSerializer.Deserialize<List<PrizeTier>>(row.PrizeStructure, Json) ?? []);
        return (rule, Utc(row.ComputedAt), Utc(row.PublishedAt));
    }

    public async Task<SetupResult<UnitRankingView>> SaveSettingsAsync(long contestId, UnitRankingSettingsRequest request, CancellationToken ct = default)
    {
        var current = await SettingsAsync(contestId, ct);
        if (!await ContestExistsAsync(contestId, ct))
        {
            return new SetupResult<UnitRankingView>.NotFound();
        }
        if (current.PublishedAt is not null)
        {
            return new SetupResult<UnitRankingView>.Refused("Kết quả xếp hạng tập thể đã công bố; không đổi cách xếp hạng được nữa.");
        }
        var rule = new UnitRankingRule(request.Method ?? current.Rule.Method, request.MinRates ?? [.. current.Rule.MinRates],
            request.RatePoints ?? current.Rule.RatePoints, request.PrizePoints ?? new(current.Rule.PrizePoints, StringComparer.Ordinal),
            request.Prizes ?? [.. current.Rule.Prizes]);
        var errors = UnitRanking.Validate(rule);
        if (errors.Count > 0)
        {
            return new SetupResult<UnitRankingView>.Invalid(errors);
        }
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            // A new rule makes a computed ranking stale: it is dropped and must be computed again before publishing.
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO unit_ranking_settings (contest_id, method, min_rates, rate_points, prize_points, prize_structure, updated_at)
                VALUES (@contestId, @Method, @minRates::jsonb, @RatePoints, @prizePoints::jsonb, @prizes::jsonb, @now)
                ON CONFLICT (contest_id) DO UPDATE SET method = excluded.method, min_rates = excluded.min_rates, rate_points = excluded.rate_points,
                    prize_points = excluded.prize_points, prize_structure = excluded.prize_structure, computed_at = NULL, updated_at = excluded.updated_at;
                DELETE FROM unit_prizes WHERE contest_id = @contestId;
                """, new
            {
                contestId,
                rule.Method,
                minRates = JsonSerializer.Serialize(rule.MinRates, Json),
                rule.RatePoints,
                prizePoints = JsonSerializer.Serialize(rule.PrizePoints, Json),
                prizes = JsonSerializer.Serialize(rule.Prizes, Json),
                now = clock.GetUtcNow(),
            }, cancellationToken: ct));
        }
        return new SetupResult<UnitRankingView>.Ok(await ReviewAsync(contestId, ct));
    }

    /// <summary>
    /// The units ranked against each other: the children of the city when the directory has one root, otherwise the
    /// top-level units (the shipped flat list of communes, wards and agencies).
    /// </summary>
    public async Task<int?> RankedParentAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var roots = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT id FROM units u WHERE parent_id IS NULL AND EXISTS (SELECT 1 FROM units c WHERE c.parent_id = u.id) LIMIT 2", cancellationToken: ct))).ToList();
        var tops = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM units WHERE parent_id IS NULL", cancellationToken: ct));
        return roots.Count == 1 && tops == 1 ? roots[0] : null;
    }

    /// <summary>The ranking now, from the exact figures, under the contest's rule (nothing stored).</summary>
    public async Task<List<RankedUnit>> CurrentAsync(long contestId, CancellationToken ct = default)
    {
        var (rule, _, _) = await SettingsAsync(contestId, ct);
        return UnitRanking.Rank(rule, await StandingsAsync(contestId, ct));
    }

    public async Task<List<UnitStanding>> StandingsAsync(long contestId, CancellationToken ct = default)
    {
        var parent = await RankedParentAsync(ct);
        var all = await figures.FiguresAsync(contestId, UnitScope.All, ct);
        var prizes = (await figures.PrizeCountsAsync(contestId, UnitScope.All, ct)).ToLookup(p => p.UnitId);
        return [.. all.Where(f => f.RoundNumber is null && f.ParentId == parent)
            .Select(f => new UnitStanding(f.UnitId, f.Name, f.Headcount, (int)f.Participants, f.AverageBestScore,
                prizes[f.UnitId].ToDictionary(p => p.PrizeCode, p => (int)p.Winners, StringComparer.Ordinal)))];
    }

    public async Task<SetupResult<UnitRankingView>> ComputeAsync(long contestId, CancellationToken ct = default)
    {
        if (!await ContestExistsAsync(contestId, ct))
        {
            return new SetupResult<UnitRankingView>.NotFound();
        }
        var (rule, _, published) = await SettingsAsync(contestId, ct);
        if (published is not null)
        {
            return new SetupResult<UnitRankingView>.Refused("Kết quả xếp hạng tập thể đã công bố; không tính lại được.");
        }
        var ranked = UnitRanking.Rank(rule, await StandingsAsync(contestId, ct));
        var now = clock.GetUtcNow();
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var state = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition("""
                INSERT INTO unit_ranking_settings (contest_id, method, min_rates, rate_points, prize_points, prize_structure, updated_at)
                VALUES (@contestId, @Method, @minRates::jsonb, @RatePoints, @prizePoints::jsonb, @prizes::jsonb, @now)
                ON CONFLICT (contest_id) DO UPDATE SET updated_at = unit_ranking_settings.updated_at
                RETURNING published_at
                """, new
            {
                contestId,
                rule.Method,
                minRates = JsonSerializer.Serialize(rule.MinRates, Json),
                rule.RatePoints,
                prizePoints = JsonSerializer.Serialize(rule.PrizePoints, Json),
                prizes = JsonSerializer.Serialize(rule.Prizes, Json),
                now,
            }, tx, cancellationToken: ct));
            if (state is not null)
            {
                return new SetupResult<UnitRankingView>.Refused("Kết quả xếp hạng tập thể đã công bố; không tính lại được.");
            }
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM unit_prizes WHERE contest_id = @contestId", new { contestId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO unit_prizes (contest_id, rank, position, unit_id, headcount, participants, rate, avg_score, points, eligible, prize_code, prize_name, ineligible_reason)
                SELECT @contestId, * FROM unnest(@ranks, @positions, @units, @headcounts, @participants, @rates, @avgs, @points, @eligible, @codes, @names, @reasons)
                """, new
            {
                contestId,
                ranks = ranked.Select(r => r.Rank).ToArray(),
                positions = ranked.Select(r => r.Position).ToArray(),
                units = ranked.Select(r => r.Unit.UnitId).ToArray(),
                headcounts = ranked.Select(r => r.Unit.Headcount).ToArray(),
                participants = ranked.Select(r => r.Unit.Participants).ToArray(),
                rates = ranked.Select(r => r.Unit.Rate).ToArray(),
                avgs = ranked.Select(r => r.Unit.AverageScore).ToArray(),
                points = ranked.Select(r => r.Points).ToArray(),
                eligible = ranked.Select(r => r.Eligible).ToArray(),
                codes = ranked.Select(r => r.Prize?.Code).ToArray(),
                names = ranked.Select(r => r.Prize?.Name).ToArray(),
                reasons = ranked.Select(r => r.IneligibleReason).ToArray(),
            }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE unit_ranking_settings SET computed_at = @now, updated_at = @now WHERE contest_id = @contestId", new { contestId, now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        return new SetupResult<UnitRankingView>.Ok(await ReviewAsync(contestId, ct));
    }

    public async Task<SetupResult<UnitRankingView>> PublishAsync(long contestId, CancellationToken ct = default)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE unit_ranking_settings SET published_at = @now, updated_at = @now
                WHERE contest_id = @contestId AND computed_at IS NOT NULL AND published_at IS NULL
                """, new { contestId, now = clock.GetUtcNow() }, cancellationToken: ct));
            if (updated == 0 && !await ContestExistsAsync(contestId, ct))
            {
                return new SetupResult<UnitRankingView>.NotFound();
            }
        }
        var view = await ReviewAsync(contestId, ct);
        return view.ComputedAt is null
            ? new SetupResult<UnitRankingView>.Refused("Chưa tính xếp hạng tập thể; hãy tính và xem lại trước khi công bố.")
            : new SetupResult<UnitRankingView>.Ok(view);
    }

    /// <summary>The stored ranking (empty until computed) with the rule and its state.</summary>
    public async Task<UnitRankingView> ReviewAsync(long contestId, CancellationToken ct = default)
    {
        var (rule, computed, published) = await SettingsAsync(contestId, ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<UnitRankingRow>(new CommandDefinition("""
            SELECT p.position, p.rank, p.unit_id, u.name AS unit_name, p.headcount, p.participants, p.rate, p.avg_score AS average_score,
                   p.points, p.eligible, p.ineligible_reason, p.prize_code, p.prize_name
            FROM unit_prizes p JOIN units u ON u.id = p.unit_id
            WHERE p.contest_id = @contestId ORDER BY p.position
            """, new { contestId }, cancellationToken: ct));
        return new UnitRankingView(contestId, rule, UnitRanking.Describe(rule), computed, published, [.. rows]);
    }

    /// <summary>The published collective ranking, or null before it is published.</summary>
    public async Task<UnitRankingView?> PublishedAsync(long contestId, CancellationToken ct = default)
    {
        var view = await ReviewAsync(contestId, ct);
        return view.PublishedAt is null ? null : view;
    }

    private async Task<bool> ContestExistsAsync(long contestId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM contests WHERE id = @contestId)", new { contestId }, cancellationToken: ct));
    }

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
