using System.Globalization;
using System.Text;
using MiniExcelLibs;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>Winners or the full ranking of a round as XLSX (MiniExcel) or CSV (UTF-8 with BOM so Excel reads the accents).</summary>
public static class ResultsExport
{
    public static readonly string[] Columns =
    [
        "Hạng", "Giải", "Họ và tên", "Ngày sinh", "Số điện thoại", "Số CCCD", "Đơn vị", "Đối tượng", "Số câu đúng", "Số câu",
        "Dự đoán", "Chênh lệch dự đoán", "Thời gian làm bài (giây)", "Thời điểm nộp (giờ Việt Nam)",
    ];

    public static IEnumerable<Dictionary<string, object?>> Table(IEnumerable<ResultRow> rows) => rows.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["Hạng"] = r.Rank,
        ["Giải"] = r.PrizeName ?? "",
        ["Họ và tên"] = r.FullName,
        ["Ngày sinh"] = r.DateOfBirth?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "",
        ["Số điện thoại"] = r.Phone ?? "",
        ["Số CCCD"] = r.NationalId ?? "",
        ["Đơn vị"] = r.UnitName,
        ["Đối tượng"] = ParticipantTypes.Names.GetValueOrDefault(r.ParticipantType, r.ParticipantType),
        ["Số câu đúng"] = r.Score,
        ["Số câu"] = r.QuestionCount,
        ["Dự đoán"] = r.Prediction,
        ["Chênh lệch dự đoán"] = r.PredictionDistance,
        ["Thời gian làm bài (giây)"] = Math.Round(r.DurationMs / 1000m, 3),
        ["Thời điểm nộp (giờ Việt Nam)"] = VietnamTime.ToLocal(r.SubmittedAt).ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture),
    });

    public static async Task<byte[]> XlsxAsync(IEnumerable<ResultRow> rows, string sheet, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(Table(rows).ToList(), sheetName: sheet, cancellationToken: ct);
        return stream.ToArray();
    }

    public static byte[] Csv(IEnumerable<ResultRow> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(Field)).Append("\r\n");
        foreach (var row in Table(rows))
        {
            text.AppendJoin(',', Columns.Select(c => Field(Convert.ToString(row[c], CultureInfo.InvariantCulture) ?? ""))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs a cell as a formula.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
