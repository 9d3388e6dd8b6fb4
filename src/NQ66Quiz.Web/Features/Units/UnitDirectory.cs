using System.Globalization;
using System.Text;
using Dapper;
using MiniExcelLibs;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Features.Units;

/// <summary>A unit with its place in the tree, as organizers see it.</summary>
public sealed record UnitNode(int Id, string Code, string Kind, string Name, string Type, int? ParentId, string? ParentCode, string? ParentName,
    int? Headcount, string? Source, int Depth)
{
    public string KindLabel => UnitKinds.Label(Kind);

    /// <summary>"Trường THCS Chu Văn An — Phường Hoàn Kiếm"; a top-level unit alone (its parent is the city).</summary>
    public string Label => ParentName is null || Depth <= 1 ? Name : $"{Name} — {ParentName}";
}

public sealed record SubUnitRequest(int? ParentId, string? Name, string? Kind, string? Code = null, int? Headcount = null) : IOwnedByUnit
{
    int? IOwnedByUnit.OwningUnitId => ParentId;
}

public sealed record UnitUpdate(string? Name, string? Kind, int? Headcount, bool ClearHeadcount = false);

public sealed record ImportSummary(int Added, int Updated, int Unchanged);

public sealed record HeadcountRow(int UnitId, string UnitName, string? ParentName, int Depth, int? DirectoryHeadcount, int? ContestHeadcount)
{
    public int? Effective => ContestHeadcount ?? DirectoryHeadcount;
}

public sealed record HeadcountUpdate(int UnitId, int? Headcount);

public abstract record DirectoryResult<T>
{
    public sealed record Ok(T Value) : DirectoryResult<T>;

    public sealed record Invalid(IReadOnlyList<SheetError> Errors) : DirectoryResult<T>;

    public sealed record Forbidden(string Message) : DirectoryResult<T>;
}

/// <summary>
/// The unit directory below the city: list (scoped), add one sub-unit, import many from a sheet (all or nothing, errors
/// by row and column), export, and headcounts per contest. Every read and write goes through the organizer's scope.
/// </summary>
public sealed class UnitDirectory(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string TreeSql = """
        WITH RECURSIVE tree (id, depth) AS (
            SELECT id, 0 FROM units WHERE parent_id IS NULL
            UNION ALL
            SELECT u.id, t.depth + 1 FROM units u JOIN tree t ON u.parent_id = t.id
        )
        SELECT u.id, u.code, u.kind, u.name, u.type, u.parent_id, p.code AS parent_code, p.name AS parent_name, u.headcount, u.source, t.depth
        FROM tree t JOIN units u ON u.id = t.id LEFT JOIN units p ON p.id = u.parent_id
        """;

    /// <summary>Units in the organizer's subtree, in tree order (parents before children, siblings in Vietnamese order).</summary>
    public async Task<IReadOnlyList<UnitNode>> ListAsync(OrganizerScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<UnitNode>(new CommandDefinition(
            TreeSql + " WHERE " + OrganizerScope.SqlFilter("u.id"), new { ScopeRoot = scope.SubtreeRoot }, cancellationToken: ct))).ToList();
        return TreeOrder(rows);
    }

    public async Task<UnitNode?> GetAsync(OrganizerScope scope, int unitId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UnitNode>(new CommandDefinition(
            TreeSql + " WHERE u.id = @unitId AND " + OrganizerScope.SqlFilter("u.id"), new { unitId, ScopeRoot = scope.SubtreeRoot }, cancellationToken: ct));
    }

    private static List<UnitNode> TreeOrder(List<UnitNode> rows)
    {
        var ids = rows.Select(r => r.Id).ToHashSet();
        var children = rows.ToLookup(r => r.ParentId is { } p && ids.Contains(p) ? p : (int?)null);
        var ordered = new List<UnitNode>(rows.Count);
        void Walk(int? parent)
        {
            foreach (var unit in children[parent].OrderBy(u => u.Kind == UnitKinds.City ? 0 : 1).ThenBy(u => u.Name, VietnameseText.Comparer))
            {
                ordered.Add(unit);
                Walk(unit.Id);
            }
        }
        Walk(null);
        return ordered;
    }

    public async Task<DirectoryResult<UnitNode>> AddAsync(OrganizerScope scope, SubUnitRequest request, CancellationToken ct = default)
    {
        var row = new SubUnitRow(0, null, VietnameseText.Clean(request.Name), request.Kind, request.Code,
            request.Headcount?.ToString(CultureInfo.InvariantCulture));
        var result = await ImportRowsAsync(scope, request.ParentId, [row], ct);
        return result switch
        {
            DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Ok ok => new DirectoryResult<UnitNode>.Ok((await GetAsync(scope, ok.Value.Item2[0], ct))!),
            DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Invalid invalid => new DirectoryResult<UnitNode>.Invalid(invalid.Errors),
            DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Forbidden f => new DirectoryResult<UnitNode>.Forbidden(f.Message),
            _ => throw new InvalidOperationException(),
        };
    }

    public async Task<DirectoryResult<ImportSummary>> ImportAsync(OrganizerScope scope, int? defaultParentId, Stream file, string fileName, CancellationToken ct = default)
    {
        var (rows, errors) = UnitsSheet.Read(file, fileName);
        if (errors.Count > 0)
        {
            return new DirectoryResult<ImportSummary>.Invalid(errors);
        }
        if (rows.Count == 0)
        {
            return new DirectoryResult<ImportSummary>.Invalid([new SheetError(0, "", "Tệp không có đơn vị nào dưới dòng tiêu đề.")]);
        }
        return await ImportRowsAsync(scope, defaultParentId, rows, ct) switch
        {
            DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Ok ok => new DirectoryResult<ImportSummary>.Ok(ok.Value.Item1),
            DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Invalid invalid => new DirectoryResult<ImportSummary>.Invalid(invalid.Errors),
            DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Forbidden f => new DirectoryResult<ImportSummary>.Forbidden(f.Message),
            _ => throw new InvalidOperationException(),
        };
    }

    private sealed record Existing(int Id, string Code, string Kind, string Name, int? ParentId, int? Headcount, bool InScope);

    /// <summary>
    /// Checks every row against the tree and the rows above it, then stores all or none. A row whose code exists under
    /// the same parent updates that sub-unit (so an exported sheet imports back); shipped units are never changed here.
    /// </summary>
    private async Task<DirectoryResult<(ImportSummary, IReadOnlyList<int>)>> ImportRowsAsync(
        OrganizerScope scope, int? defaultParentId, IReadOnlyList<SubUnitRow> rows, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await CityRoot.EnsureAsync(connection, tx, ct);
        // Imports into one tree are serialised, so two sheets cannot both take the same new code or name.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(66066020)", transaction: tx, cancellationToken: ct));
        var existing = (await connection.QueryAsync<Existing>(new CommandDefinition(
            $"SELECT id, code, kind, name, parent_id, headcount, {OrganizerScope.SqlFilter("id")} AS in_scope FROM units",
            new { ScopeRoot = scope.SubtreeRoot }, tx, cancellationToken: ct))).ToList();
        var byCode = existing.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var byId = existing.ToDictionary(u => u.Id);
        var namesUnder = existing.GroupBy(u => u.ParentId ?? 0).ToDictionary(g => g.Key, g => g.ToDictionary(u => VietnameseText.Fold(u.Name), u => u.Code, StringComparer.Ordinal));
        if (defaultParentId is { } dp && (!byId.TryGetValue(dp, out var defaultParent) || !defaultParent.InScope))
        {
            return new DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Forbidden("Bạn chỉ thêm được đơn vị trực thuộc đơn vị của mình.");
        }

        var errors = new List<SheetError>();
        // New codes of this file, with the row that introduced them (a later row may name one as its parent).
        var fileCodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var plan = new List<(SubUnitRow Row, string Code, string ParentCode, string Kind, int? Headcount, Existing? Update)>();
        foreach (var row in rows)
        {
            var before = errors.Count;
            void Error(string column, string message) => errors.Add(new SheetError(row.Row, column, message));

            // A shipped unit (as an exported sheet lists it): only its headcount may change here; name, kind and parent
            // stay as content/units has them, with their sources.
            if (row.Code is { } shippedCode && byCode.TryGetValue(shippedCode.Trim().ToLowerInvariant(), out var shipped) && !UnitKinds.SubUnit.Contains(shipped.Kind))
            {
                var count = row.HeadcountText is null ? shipped.Headcount : UnitsSheet.ParseHeadcount(row.HeadcountText);
                if (row.HeadcountText is not null && count is null)
                {
                    Error(UnitsSheet.Headcount, $"\"{row.HeadcountText}\" không phải số người: ghi số nguyên không âm, ví dụ 1200.");
                }
                else if (VietnameseText.Fold(row.Name) != VietnameseText.Fold(shipped.Name))
                {
                    Error(UnitsSheet.Name, $"\"{shipped.Name}\" là đơn vị có sẵn trong danh mục (kèm nguồn); không đổi tên được bằng tệp.");
                }
                else if (count != shipped.Headcount && !shipped.InScope)
                {
                    Error(UnitsSheet.Headcount, $"\"{shipped.Name}\" không thuộc phạm vi tài khoản của bạn; không đặt được số người.");
                }
                else
                {
                    plan.Add((row, shipped.Code, "", shipped.Kind, count, shipped));
                }
                continue;
            }

            // The parent: a code in the directory or above in this file, else the unit chosen for the whole import.
            string? parentCode = null;
            if (row.ParentCode is { } pcText)
            {
                var pc = pcText.Trim().ToLowerInvariant();
                if (byCode.TryGetValue(pc, out var p))
                {
                    if (!p.InScope)
                    {
                        Error(UnitsSheet.ParentCode, $"Đơn vị \"{p.Name}\" không thuộc phạm vi tài khoản của bạn; chỉ thêm được đơn vị trực thuộc đơn vị mình.");
                    }
                    parentCode = pc;
                }
                else if (fileCodes.ContainsKey(pc))
                {
                    parentCode = pc;
                }
                else
                {
                    Error(UnitsSheet.ParentCode, $"Không có đơn vị mã \"{pcText}\" trong danh mục hay ở các dòng trên. Xem mã trong tệp xuất danh mục.");
                }
            }
            else if (defaultParentId is { } d)
            {
                parentCode = byId[d].Code;
            }
            else
            {
                Error(UnitsSheet.ParentCode, "Chưa có đơn vị cấp trên: ghi mã đơn vị cấp trên, hoặc chọn đơn vị cấp trên trước khi nhập.");
            }

            if (row.Name.Length is < 2 or > 200)
            {
                Error(UnitsSheet.Name, row.Name.Length == 0 ? "Chưa có tên đơn vị." : "Tên đơn vị cần từ 2 đến 200 ký tự.");
            }
            var kind = UnitKinds.ParseSubUnit(row.KindText);
            if (kind is null)
            {
                Error(UnitsSheet.Kind, (row.KindText is null ? "Chưa ghi loại đơn vị. " : $"\"{row.KindText}\" không phải loại đơn vị. ")
                    + "Ghi một trong: Trường học, Cơ quan, Thôn/tổ dân phố, Doanh nghiệp, Khác.");
            }
            int? headcount = null;
            if (row.HeadcountText is not null)
            {
                headcount = UnitsSheet.ParseHeadcount(row.HeadcountText);
                if (headcount is null)
                {
                    Error(UnitsSheet.Headcount, $"\"{row.HeadcountText}\" không phải số người: ghi số nguyên không âm, ví dụ 1200.");
                }
            }

            Existing? update = null;
            string code;
            if (row.Code is { } codeText)
            {
                code = codeText.Trim().ToLowerInvariant();
                if (!IsCode(code))
                {
                    Error(UnitsSheet.Code, $"Mã \"{codeText}\" chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: thcs-chu-van-an), tối đa 120 ký tự.");
                }
                else if (byCode.TryGetValue(code, out var same))
                {
                    update = same;
                }
            }
            else
            {
                code = Truncate(VietnameseText.Slug((parentCode is null ? "" : ShortCode(parentCode) + " ") + row.Name));
                if (byCode.TryGetValue(code, out var same) && same.ParentId is { } sp && byId[sp].Code == parentCode)
                {
                    update = same;
                }
            }

            if (errors.Count == before && update is not null)
            {
                if (!UnitKinds.SubUnit.Contains(update.Kind))
                {
                    Error(row.Code is null ? UnitsSheet.Name : UnitsSheet.Code, $"\"{update.Name}\" là đơn vị có sẵn trong danh mục; đặt tên hoặc mã khác.");
                }
                else if (!update.InScope)
                {
                    Error(UnitsSheet.Code, $"Mã \"{code}\" đã là của đơn vị \"{update.Name}\" ngoài phạm vi tài khoản của bạn; đặt mã khác.");
                }
                else if (update.ParentId is not { } up || byId[up].Code != parentCode)
                {
                    Error(UnitsSheet.Code, $"Mã \"{code}\" đã là của đơn vị \"{update.Name}\" thuộc đơn vị cấp trên khác; đặt mã khác.");
                }
            }
            else if (errors.Count == before && fileCodes.TryGetValue(code, out var firstRow))
            {
                if (row.Code is null)
                {
                    Error(UnitsSheet.Name, $"Dòng {firstRow} đã có đơn vị \"{row.Name}\" cùng đơn vị cấp trên.");
                }
                else
                {
                    Error(UnitsSheet.Code, $"Mã \"{code}\" trùng với dòng {firstRow}.");
                }
            }

            if (errors.Count == before && parentCode is not null)
            {
                var parentKey = byCode.TryGetValue(parentCode, out var pu) ? pu.Id : -fileCodes[parentCode];
                var names = namesUnder.TryGetValue(parentKey, out var n) ? n : namesUnder[parentKey] = new(StringComparer.Ordinal);
                var folded = VietnameseText.Fold(row.Name);
                if (names.TryGetValue(folded, out var holder) && holder != code)
                {
                    Error(UnitsSheet.Name, $"Đơn vị cấp trên đã có đơn vị tên \"{row.Name}\" (mã {holder}).");
                }
                else
                {
                    names[folded] = code;
                }
            }
            if (errors.Count == before)
            {
                if (update is null)
                {
                    fileCodes[code] = row.Row;
                }
                plan.Add((row, code, parentCode!, kind!, headcount, update));
            }
        }
        if (errors.Count > 0)
        {
            return new DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Invalid(errors);
        }

        int added = 0, updated = 0, unchanged = 0;
        var ids = new List<int>();
        var now = clock.GetUtcNow();
        foreach (var (row, code, parentCode, kind, headcount, update) in plan)
        {
            if (update is null)
            {
                var id = await connection.QuerySingleAsync<int>(new CommandDefinition("""
                    INSERT INTO units (code, kind, name, type, headcount, search_key, source, parent_id, created_at)
                    VALUES (@code, @kind, @Name, @type, @headcount, @key, @source, (SELECT id FROM units WHERE code = @parentCode), @now)
                    RETURNING id
                    """, new { code, kind, row.Name, type = UnitKinds.Label(kind).ToLower(VietnameseText.Culture), headcount,
                        key = VietnameseText.Fold(row.Name), source = "Ban tổ chức thêm", parentCode, now }, tx, cancellationToken: ct));
                byCode[code] = new Existing(id, code, kind, row.Name, null, headcount, true);
                ids.Add(id);
                added++;
                continue;
            }
            if (!UnitKinds.SubUnit.Contains(update.Kind))
            {
                var set = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE units SET headcount = @headcount WHERE id = @Id AND headcount IS DISTINCT FROM @headcount",
                    new { update.Id, headcount }, tx, cancellationToken: ct));
                if (set == 1) { updated++; } else { unchanged++; }
                ids.Add(update.Id);
                continue;
            }
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE units SET name = @Name, kind = @kind, type = @type, search_key = @key, headcount = coalesce(@headcount, headcount)
                WHERE id = @Id AND (name, kind, headcount) IS DISTINCT FROM (@Name, @kind, coalesce(@headcount, headcount))
                """, new { update.Id, row.Name, kind, type = UnitKinds.Label(kind).ToLower(VietnameseText.Culture), key = VietnameseText.Fold(row.Name), headcount },
                tx, cancellationToken: ct));
            ids.Add(update.Id);
            if (changed == 1) { updated++; } else { unchanged++; }
        }
        await tx.CommitAsync(ct);
        return new DirectoryResult<(ImportSummary, IReadOnlyList<int>)>.Ok((new ImportSummary(added, updated, unchanged), ids));
    }

    /// <summary>Renames a sub-unit or sets a unit's directory headcount. Shipped units keep their names (and sources).</summary>
    public async Task<DirectoryResult<UnitNode>> UpdateAsync(OrganizerScope scope, int unitId, UnitUpdate update, CancellationToken ct = default)
    {
        var unit = await GetAsync(scope, unitId, ct);
        if (unit is null)
        {
            return new DirectoryResult<UnitNode>.Forbidden("Không có đơn vị này trong phạm vi tài khoản của bạn.");
        }
        var errors = new List<SheetError>();
        var name = update.Name is null ? unit.Name : VietnameseText.Clean(update.Name);
        var kind = update.Kind is null ? unit.Kind : UnitKinds.ParseSubUnit(update.Kind);
        var shipped = !UnitKinds.SubUnit.Contains(unit.Kind);
        if (shipped && (name != unit.Name || kind != unit.Kind))
        {
            errors.Add(new SheetError(0, UnitsSheet.Name, "Đơn vị có sẵn trong danh mục (kèm nguồn) không đổi tên hay loại được; chỉ đặt được số người."));
        }
        if (name.Length is < 2 or > 200)
        {
            errors.Add(new SheetError(0, UnitsSheet.Name, "Tên đơn vị cần từ 2 đến 200 ký tự."));
        }
        if (kind is null)
        {
            errors.Add(new SheetError(0, UnitsSheet.Kind, "Loại đơn vị là một trong: Trường học, Cơ quan, Thôn/tổ dân phố, Doanh nghiệp, Khác."));
        }
        if (update.Headcount is < 0 or > 100_000_000)
        {
            errors.Add(new SheetError(0, UnitsSheet.Headcount, "Số người là số nguyên không âm."));
        }
        if (errors.Count > 0)
        {
            return new DirectoryResult<UnitNode>.Invalid(errors);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE units SET name = @name, kind = @kind, search_key = @key,
                    headcount = CASE WHEN @ClearHeadcount THEN NULL ELSE coalesce(@Headcount, headcount) END
                WHERE id = @unitId
                """, new { unitId, name, kind, key = VietnameseText.Fold(name), update.Headcount, update.ClearHeadcount }, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new DirectoryResult<UnitNode>.Invalid([new SheetError(0, UnitsSheet.Name, $"Đơn vị cấp trên đã có đơn vị tên \"{name}\".")]);
        }
        return new DirectoryResult<UnitNode>.Ok((await GetAsync(scope, unitId, ct))!);
    }

    public async Task<byte[]> ExportAsync(OrganizerScope scope, string format, CancellationToken ct = default)
    {
        var rows = (await ListAsync(scope, ct)).Where(u => u.Kind != UnitKinds.City).Select(u => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [UnitsSheet.Code] = u.Code,
            [UnitsSheet.Name] = u.Name,
            [UnitsSheet.Kind] = u.KindLabel,
            [UnitsSheet.ParentCode] = u.ParentCode,
            [UnitsSheet.ParentName] = u.ParentName,
            [UnitsSheet.Headcount] = u.Headcount,
            [UnitsSheet.Source] = u.Source,
        }).ToList();
        if (format == "csv")
        {
            var text = new StringBuilder();
            text.AppendJoin(',', UnitsSheet.ExportColumns.Select(ResultsExport.Field)).Append("\r\n");
            foreach (var row in rows)
            {
                text.AppendJoin(',', UnitsSheet.ExportColumns.Select(c => ResultsExport.Field(Convert.ToString(row[c], CultureInfo.InvariantCulture) ?? ""))).Append("\r\n");
            }
            return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
        }
        if (rows.Count == 0)
        {
            rows.Add(UnitsSheet.ExportColumns.ToDictionary(c => c, _ => (object?)null, StringComparer.Ordinal));
        }
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, sheetName: UnitsSheet.SheetName, cancellationToken: ct);
        return stream.ToArray();
    }

    /// <summary>Units in scope with the contest's headcount (if set) beside the directory's.</summary>
    public async Task<IReadOnlyList<HeadcountRow>> HeadcountsAsync(OrganizerScope scope, long contestId, CancellationToken ct = default)
    {
        var units = await ListAsync(scope, ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var set = (await connection.QueryAsync<(int UnitId, int Headcount)>(new CommandDefinition(
            "SELECT unit_id, headcount FROM unit_headcounts WHERE contest_id = @contestId", new { contestId }, cancellationToken: ct)))
            .ToDictionary(r => r.UnitId, r => r.Headcount);
        return [.. units.Where(u => u.Kind != UnitKinds.City)
            .Select(u => new HeadcountRow(u.Id, u.Name, u.Depth <= 1 ? null : u.ParentName, u.Depth, u.Headcount, set.TryGetValue(u.Id, out var h) ? h : null))];
    }

    /// <summary>Sets (or, with a null headcount, clears) a contest's headcounts; every unit must be in scope, else nothing changes.</summary>
    public async Task<DirectoryResult<int>> SetHeadcountsAsync(OrganizerScope scope, long contestId, IReadOnlyList<HeadcountUpdate> updates, CancellationToken ct = default)
    {
        var errors = updates.Select((u, i) => (u, i)).Where(x => x.u.Headcount is < 0 or > 100_000_000)
            .Select(x => new SheetError(x.i + 1, UnitsSheet.Headcount, "Số người là số nguyên không âm.")).ToList();
        if (errors.Count > 0)
        {
            return new DirectoryResult<int>.Invalid(errors);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unitIds = updates.Select(u => u.UnitId).Distinct().ToArray();
        var inScope = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*)::int FROM units WHERE id = ANY(@unitIds) AND {OrganizerScope.SqlFilter("id")}",
            new { unitIds, ScopeRoot = scope.SubtreeRoot }, tx, cancellationToken: ct));
        if (inScope != unitIds.Length)
        {
            return new DirectoryResult<int>.Forbidden("Chỉ đặt được số người cho đơn vị của mình và các đơn vị trực thuộc.");
        }
        var now = clock.GetUtcNow();
        foreach (var update in updates)
        {
            await connection.ExecuteAsync(new CommandDefinition(update.Headcount is null
                ? "DELETE FROM unit_headcounts WHERE contest_id = @contestId AND unit_id = @UnitId"
                : """
                  INSERT INTO unit_headcounts (contest_id, unit_id, headcount, updated_at) VALUES (@contestId, @UnitId, @Headcount, @now)
                  ON CONFLICT (contest_id, unit_id) DO UPDATE SET headcount = EXCLUDED.headcount, updated_at = EXCLUDED.updated_at
                  """, new { contestId, update.UnitId, update.Headcount, now }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return new DirectoryResult<int>.Ok(updates.Count);
    }

    private static bool IsCode(string code) =>
        code.Length is > 0 and <= 120 && code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && !code.StartsWith('-') && !code.EndsWith('-') && !code.Contains("--", StringComparison.Ordinal);

    /// <summary>A parent's code as the prefix of its children's: "phuong-hoan-kiem" stays, long chains keep their tail.</summary>
    private static string ShortCode(string code) => code.Length <= 60 ? code : code[^60..].TrimStart('-');

    private static string Truncate(string code) => code.Length <= 120 ? code : code[..120].TrimEnd('-');
}
