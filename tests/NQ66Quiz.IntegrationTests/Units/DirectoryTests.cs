using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using MiniExcelLibs;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.IntegrationTests.Units;

/// <summary>The unit tree: sub-units added one by one and from sheets, exported, searched at registration, headcounts.</summary>
public sealed class DirectoryTests(AppFixture app) : ContestTest(app)
{
    private static MultipartFormDataContent File(string name, byte[] bytes)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", name);
        return form;
    }

    private static byte[] Csv(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    private async Task<int> CountAsync()
    {
        await using var db = App.OpenConnection();
        return await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM units");
    }

    [Fact]
    public async Task A_unit_organizer_adds_a_school_that_registration_finds_without_accents_with_its_ward()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);

        using var added = await organizer.PostAsJsonAsync("/api/organizer/units", new SubUnitRequest(ward, "Trường THCS Chu Văn An", "Trường học", Headcount: 900));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var school = (await added.Content.ReadFromJsonAsync<UnitNode>())!;
        using var anonymous = App.CreateClient();
        var byName = await anonymous.GetFromJsonAsync<List<UnitSummary>>("/api/units?q=thcs%20chu%20van%20an");
        var byWard = await anonymous.GetFromJsonAsync<List<UnitSummary>>("/api/units?q=hoan%20kiem");
        var (client, profile) = await App.RegisterAsync(TestData.Registration("0912345678", school.Id));
        using var _ = client;

        Assert.Equal(("school", ward, 900), (school.Kind, school.ParentId, school.Headcount));
        Assert.Equal("Trường THCS Chu Văn An — Phường Hoàn Kiếm", Assert.Single(byName!).Label);
        Assert.Equal("Phường Hoàn Kiếm", byWard![0].Name);
        Assert.Contains(byWard, u => u.Id == school.Id && u.ParentName == "Phường Hoàn Kiếm");
        Assert.Equal("Trường THCS Chu Văn An", profile.UnitName);
    }

    [Fact]
    public async Task A_sheet_with_wrong_rows_stores_nothing_and_each_error_names_its_row_and_column_in_Vietnamese()
    {
        await App.LoadUnitsAsync();
        using var admin = await App.CreateOrganizerClientAsync();
        var before = await CountAsync();
        var sheet = Csv("""
            Mã đơn vị cấp trên,Tên đơn vị,Loại,Mã đơn vị,Số người thuộc diện tham gia
            phuong-hoan-kiem,Trường Tiểu học Tràng An,Trường học,,600
            phuong-hoan-kiem,Tổ dân phố số 1,Làng,,
            phuong-khong-co,Trường Mầm non Hoa Sen,Trường học,,
            phuong-hoan-kiem,,Cơ quan,,
            phuong-hoan-kiem,Trường THCS Ngô Sĩ Liên,Trường học,,một nghìn
            phuong-hoan-kiem,Trường Tiểu học Tràng An,Trường học,,
            """);

        using var response = await admin.PostAsync("/api/organizer/units/import", File("don-vi.csv", sheet));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([(3, "Loại"), (4, "Mã đơn vị cấp trên"), (5, "Tên đơn vị"), (6, "Số người thuộc diện tham gia"), (7, "Tên đơn vị")], errors);
        Assert.StartsWith("\"Làng\" không phải loại đơn vị", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("chưa lưu đơn vị nào", body.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task An_xlsx_sheet_adds_sub_units_on_two_levels_exports_them_and_imports_back_unchanged()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["Mã đơn vị cấp trên"] = null, ["Tên đơn vị"] = "Trường THCS Trưng Vương", ["Loại"] = "truong hoc", ["Mã đơn vị"] = "thcs-trung-vuong", ["Số người thuộc diện tham gia"] = 1200 },
            new() { ["Mã đơn vị cấp trên"] = "thcs-trung-vuong", ["Tên đơn vị"] = "Tổ Ngữ văn", ["Loại"] = "Cơ quan", ["Mã đơn vị"] = null, ["Số người thuộc diện tham gia"] = "1.050" },
            new() { ["Mã đơn vị cấp trên"] = null, ["Tên đơn vị"] = "Tổ dân phố số 5", ["Loại"] = "Thôn, tổ dân phố", ["Mã đơn vị"] = null, ["Số người thuộc diện tham gia"] = null },
        };
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(rows);

        using var imported = await organizer.PostAsync($"/api/organizer/units/import?parentId={ward}", File("don-vi.xlsx", sheet.ToArray()));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var summary = await imported.Content.ReadFromJsonAsync<ImportSummary>();
        var export = await organizer.GetByteArrayAsync("/api/organizer/units/export");
        var exported = MiniExcel.Query(new MemoryStream(export), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        using var again = await organizer.PostAsync("/api/organizer/units/import", File("danh-muc-don-vi.xlsx", export));
        var second = await again.Content.ReadFromJsonAsync<ImportSummary>();

        Assert.Equal(new ImportSummary(3, 0, 0), summary);
        Assert.Equal(["Phường Hoàn Kiếm", "Tổ dân phố số 5", "Trường THCS Trưng Vương", "Tổ Ngữ văn"], exported.Select(r => (string)r["Tên đơn vị"]!));
        var group = exported.Single(r => (string)r["Tên đơn vị"]! == "Tổ Ngữ văn");
        Assert.Equal(("thcs-trung-vuong", "Trường THCS Trưng Vương", 1050d), ((string)group["Mã đơn vị cấp trên"]!, (string)group["Đơn vị cấp trên"]!, Convert.ToDouble(group["Số người thuộc diện tham gia"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // The ward itself is in the export too (unchanged: shipped units only take a headcount from a sheet).
        Assert.Equal(new ImportSummary(0, 0, 4), second);
    }

    [Fact]
    public async Task A_unit_organizer_adds_and_imports_only_below_their_own_unit_and_lists_only_their_subtree()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        var other = await App.UnitIdAsync("Phường Ba Đình");
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);
        var before = await CountAsync();

        using var add = await organizer.PostAsJsonAsync("/api/organizer/units", new SubUnitRequest(other, "Trường Tiểu học Ba Đình", "school"));
        using var import = await organizer.PostAsync($"/api/organizer/units/import?parentId={other}",
            File("a.csv", Csv("Tên đơn vị,Loại\nTrường A,Trường học\n")));
        using var byCode = await organizer.PostAsync("/api/organizer/units/import",
            File("b.csv", Csv("Mã đơn vị cấp trên,Tên đơn vị,Loại\nphuong-ba-dinh,Trường B,Trường học\n")));
        var list = await organizer.GetFromJsonAsync<List<UnitNode>>("/api/organizer/units");

        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, byCode.StatusCode);
        Assert.Contains("Dòng 2", (await byCode.Content.ReadAsStringAsync()).Replace("\"row\":2", "Dòng 2", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
        Assert.Equal([ward], list!.Select(u => u.Id));
    }

    [Fact]
    public async Task Contest_headcounts_override_the_directory_and_a_contest_without_one_uses_the_directory()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var admin = await App.CreateOrganizerClientAsync();
        var contest = await admin.CreateContestAsync(TestData.Contest(ward));
        var plain = await admin.CreateContestAsync(TestData.Contest(ward, name: "Cuộc thi thứ hai"));
        using var organizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);
        using var school = await organizer.PostAsJsonAsync("/api/organizer/units", new SubUnitRequest(ward, "Trường Tiểu học Tràng An", "school", Headcount: 600));
        var schoolId = (await school.Content.ReadFromJsonAsync<UnitNode>())!.Id;

        using var directory = await organizer.PutAsJsonAsync($"/api/organizer/units/{ward}", new UnitUpdate(null, null, 20000));
        using var set = await organizer.PutAsJsonAsync($"/api/organizer/contests/{contest.Id}/headcounts", new[] { new HeadcountUpdate(schoolId, 450) });
        var rows = await organizer.GetFromJsonAsync<List<HeadcountRow>>($"/api/organizer/contests/{contest.Id}/headcounts");
        await using var db = App.OpenConnection();
        var (inContest, inPlain, wardInContest) = await db.QuerySingleAsync<(int, int, int)>(
            "SELECT contest_headcount(@c, @s), contest_headcount(@p, @s), contest_headcount(@c, @w)", new { c = contest.Id, p = plain.Id, s = schoolId, w = ward });

        Assert.Equal(HttpStatusCode.OK, directory.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal([(ward, 20000, (int?)null, 20000), (schoolId, 600, 450, 450)], rows!.Select(r => (r.UnitId, r.DirectoryHeadcount!.Value, r.ContestHeadcount, r.Effective!.Value)));
        Assert.Equal((450, 600, 20000), (inContest, inPlain, wardInContest));
    }

    [Fact]
    public async Task An_organizer_of_a_ward_sees_the_contests_of_its_schools_and_a_school_organizer_not_the_wards()
    {
        await App.LoadUnitsAsync();
        var ward = await App.UnitIdAsync("Phường Hoàn Kiếm");
        using var admin = await App.CreateOrganizerClientAsync();
        using var added = await admin.PostAsJsonAsync("/api/organizer/units", new SubUnitRequest(ward, "Trường THPT Việt Đức", "school"));
        var school = (await added.Content.ReadFromJsonAsync<UnitNode>())!.Id;
        var schoolContest = await admin.CreateContestAsync(TestData.Contest(school, name: "Rung chuông vàng Việt Đức"));
        var wardContest = await admin.CreateContestAsync(TestData.Contest(ward, name: "Cuộc thi của phường"));
        using var wardOrganizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, ward);
        using var schoolOrganizer = await App.CreateOrganizerClientAsync(OrganizerRoles.UnitOrganizer, school);

        using var wardSeesSchool = await wardOrganizer.GetAsync($"/api/organizer/contests/{schoolContest.Id}");
        using var schoolSeesWard = await schoolOrganizer.GetAsync($"/api/organizer/contests/{wardContest.Id}");
        using var schoolSeesOwn = await schoolOrganizer.GetAsync($"/api/organizer/contests/{schoolContest.Id}");

        Assert.Equal(HttpStatusCode.OK, wardSeesSchool.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, schoolSeesWard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, schoolSeesOwn.StatusCode);
    }
}
