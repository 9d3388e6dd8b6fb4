using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Tests.Units;

public sealed class UnitsCsvTests
{
    private const string Header = "kind,name,type,former_districts,population,source\n";

    [Fact]
    public void Parses_rows_with_quoted_commas_and_computes_code_and_search_key()
    {
        var (rows, errors) = UnitsCsv.Parse(Header
            + "commune,Phường Hoàn Kiếm,phường,Quận Ba Đình; Quận Hoàn Kiếm,105301,NQ 1656\n"
            + "agency,Trung tâm Phục vụ hành chính công,\"trung tâm (thí điểm, thuộc UBND)\",,,nld.com.vn\n", "u.csv");

        Assert.Empty(errors);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new UnitRow("phuong-hoan-kiem", "commune", "Phường Hoàn Kiếm", "phường", "Quận Ba Đình; Quận Hoàn Kiếm", 105301, "NQ 1656", "phuong hoan kiem"), rows[0]);
        Assert.Equal("trung tâm (thí điểm, thuộc UBND)", rows[1].Type);
        Assert.Null(rows[1].Population);
        Assert.Null(rows[1].FormerDistricts);
    }

    [Fact]
    public void Reports_every_bad_line_with_its_number()
    {
        var (_, errors) = UnitsCsv.Parse(Header
            + "ward,Phường A,phường,,1,s\n"
            + "commune,Phường B,phường,,nhiều,s\n"
            + "commune,Phường C,phường\n"
            + "commune,Phường  Hoàn Kiếm,phường,,1,s\n"
            + "commune,Phường Hoàn Kiếm,phường,,1,s\n", "u.csv");

        Assert.Collection(errors,
            e => Assert.StartsWith("u.csv:2: kind must be", e, StringComparison.Ordinal),
            e => Assert.StartsWith("u.csv:3: population must be a whole number", e, StringComparison.Ordinal),
            e => Assert.StartsWith("u.csv:4: expected 6 fields", e, StringComparison.Ordinal),
            e => Assert.Equal("u.csv:6: \"Phường Hoàn Kiếm\" repeats the unit on line 5", e));
    }

    [Fact]
    public void Refuses_a_file_with_another_header()
    {
        var (rows, errors) = UnitsCsv.Parse("name,kind\nPhường A,commune\n", "u.csv");

        Assert.Empty(rows);
        Assert.StartsWith("u.csv:1: the header must be", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_units_file_has_126_communes_and_wards_and_the_city_agencies()
    {
        var path = Path.Combine(RepositoryRoot(), "content", "units", "hanoi-units.csv");

        var (rows, errors) = UnitsCsv.Parse(File.ReadAllText(path), "hanoi-units.csv");

        Assert.Empty(errors);
        Assert.Equal(126, rows.Count(r => r.Kind == "commune"));
        Assert.Equal(51, rows.Count(r => r.Type == "phường"));
        Assert.Equal(75, rows.Count(r => r.Type == "xã"));
        Assert.Contains(rows, r => r.Name == "Sở Tư pháp" && r.Kind == "agency");
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NQ66Quiz.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("NQ66Quiz.sln not found above " + AppContext.BaseDirectory);
    }
}
