using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using QRCoder;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>The QR code of a join link, as SVG (sharp on a projector at any size).</summary>
public sealed class LiveQr
{
    public string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(8);
    }
}

/// <summary>Organizer HTTP API of live rounds: create, list, open, QR, results and their export.</summary>
public static class LiveRoundsApi
{
    public static readonly string[] ExportColumns = ["Hạng", "Tên hiển thị", "Đơn vị", "Điểm", "Số câu đúng", "Số câu tính điểm", "Tỉ lệ đúng (%)", "Ghi chú"];

    public static void Map(IEndpointRouteBuilder app)
    {
        // Inside the one organizer group (/api/organizer): the route below must stay LiveRoutes.OrganizerApi.
        var group = app.MapGroup(LiveRoutes.OrganizerApi["/api/organizer".Length..]).WithTags("Organizer: live rounds").RequireAuthorization(Organizers.OrganizerPolicies.LiveRounds);
        group.MapPost("/", CreateAsync);
        group.MapGet("/", async Task<Ok<IReadOnlyList<LiveRoundSummary>>> (LiveStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        group.MapPost("/{id:long}/open", OpenAsync);
        group.MapGet("/{id:long}/qr.svg", QrAsync);
        group.MapGet("/{id:long}/results", async Task<Results<Ok<IReadOnlyList<LiveResultRow>>, NotFound, ForbidHttpResult>> (long id, HttpContext http, LiveEngine engine, LiveStore store, CancellationToken ct) =>
            await OwnedAsync(id, http, engine) is { } denied ? Denied(denied) : TypedResults.Ok(await store.ResultsAsync(id, ct)));
        group.MapGet("/{id:long}/results.{format:regex(^(xlsx|csv)$)}", ExportAsync);
    }

    private static Results<Ok<IReadOnlyList<LiveResultRow>>, NotFound, ForbidHttpResult> Denied(IResult denied) =>
        denied is NotFound n ? n : (ForbidHttpResult)denied;

    /// <summary>Null when the signed-in organizer may run round <paramref name="id"/>; else NotFound or Forbid.</summary>
    public static async Task<IResult?> OwnedAsync(long id, HttpContext http, LiveEngine engine)
    {
        var def = await engine.RoundAsync(id);
        if (def is null)
        {
            return TypedResults.NotFound();
        }
        return def.CreatedBy == LiveHubFilter.OwnerOf(http.User) || http.User.IsInRole("city-admin") ? null : TypedResults.Forbid();
    }

    public static async Task<Results<Created<LiveRoundCreated>, ValidationProblem>> CreateAsync(
        CreateLiveRoundRequest request, HttpContext http, LiveStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var title = VietnameseText.Nfc(request.Title ?? "").Trim();
        if (title.Length is < 3 or > 200)
        {
            errors["title"] = ["Tên vòng thi cần từ 3 đến 200 ký tự."];
        }
        if (request.TimeLimitSeconds is < 5 or > 240)
        {
            errors["timeLimitSeconds"] = ["Thời gian mỗi câu phải từ 5 đến 240 giây."];
        }
        if (!Scoring.LivePointChoices.Contains(request.Points))
        {
            errors["points"] = ["Điểm mỗi câu chỉ được là 0, 1000 hoặc 2000."];
        }
        var ids = new List<string>();
        if (request.QuestionIds is { Count: > 0 })
        {
            ids.AddRange(request.QuestionIds.Select(i => (i ?? "").Trim()).Distinct(StringComparer.Ordinal));
        }
        if (request.Blueprint is { Count: > 0 })
        {
            for (var i = 0; i < request.Blueprint.Count; i++)
            {
                var line = request.Blueprint[i];
                if (line.Count is < 1 or > 100)
                {
                    errors[$"blueprint[{i}].count"] = ["Số câu của mỗi dòng cấu trúc phải từ 1 đến 100."];
                    continue;
                }
                var drawn = await store.DrawAsync(line, ids, ct);
                if (drawn.Count < line.Count)
                {
                    errors[$"blueprint[{i}]"] = [$"Ngân hàng chỉ có {drawn.Count} câu một đáp án phù hợp dòng {i + 1} (cần {line.Count}). Giảm số câu hoặc nới điều kiện."];
                }
                ids.AddRange(drawn);
            }
        }
        if (ids.Count == 0 && !errors.Keys.Any(k => k.StartsWith("blueprint", StringComparison.Ordinal)))
        {
            errors["questionIds"] = ["Hãy chọn ít nhất một câu hỏi, hoặc khai báo cấu trúc đề."];
        }
        if (ids.Count > 100)
        {
            errors["questionIds"] = ["Một vòng thi trực tiếp có tối đa 100 câu."];
        }
        var picked = new List<(long VersionId, short[] Order, int Correct)>();
        if (ids.Count is > 0 and <= 100)
        {
            var (found, missing) = await store.PickAsync(ids, ct);
            if (missing.Count > 0)
            {
                errors["questionIds"] = [$"Không có trong ngân hàng (hoặc đã ngừng dùng): {string.Join(", ", missing)}."];
            }
            var multiple = found.Where(f => f.Kind != "single" || f.Options.Count(o => o.Correct) != 1).Select(f => f.QuestionId).ToList();
            if (multiple.Count > 0)
            {
                errors["questionIds"] = [$"Vòng thi trực tiếp chỉ dùng câu hỏi một đáp án đúng; bỏ các câu: {string.Join(", ", multiple)}."];
            }
            foreach (var f in found)
            {
                // The round's own option order, frozen now: the authoring order (often key first) never reaches a phone.
                var order = f.Options.Select(o => (short)o.Id).OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray();
                var correct = Array.FindIndex(order, id => f.Options.First(o => o.Id == id).Correct);
                picked.Add((f.VersionId, order, correct));
            }
        }
        // Held in a contest's weekly round, its players count in that contest's participation by unit (UnitFigures):
        // only a round of a contest this organizer works on.
        if (request.ContestRoundId is { } contestRound && (!Organizers.OrganizerScope.TryFrom(http.User, out var scope)
            || !await http.RequestServices.GetRequiredService<Organizers.ScopeGuard>().RoundAsync(scope, contestRound, ct)))
        {
            errors["contestRoundId"] = ["Không tìm thấy tuần thi này trong các cuộc thi của đơn vị bạn."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Chưa tạo được vòng thi trực tiếp.");
        }
        var id = await store.CreateAsync(request with { Title = title }, LiveHubFilter.OwnerOf(http.User), picked,
            BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)), time.GetUtcNow(), ct);
        return TypedResults.Created($"{LiveRoutes.OrganizerApi}/{id}", new LiveRoundCreated(id, picked.Count));
    }

    public static async Task<Results<Ok<LiveRoundOpened>, NotFound, ForbidHttpResult>> OpenAsync(long id, HttpContext http, LiveEngine engine)
    {
        if (await OwnedAsync(id, http, engine) is { } denied)
        {
            return denied is NotFound n ? n : (ForbidHttpResult)denied;
        }
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        var pin = await engine.OpenAsync(id, baseUrl);
        if (pin is null)
        {
            return TypedResults.NotFound();
        }
        var state = await engine.HostStateAsync(id, baseUrl);
        return TypedResults.Ok(new LiveRoundOpened(id, pin, state?.JoinUrl ?? engine.JoinUrl(baseUrl, pin)));
    }

    public static async Task<Results<ContentHttpResult, NotFound, ForbidHttpResult>> QrAsync(long id, HttpContext http, LiveEngine engine, LiveQr qr)
    {
        if (await OwnedAsync(id, http, engine) is { } denied)
        {
            return denied is NotFound n ? n : (ForbidHttpResult)denied;
        }
        var state = await engine.HostStateAsync(id, $"{http.Request.Scheme}://{http.Request.Host}");
        return state?.JoinUrl is { } url ? TypedResults.Content(qr.Svg(url), "image/svg+xml") : TypedResults.NotFound();
    }

    public static async Task<Results<FileContentHttpResult, NotFound, ForbidHttpResult>> ExportAsync(long id, string format, HttpContext http, LiveEngine engine, LiveStore store, CancellationToken ct)
    {
        if (await OwnedAsync(id, http, engine) is { } denied)
        {
            return denied is NotFound n ? n : (ForbidHttpResult)denied;
        }
        var rows = await store.ResultsAsync(id, ct);
        var table = rows.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Hạng"] = r.Rank,
            ["Tên hiển thị"] = r.Nickname,
            ["Đơn vị"] = r.UnitName ?? "",
            ["Điểm"] = r.Points,
            ["Số câu đúng"] = r.CorrectCount,
            ["Số câu tính điểm"] = r.ScoredCount,
            ["Tỉ lệ đúng (%)"] = Math.Round(Scoring.Accuracy(r.CorrectCount, r.ScoredCount) * 100, 1),
            ["Ghi chú"] = r.Removed ? "Bị mời rời phòng" : "",
        }).ToList();
        var name = $"vong-truc-tiep-{id}";
        if (format == "csv")
        {
            var csv = new StringBuilder();
            csv.AppendLine(string.Join(',', ExportColumns.Select(Csv)));
            foreach (var row in table)
            {
                csv.AppendLine(string.Join(',', ExportColumns.Select(c => Csv(Convert.ToString(row[c], CultureInfo.InvariantCulture) ?? ""))));
            }
            // UTF-8 with BOM so Excel reads the accents.
            return TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8", $"{name}.csv");
        }
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(table, sheetName: "Kết quả", cancellationToken: ct);
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx");
    }

    private static string Csv(string value) => value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
