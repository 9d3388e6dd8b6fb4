using Dapper;
using MiniExcelLibs;
using Npgsql;

namespace NQ66Quiz.Web.Features.UnitRankings;

public sealed record ReportWinner(int RoundNumber, int Rank, string PrizeName, string FullName, string UnitName, long RoundId, long ParticipantId);

/// <summary>
/// The XLSX a unit (or the city) files for its interim and final reviews (sơ kết, tổng kết): participation by round,
/// its sub-units, its winners and its knowledge map. One sheet each, Vietnamese headers, numbers as numbers.
/// </summary>
public sealed class UnitReport(NpgsqlDataSource dataSource, UnitFigures figures, KnowledgeMap knowledge, CollectiveRanking ranking)
{
    public static readonly string[] Sheets = ["Tham gia theo tuần", "Đơn vị trực thuộc", "Người đoạt giải", "Bản đồ kiến thức"];

    /// <param name="unitId">The unit reported on; null for the city-wide report (every top-level unit as a "sub-unit").</param>
    public async Task<byte[]> XlsxAsync(long contestId, int? unitId, CancellationToken ct = default)
    {
        var scope = new UnitScope(unitId);
        var all = await figures.FiguresAsync(contestId, scope, ct);
        var byUnit = all.ToLookup(f => f.UnitId);
        // The city report's "sub-units" are the units ranked against each other (the city's children); a unit's are its children.
        var parent = unitId ?? await ranking.RankedParentAsync(ct);
        var children = all.Where(f => f.RoundNumber is null && f.ParentId == parent)
            .OrderBy(f => f.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), true)).ToList();

        var rounds = unitId is { } id
            ? byUnit[id].OrderBy(f => f.RoundNumber ?? int.MaxValue).Select(f => Row(f.RoundNumber, f.Participants, f.Entries, f.Headcount, f.AverageBestScore, f.PerfectScores, f.Winners))
            : CityRounds(all, children);

        var map = await knowledge.ReadAsync(contestId, scope, ct: ct);
        var cells = map.Cells.ToLookup(c => c.UnitId);
        var names = all.Where(f => f.RoundNumber is null).ToDictionary(f => f.UnitId, f => f.Name);
        var mapUnits = unitId is { } u ? [u, .. children.Select(c => c.UnitId)] : children.Select(c => c.UnitId).ToList();

        var sheets = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Sheets[0]] = rounds.ToList(),
            [Sheets[1]] = children.Select(c => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Mã đơn vị"] = c.Code,
                ["Đơn vị"] = c.Name,
                ["Số người thuộc diện"] = c.Headcount,
                ["Người tham gia"] = c.Participants,
                ["Tỷ lệ tham gia (%)"] = c.Rate is { } r ? Math.Round(r * 100, 2) : null,
                ["Lượt thi"] = c.Entries,
                ["Điểm trung bình (lượt tốt nhất)"] = c.AverageBestScore is { } a ? Math.Round(a, 2) : null,
                ["Bài đạt điểm tối đa"] = c.PerfectScores,
                ["Người đoạt giải"] = c.Winners,
            }).ToList(),
            [Sheets[2]] = (await WinnersAsync(contestId, scope, ct)).Select(w => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Tuần thi"] = w.RoundNumber,
                ["Hạng"] = w.Rank,
                ["Giải"] = w.PrizeName,
                ["Họ và tên"] = w.FullName,
                ["Đơn vị"] = w.UnitName,
            }).ToList(),
            [Sheets[3]] = mapUnits.Select(id2 =>
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Đơn vị"] = names.GetValueOrDefault(id2, "") };
                var unitCells = cells[id2].ToDictionary(c => (c.Dimension, c.Tag));
                foreach (var (dimension, tag) in KnowledgeDimensions.Columns)
                {
                    var cell = unitCells.GetValueOrDefault((dimension, tag));
                    var label = KnowledgeDimensions.Label(dimension, tag);
                    row[label + " — % đúng"] = cell?.Share is { } s ? Math.Round(s * 100, 1) : null;
                    row[label + " — số câu trả lời"] = cell?.Answers ?? 0;
                }
                return row;
            }).ToList(),
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: ct);
        return stream.ToArray();
    }

    private static Dictionary<string, object?> Row(int? round, long participants, long entries, int? headcount, double? average, long perfect, long winners) =>
        new(StringComparer.Ordinal)
        {
            ["Tuần thi"] = round is { } n ? $"Tuần {n}" : "Cả cuộc thi",
            ["Người tham gia"] = participants,
            ["Lượt thi"] = entries,
            ["Số người thuộc diện"] = headcount,
            ["Tỷ lệ tham gia (%)"] = headcount is > 0 ? Math.Round(participants * 100.0 / headcount.Value, 2) : null,
            ["Điểm trung bình (lượt tốt nhất)"] = average is { } a ? Math.Round(a, 2) : null,
            ["Bài đạt điểm tối đa"] = perfect,
            ["Người đoạt giải"] = winners,
        };

    // City-wide: sums of the top units per round. Participants are distinct within each top unit; a person who entered
    // for two top units counts twice, as in the city's own tally of its units' reports.
    private static IEnumerable<Dictionary<string, object?>> CityRounds(IReadOnlyList<UnitFigure> all, List<UnitFigure> tops)
    {
        var topIds = tops.Select(t => t.UnitId).ToHashSet();
        var headcount = tops.All(t => t.Headcount is not null) ? tops.Sum(t => t.Headcount!.Value) : (int?)null;
        return all.Where(f => topIds.Contains(f.UnitId)).GroupBy(f => f.RoundNumber).OrderBy(g => g.Key ?? int.MaxValue).Select(g =>
        {
            var participants = g.Sum(f => f.Participants);
            var scored = g.Where(f => f.AverageBestScore is not null).ToList();
            var average = scored.Count > 0 && scored.Sum(f => f.Participants) > 0
                ? scored.Sum(f => f.AverageBestScore!.Value * f.Participants) / scored.Sum(f => f.Participants) : (double?)null;
            return Row(g.Key, participants, g.Sum(f => f.Entries), headcount, average, g.Sum(f => f.PerfectScores), g.Sum(f => f.Winners));
        });
    }

    public async Task<IReadOnlyList<ReportWinner>> WinnersAsync(long contestId, UnitScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<ReportWinner>(new CommandDefinition($"""
            SELECT r.number AS round_number, rr.rank, rr.prize_name, p.full_name, u.name AS unit_name, rr.round_id, rr.participant_id
            FROM round_results rr
            JOIN contest_rounds r ON r.id = rr.round_id
            JOIN participants p ON p.id = rr.participant_id
            JOIN units u ON u.id = rr.unit_id
            WHERE r.contest_id = @contestId AND r.results_published_at IS NOT NULL AND rr.prize_code IS NOT NULL
              AND {UnitScope.Filter("rr.unit_id")}
            ORDER BY r.number, rr.rank
            """, new { contestId, ScopeRoot = scope.RootUnitId }, cancellationToken: ct))];
    }

    public static string Percent(double? rate) => UnitRanking.Percent(rate);
}
