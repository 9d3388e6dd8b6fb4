using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.UnitRankings;

public sealed record UnitPageView(ContestView Contest, UnitFigure Unit, IReadOnlyList<UnitFigure> Rounds, IReadOnlyList<UnitFigure> SubUnits,
    KnowledgeMapView Map, IReadOnlyList<ParticipationDay> OverTime, RankedUnit? Ranked, int RankedCount);

public sealed record WidgetView(string ContestSlug, string ContestName, string UnitCode, string UnitName, long Participants, int? Headcount,
    double? Rate, int? Rank, int RankedCount);

/// <summary>What the unit pages, the public page and the widget show, assembled from the figures and the ranking.</summary>
public sealed class UnitPages(NpgsqlDataSource dataSource, Organizers.ScopeGuard guard, ContestStore contests, UnitFigures figures, KnowledgeMap knowledge, CollectiveRanking ranking)
{
    public async Task<PublicUnitsView?> PublicAsync(string slug, CancellationToken ct = default)
    {
        if (await contests.GetAsync(slug, ct) is not { } contest)
        {
            return null;
        }
        var codes = await CodesAsync(ct);
        var current = await ranking.CurrentAsync(contest.Id, ct);
        var published = await ranking.PublishedAsync(contest.Id, ct);
        IReadOnlyList<PublicUnitRow> rows = published is not null
            ? [.. published.Rows.Select(r => new PublicUnitRow(r.Rank, r.UnitId, codes.GetValueOrDefault(r.UnitId, ""), r.UnitName, r.Headcount, r.Participants, r.Rate, r.AverageScore, r.PrizeName))]
            : [.. current.Select(r => new PublicUnitRow(r.Rank, r.Unit.UnitId, codes.GetValueOrDefault(r.Unit.UnitId, ""), r.Unit.Name, r.Unit.Headcount, r.Unit.Participants, r.Unit.Rate, r.Unit.AverageScore, null))];
        var topByRate = current.Where(r => r.Unit.Rate is not null)
            .OrderByDescending(r => r.Unit.Rate).ThenByDescending(r => r.Unit.Participants).Take(10)
            .Select(r => new PublicUnitRow(r.Rank, r.Unit.UnitId, codes.GetValueOrDefault(r.Unit.UnitId, ""), r.Unit.Name, r.Unit.Headcount, r.Unit.Participants, r.Unit.Rate, r.Unit.AverageScore, null))
            .ToList();
        var (rule, _, _) = await ranking.SettingsAsync(contest.Id, ct);
        return new PublicUnitsView(contest.Slug, contest.Name, UnitRanking.Describe(rule), published is not null, rows, topByRate,
            await figures.OverTimeAsync(contest.Id, UnitScope.All, ct));
    }

    /// <returns>Null when the contest or the unit does not exist, or the unit lies outside <paramref name="caller"/>'s scope.</returns>
    public async Task<UnitPageView?> UnitAsync(long contestId, int unitId, Organizers.OrganizerScope caller, CancellationToken ct = default)
    {
        if (await contests.GetAsync(contestId, ct) is not { } contest || !await guard.UnitAsync(caller, unitId, ct))
        {
            return null;
        }
        var own = new UnitScope(unitId);
        var all = await figures.FiguresAsync(contestId, own, ct);
        if (all.FirstOrDefault(f => f.UnitId == unitId && f.RoundNumber is null) is not { } unit)
        {
            return null;
        }
        var vi = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), true);
        var current = await ranking.CurrentAsync(contestId, ct);
        return new UnitPageView(contest, unit,
            [.. all.Where(f => f.UnitId == unitId && f.RoundNumber is not null).OrderBy(f => f.RoundNumber)],
            [.. all.Where(f => f.ParentId == unitId && f.RoundNumber is null).OrderBy(f => f.Name, vi)],
            await knowledge.ReadAsync(contestId, own, ct: ct),
            await figures.OverTimeAsync(contestId, own, ct),
            current.FirstOrDefault(r => r.Unit.UnitId == unitId), current.Count);
    }

    public async Task<WidgetView?> WidgetAsync(string slug, string unitCode, CancellationToken ct = default)
    {
        if (await contests.GetAsync(slug, ct) is not { } contest)
        {
            return null;
        }
        int? unitId;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            unitId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("SELECT id FROM units WHERE code = @unitCode", new { unitCode }, cancellationToken: ct));
        }
        if (unitId is not { } id)
        {
            return null;
        }
        var unit = (await figures.FiguresAsync(contest.Id, new UnitScope(id), ct)).First(f => f.UnitId == id && f.RoundNumber is null);
        var current = await ranking.CurrentAsync(contest.Id, ct);
        var ranked = current.FirstOrDefault(r => r.Unit.UnitId == id);
        return new WidgetView(contest.Slug, contest.Name, unit.Code, unit.Name, unit.Participants, unit.Headcount, unit.Rate, ranked?.Rank, current.Count);
    }

    private async Task<Dictionary<int, string>> CodesAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(int Id, string Code)>(new CommandDefinition("SELECT id, code FROM units", cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => r.Code);
    }
}
