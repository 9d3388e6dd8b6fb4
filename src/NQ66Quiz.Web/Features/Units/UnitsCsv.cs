using System.Globalization;
using System.Text;

namespace NQ66Quiz.Web.Features.Units;

public sealed record UnitRow(string Code, string Kind, string Name, string Type, string? FormerDistricts, int? Population, string? Source, string SearchKey);

/// <summary>
/// Reads <c>content/units/hanoi-units.csv</c> (header <c>kind,name,type,former_districts,population,source</c>, RFC 4180
/// quoting). Pure: returns the rows or every error with its line, so the loader stores nothing from a broken file.
/// </summary>
public static class UnitsCsv
{
    public static readonly string[] Header = ["kind", "name", "type", "former_districts", "population", "source"];

    public static (IReadOnlyList<UnitRow> Rows, IReadOnlyList<string> Errors) Parse(string text, string fileName)
    {
        var rows = new List<UnitRow>();
        var errors = new List<string>();
        var records = Records(text).ToList();
        if (records.Count == 0 || !records[0].Fields.SequenceEqual(Header))
        {
            errors.Add($"{fileName}:1: the header must be \"{string.Join(',', Header)}\"");
            return (rows, errors);
        }
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }
            if (fields.Count != Header.Length)
            {
                errors.Add($"{fileName}:{line}: expected {Header.Length} fields, found {fields.Count}");
                continue;
            }
            var kind = fields[0].Trim();
            var name = VietnameseText.Clean(fields[1]);
            var type = VietnameseText.Clean(fields[2]);
            if (kind is not ("commune" or "agency"))
            {
                errors.Add($"{fileName}:{line}: kind must be \"commune\" or \"agency\", not \"{kind}\"");
            }
            if (name.Length == 0 || type.Length == 0)
            {
                errors.Add($"{fileName}:{line}: name and type are required");
                continue;
            }
            int? population = null;
            if (fields[4].Trim().Length > 0)
            {
                if (int.TryParse(fields[4].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                {
                    population = p;
                }
                else
                {
                    errors.Add($"{fileName}:{line}: population must be a whole number, not \"{fields[4]}\"");
                }
            }
            var code = VietnameseText.Slug(name);
            if (codes.TryGetValue(code, out var firstLine))
            {
                errors.Add($"{fileName}:{line}: \"{name}\" repeats the unit on line {firstLine}");
                continue;
            }
            codes[code] = line;
            rows.Add(new UnitRow(code, kind, name, type, NullIfEmpty(fields[3]), population, NullIfEmpty(fields[5]), VietnameseText.Fold(name)));
        }
        return (rows, errors);
    }

    private static string? NullIfEmpty(string s) => VietnameseText.Clean(s) is { Length: > 0 } c ? c : null;

    /// <summary>RFC 4180 records with the line each starts on; quoted fields may hold commas, quotes ("") and newlines.</summary>
    internal static IEnumerable<(int Line, List<string> Fields)> Records(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                fields.Add(field.ToString());
                field.Clear();
                yield return (start, fields);
                fields = [];
                start = ++line;
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
