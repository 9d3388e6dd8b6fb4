using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <param name="Status">active (in use), retired, or all.</param>
public sealed record BankFilter(int? Viewpoint = null, int? Task = null, string? Topic = null, string? Difficulty = null, string? Text = null, string Status = "active", int Page = 1)
{
    public const int PageSize = 50;
}

/// <param name="Viewpoints">Comma-separated (Dapper cannot pass arrays to a record's constructor).</param>
public sealed record BankListRow(string Id, int Version, string Kind, string Difficulty, string Viewpoints, string Tasks, string Topics, string StemMd, DateTime? RetiredAt, DateTime UpdatedAt)
{
    public IEnumerable<string> ViewpointList => Viewpoints.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public IEnumerable<string> TaskList => Tasks.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public IEnumerable<string> TopicList => Topics.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

public sealed record BankPage(IReadOnlyList<BankListRow> Rows, long Total);

public sealed record BankQuestion(string Id, int Version, string Markdown, string? SourceFile, DateTime? RetiredAt, string? RetiredBy, DateTime UpdatedAt);

public sealed record BankVersionRow(int Version, string? CreatedBy, DateTime CreatedAt, string ContentHash);

/// <summary>What saving an edited question did.</summary>
public enum SaveOutcome
{
    NewVersion,
    Unchanged,
    Invalid,
    NotFound,
}

public sealed record SaveResult(SaveOutcome Outcome, int Version, BankCheckResult? Check);

/// <summary>The organizer's use cases on the stored bank: list and filter, open, save an edit, retire, restore, export.</summary>
public sealed class BankStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<BankPage> ListAsync(BankFilter filter, CancellationToken ct = default)
    {
        const string where = $"""
            FROM {QuestionSql.CurrentVersions}
            WHERE (@Viewpoint::smallint IS NULL OR @Viewpoint::smallint = ANY(v.viewpoints))
              AND (@Task::smallint IS NULL OR @Task::smallint = ANY(v.tasks))
              AND (@Topic::text IS NULL OR @Topic::text = ANY(v.topics))
              AND (@Difficulty::text IS NULL OR v.difficulty = @Difficulty::text)
              AND (@Text::text IS NULL OR q.id ILIKE '%' || @Text::text || '%' OR v.markdown ILIKE '%' || @Text::text || '%')
              AND (@Status = 'all' OR (@Status = 'retired') = (q.retired_at IS NOT NULL))
            """;
        var args = new
        {
            filter.Viewpoint,
            filter.Task,
            Topic = Blank(filter.Topic),
            Difficulty = Blank(filter.Difficulty),
            Text = Blank(filter.Text)?.Normalize(System.Text.NormalizationForm.FormC),
            filter.Status,
            Limit = BankFilter.PageSize,
            Offset = (Math.Max(filter.Page, 1) - 1) * BankFilter.PageSize,
        };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) " + where, args, cancellationToken: ct));
        var rows = await connection.QueryAsync<BankListRow>(new CommandDefinition($"""
            SELECT q.id, v.version, v.kind, v.difficulty, array_to_string(v.viewpoints, ',') AS viewpoints,
                   array_to_string(v.tasks, ',') AS tasks, array_to_string(v.topics, ',') AS topics, v.stem_md, q.retired_at, q.updated_at
            {where}
            ORDER BY q.id
            LIMIT @Limit OFFSET @Offset
            """, args, cancellationToken: ct));
        return new BankPage([.. rows], total);
    }

    public async Task<BankQuestion?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<BankQuestion>(new CommandDefinition($"""
            SELECT q.id, v.version, v.markdown, v.source_file, q.retired_at, q.retired_by, q.updated_at
            FROM {QuestionSql.CurrentVersions}
            WHERE q.id = @id
            """, new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<BankVersionRow>> VersionsAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<BankVersionRow>(new CommandDefinition(
            "SELECT version, created_by, created_at, content_hash FROM question_versions WHERE question_id = @id ORDER BY version DESC",
            new { id }, cancellationToken: ct))];
    }

    /// <summary>
    /// Checks the edited Markdown (one question, same id) and stores it as a new version when it differs. The id is
    /// fixed: attempts and reports refer to it, and a different question needs a new id.
    /// </summary>
    public async Task<SaveResult> SaveAsync(string id, string markdown, CancellationToken ct = default)
    {
        var current = await GetAsync(id, ct);
        if (current is null)
        {
            return new SaveResult(SaveOutcome.NotFound, 0, null);
        }
        var check = CheckEdit(id, markdown);
        if (!check.Ok)
        {
            return new SaveResult(SaveOutcome.Invalid, current.Version, check);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var summary = await BankImporter.ImportAsync(connection, [check.Questions[0] with { SourceFile = current.SourceFile }],
            new ImportOptions(CreatedBy: BankImporter.FromOrganizer, Source: "organizer", Now: clock.GetUtcNow()), ct);
        return summary.Updated > 0
            ? new SaveResult(SaveOutcome.NewVersion, current.Version + 1, check)
            : new SaveResult(SaveOutcome.Unchanged, current.Version, check);
    }

    /// <summary>The validator's verdict on the editor's text: exactly one question, the one being edited.</summary>
    public static BankCheckResult CheckEdit(string id, string markdown)
    {
        const string file = "câu hỏi";
        var check = BankCheck.CheckText(file, markdown);
        var extra = new List<BankIssue>();
        if (check.Questions.Count == 0)
        {
            extra.Add(new BankIssue(file, 1, 1, $"Không thấy câu hỏi: văn bản phải bắt đầu bằng dòng '## {id}'."));
        }
        else if (check.Questions.Count > 1)
        {
            extra.Add(BankIssue.At(file, check.Questions[1].Positions.Heading, "Mỗi lần sửa một câu hỏi: bỏ các dòng '## ...' khác (thêm câu mới bằng tệp Markdown hoặc Excel)."));
        }
        else if (check.Questions[0].Id != id)
        {
            extra.Add(BankIssue.At(file, check.Questions[0].Positions.Heading, $"Không đổi id khi sửa: giữ '## {id}'. Câu hỏi khác cần id mới và được thêm bằng tệp Markdown hoặc Excel."));
        }
        return extra.Count == 0 ? check : check with { Errors = [.. extra, .. check.Errors] };
    }

    /// <returns>false when there is no such question or it was already retired.</returns>
    public async Task<bool> RetireAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE questions SET retired_at = @Now, retired_by = 'organizer', updated_at = @Now WHERE id = @id AND retired_at IS NULL",
            new { id, Now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> RestoreAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE questions SET retired_at = NULL, retired_by = NULL, updated_at = @Now WHERE id = @id AND retired_at IS NOT NULL",
            new { id, Now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    /// <summary>Current versions (in use, or all), parsed back from their canonical Markdown, for export.</summary>
    public async Task<IReadOnlyList<ParsedQuestion>> CurrentQuestionsAsync(bool includeRetired, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Markdown, string? SourceFile)>(new CommandDefinition($"""
            SELECT v.markdown, v.source_file
            FROM {QuestionSql.CurrentVersions}
            WHERE @includeRetired OR q.retired_at IS NULL
            ORDER BY v.source_file NULLS LAST, q.id
            """, new { includeRetired }, cancellationToken: ct));
        return [.. rows.SelectMany(r => BankParser.Parse("db", r.Markdown, r.SourceFile).Questions)];
    }

    /// <summary>Stores the questions of a checked spreadsheet (added or new versions; nothing retired).</summary>
    public async Task<ImportSummary> ImportSheetAsync(BankCheckResult sheet, string fileName, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await BankImporter.ImportAsync(connection, sheet.Questions,
            new ImportOptions(CreatedBy: BankImporter.FromXlsx, Source: fileName, Now: clock.GetUtcNow()), ct);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
