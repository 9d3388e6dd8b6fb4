using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MiniExcelLibs;

namespace NQ66Quiz.Web.Features.Units;

/// <summary>One sub-unit row of an import sheet, as typed (cleaned to NFC). Row is the sheet's row number (header = 1).</summary>
public sealed record SubUnitRow(int Row, string? ParentCode, string Name, string? KindText, string? Code, string? HeadcountText);

/// <summary>A problem with one cell: the row and the column header the organizer sees, and what to do.</summary>
public sealed record SheetError(int Row, string Column, string Message)
{
    public override string ToString() => Row > 0 ? $"Dòng {Row}, cột \"{Column}\": {Message}" : Message;
}

/// <summary>
/// The sub-unit sheet (XLSX or CSV, same columns): what organizers fill in to add schools, offices, residential groups…
/// and what the directory exports. Columns are found by header, in any order; accents in headers optional.
/// </summary>
public static partial class UnitsSheet
{
    public const string ParentCode = "Mã đơn vị cấp trên";
    public const string Name = "Tên đơn vị";
    public const string Kind = "Loại";
    public const string Code = "Mã đơn vị";
    public const string Headcount = "Số người thuộc diện tham gia";
    public const string ParentName = "Đơn vị cấp trên";
    public const string Source = "Nguồn";
    public const string SheetName = "Đơn vị";

    public static readonly string[] ImportColumns = [ParentCode, Name, Kind, Code, Headcount];
    public static readonly string[] ExportColumns = [Code, Name, Kind, ParentCode, ParentName, Headcount, Source];

    public const int MaxRows = 5000;

    public static (IReadOnlyList<SubUnitRow> Rows, IReadOnlyList<SheetError> Errors) Read(Stream stream, string fileName)
    {
        List<(int Row, Dictionary<string, string> Cells)> records;
        try
        {
            records = fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(stream) : ReadXlsx(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return ([], [new SheetError(0, "", "Không đọc được tệp: chọn tệp .xlsx hoặc .csv (UTF-8) theo mẫu tải về từ trang này.")]);
        }
        if (records.Count == 0)
        {
            return ([], [new SheetError(0, "", $"Tệp không có dòng tiêu đề. Dòng 1 cần các cột: {string.Join(", ", ImportColumns)}.")]);
        }
        var errors = new List<SheetError>();
        var header = records[0].Cells;
        if (!header.ContainsKey(Key(Name)))
        {
            errors.Add(new SheetError(1, Name, $"Thiếu cột \"{Name}\". Dòng 1 cần các cột: {string.Join(", ", ImportColumns)}."));
            return ([], errors);
        }
        var rows = new List<SubUnitRow>();
        foreach (var (row, cells) in records.Skip(1))
        {
            string? Cell(string column) => cells.TryGetValue(Key(column), out var v) && VietnameseText.Clean(v) is { Length: > 0 } c ? c : null;
            if (cells.Values.All(v => string.IsNullOrWhiteSpace(v)))
            {
                continue;
            }
            rows.Add(new SubUnitRow(row, Cell(ParentCode), Cell(Name) ?? "", Cell(Kind), Cell(Code), Cell(Headcount)));
        }
        if (rows.Count > MaxRows)
        {
            errors.Add(new SheetError(0, "", $"Tệp có {rows.Count} đơn vị; mỗi lần nhập tối đa {MaxRows}. Tách thành nhiều tệp."));
        }
        return (rows, errors);
    }

    /// <summary>"1200", "1.200", "1 200" → 1200; anything else (negative, decimal, text) → null.</summary>
    public static int? ParseHeadcount(string? text)
    {
        if (text is null || !Grouped().IsMatch(text))
        {
            return null;
        }
        return int.TryParse(text.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal),
            NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000_000 ? n : null;
    }

    [GeneratedRegex(@"^(\d+|\d{1,3}([., ]\d{3})+)$")]
    private static partial Regex Grouped();

    /// <summary>Header cells compared without accents, case or spacing ("so nguoi thuoc dien tham gia" matches).</summary>
    private static string Key(string header) => VietnameseText.Fold(header);

    private static List<(int, Dictionary<string, string>)> ReadCsv(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd().TrimStart('\uFEFF');
        var records = UnitsCsv.Records(text).ToList();
        if (records.Count == 0)
        {
            return [];
        }
        var header = records[0].Fields.Select(Key).ToList();
        return [.. records.Select(r => (r.Line, header.Select((h, i) => (h, v: i < r.Fields.Count ? r.Fields[i] : ""))
            .Where(x => x.h.Length > 0).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().v, StringComparer.Ordinal)))];
    }

    private static List<(int, Dictionary<string, string>)> ReadXlsx(Stream stream)
    {
        // Without a header row MiniExcel keys cells by column letter, and keeps row 1 so we can read the headers ourselves.
        var raw = MiniExcel.Query(stream, useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        if (raw.Count == 0)
        {
            return [];
        }
        var header = raw[0].ToDictionary(kv => kv.Key, kv => Key(Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""), StringComparer.Ordinal);
        return [.. raw.Select((cells, i) => (i + 1, header.Where(h => h.Value.Length > 0).GroupBy(h => h.Value)
            .ToDictionary(g => g.Key, g => Text(cells.TryGetValue(g.First().Key, out var v) ? v : null), StringComparer.Ordinal)))];
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
