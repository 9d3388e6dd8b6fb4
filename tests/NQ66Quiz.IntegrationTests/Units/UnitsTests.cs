using System.Net.Http.Json;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.IntegrationTests.Units;

public sealed class UnitsTests(AppFixture app) : ContestTest(app)
{
    [Fact]
    public async Task Loading_the_units_file_twice_stores_each_unit_once_and_reports_nothing_changed()
    {
        await App.LoadUnitsAsync();
        await using var connection = App.OpenConnection();
        var first = await connection.QueryAsync<(int, string, string)>("SELECT id, code, name FROM units ORDER BY id");

        var loader = App.Factory.Services.GetServices<NQ66Quiz.Web.Infrastructure.IContentLoader>().Single(l => l.Name == "units");
        using var log = new StringWriter();
        Assert.True(await loader.LoadAsync(TestData.ContentRoot, log, CancellationToken.None));
        var second = await connection.QueryAsync<(int, string, string)>("SELECT id, code, name FROM units ORDER BY id");

        Assert.Equal(143, first.Count());
        Assert.Equal(first, second);
        Assert.Contains("143 units: 0 added, 0 updated, 143 unchanged", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(126, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM units WHERE kind = 'commune'"));
    }

    [Fact]
    public async Task A_changed_row_is_updated_in_place_and_a_headcount_set_by_hand_survives()
    {
        await App.LoadUnitsAsync();
        await using var connection = App.OpenConnection();
        await connection.ExecuteAsync("UPDATE units SET population = 1, headcount = 500 WHERE code = 'phuong-hoan-kiem'");

        await App.LoadUnitsAsync();

        var (population, headcount) = await connection.QuerySingleAsync<(int, int)>("SELECT population, headcount FROM units WHERE code = 'phuong-hoan-kiem'");
        Assert.Equal(105301, population);
        Assert.Equal(500, headcount);
    }

    [Fact]
    public async Task A_broken_units_file_stores_nothing()
    {
        var root = Directory.CreateTempSubdirectory("units-");
        Directory.CreateDirectory(Path.Combine(root.FullName, "units"));
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "units", "hanoi-units.csv"),
            "kind,name,type,former_districts,population,source\ncommune,Phường A,phường,,1,s\nward,Phường B,phường,,1,s\n");
        var loader = App.Factory.Services.GetServices<NQ66Quiz.Web.Infrastructure.IContentLoader>().Single(l => l.Name == "units");
        using var log = new StringWriter();

        var ok = await loader.LoadAsync(root.FullName, log, CancellationToken.None);

        Assert.False(ok);
        Assert.Contains("units/hanoi-units.csv:3: kind must be \"commune\" or \"agency\"", log.ToString(), StringComparison.Ordinal);
        await using var connection = App.OpenConnection();
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*)::int FROM units"));
        root.Delete(recursive: true);
    }

    [Theory]
    [InlineData("hoan kiem", "Phường Hoàn Kiếm")]
    [InlineData("HOÀN KIẾM", "Phường Hoàn Kiếm")]
    [InlineData("so tu phap", "Sở Tư pháp")]
    [InlineData("van mieu", "Phường Văn Miếu - Quốc Tử Giám")]
    public async Task Search_ignores_accents_and_case(string query, string expected)
    {
        await App.LoadUnitsAsync();
        using var client = App.CreateClient();

        var units = await client.GetFromJsonAsync<List<UnitSummary>>($"/api/units?q={Uri.EscapeDataString(query)}");

        Assert.Equal(expected, units![0].Name);
    }

    [Fact]
    public async Task Search_with_decomposed_input_finds_the_same_unit_and_results_are_in_Vietnamese_order()
    {
        await App.LoadUnitsAsync();
        using var client = App.CreateClient();

        var nfd = await client.GetFromJsonAsync<List<UnitSummary>>($"/api/units?q={Uri.EscapeDataString("Hoàn Kiếm".Normalize(NormalizationForm.FormD))}");
        var dong = await client.GetFromJsonAsync<List<UnitSummary>>("/api/units?q=d&limit=200");

        Assert.Equal("Phường Hoàn Kiếm", Assert.Single(nfd!).Name);
        Assert.NotNull(dong);
        Assert.Equal(dong.Select(u => u.Name).Order(VietnameseText.Comparer), dong.Select(u => u.Name));
        // "Xã Dương Hòa" (D) comes before every name whose word starts with Đ.
        Assert.True(dong.FindIndex(u => u.Name == "Xã Dương Hòa") < dong.FindIndex(u => u.Name == "Xã Đông Anh"));
    }
}
