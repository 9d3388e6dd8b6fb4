using System.Globalization;
using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>What an import did. "Kept" counts questions whose file is unchanged while an organizer edited them since.</summary>
public sealed record ImportSummary(int Added, int Updated, int Retired, int Restored, int Unchanged, int Kept)
{
    public bool Changed => Added + Updated + Retired + Restored > 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Added} added, {Updated} updated, {Retired} retired, {Restored} restored, {Unchanged} unchanged")
        + (Kept > 0 ? string.Create(CultureInfo.InvariantCulture, $", {Kept} kept as edited by organizers") : "");
}

/// <param name="CreatedBy">Who writes these versions: <c>content</c> (files), <c>organizer</c> (browser) or <c>xlsx</c>.</param>
/// <param name="RetireMissing">
/// The questions are the whole bank of that channel: a question that came from it before and is missing now is
/// retired. Only the content/ import does this; an edit or a spreadsheet touches just its own questions.
/// </param>
/// <param name="Now">Time of the versions and retirements; pass the app's TimeProvider time.</param>
/// <param name="Log">Progress lines on large imports, and the summary.</param>
public sealed record ImportOptions(
    string CreatedBy = BankImporter.FromContent,
    bool RetireMissing = false,
    string Source = "api",
    DateTimeOffset? Now = null,
    TextWriter? Log = null);

/// <summary>
/// Puts questions into PostgreSQL (schema in 0002/0003): in one transaction, one new version per changed question
/// (same canonical Markdown, same hash, no new version), never deleting. An attempt stores question_versions.id, so
/// what it showed never changes afterwards.
/// </summary>
public static class BankImporter
{
    public const string FromContent = "content";
    public const string FromOrganizer = "organizer";
    public const string FromXlsx = "xlsx";

    private const long AdvisoryLockKey = 66_066_003;
    private const int ProgressEvery = 100;

    /// <summary>
    /// Stores valid questions (check them first: <see cref="BankCheck"/>). Opens the connection if it is closed; runs
    /// in its own transaction, so a failure stores nothing.
    /// </summary>
    public static async Task<ImportSummary> ImportAsync(NpgsqlConnection connection, IEnumerable<ParsedQuestion> questions, ImportOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ImportOptions();
        var now = options.Now ?? DateTimeOffset.UtcNow;
        var list = questions.ToList();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(ct);
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        // One import at a time (several app nodes may start together); organizer saves take the same lock.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@AdvisoryLockKey)", new { AdvisoryLockKey }, tx, cancellationToken: ct));

        var existing = (await connection.QueryAsync<ExistingRow>(new CommandDefinition($"""
            SELECT q.id, q.current_version, q.retired_at IS NOT NULL AS retired, q.retired_by, v.content_hash,
                   (SELECT c.content_hash FROM question_versions c
                     WHERE c.question_id = q.id AND c.created_by = @CreatedBy
                     ORDER BY c.version DESC LIMIT 1) AS channel_hash
            FROM {QuestionSql.CurrentVersions}
            """, new { options.CreatedBy }, tx, cancellationToken: ct))).ToDictionary(r => r.Id, StringComparer.Ordinal);

        int added = 0, updated = 0, retired = 0, restored = 0, unchanged = 0, kept = 0, done = 0;
        foreach (var q in list)
        {
            var hash = BankMarkdown.ContentHash(q);
            if (!existing.TryGetValue(q.Id, out var row))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO questions (id, current_version, created_at, updated_at) VALUES (@Id, 1, @Now, @Now)",
                    new { q.Id, Now = now }, tx, cancellationToken: ct));
                await InsertVersionAsync(connection, tx, q, 1, hash, options.CreatedBy, now, ct);
                added++;
            }
            else if (row.ContentHash == hash)
            {
                unchanged++;
            }
            else if (options.CreatedBy == FromContent && row.ChannelHash == hash)
            {
                // The file has not changed since it was last imported, but an organizer has edited the question in
                // the browser since: the newer edit stands until the file itself changes.
                kept++;
            }
            else
            {
                await InsertVersionAsync(connection, tx, q, row.CurrentVersion + 1, hash, options.CreatedBy, now, ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE questions SET current_version = @Version, updated_at = @Now WHERE id = @Id",
                    new { q.Id, Version = row.CurrentVersion + 1, Now = now }, tx, cancellationToken: ct));
                updated++;
            }
            // A question that left content/ and came back is in use again; one an organizer retired stays retired.
            if (row is { Retired: true, RetiredBy: FromContent } && options.CreatedBy == FromContent)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE questions SET retired_at = NULL, retired_by = NULL, updated_at = @Now WHERE id = @Id",
                    new { q.Id, Now = now }, tx, cancellationToken: ct));
                restored++;
            }
            if (++done % ProgressEvery == 0 && options.Log is { } log)
            {
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {done}/{list.Count} questions"));
            }
        }

        if (options.RetireMissing)
        {
            var present = list.Select(q => q.Id).ToArray();
            retired = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE questions q SET retired_at = @Now, retired_by = @CreatedBy, updated_at = @Now
                WHERE q.retired_at IS NULL
                  AND NOT (q.id = ANY(@Present))
                  AND EXISTS (SELECT 1 FROM question_versions v WHERE v.question_id = q.id AND v.created_by = @CreatedBy)
                """, new { Now = now, options.CreatedBy, Present = present }, tx, cancellationToken: ct));
        }

        var summary = new ImportSummary(added, updated, retired, restored, unchanged, kept);
        if (summary.Changed)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO content_imports (started_at, source, added, updated, retired, unchanged)
                VALUES (@Now, @Source, @Added, @Updated, @Retired, @Unchanged)
                """, new { Now = now, options.Source, Added = added, Updated = updated, Retired = retired, Unchanged = unchanged + kept }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return summary;
    }

    private static Task<int> InsertVersionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ParsedQuestion q, int version, string hash, string createdBy, DateTimeOffset now, CancellationToken ct)
    {
        var options = q.Options.Select((o, i) => new StoredOption((short)i, o.Md, BankMarkdown.InlineToHtml(o.Md), o.Correct)).ToList();
        return connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO question_versions (question_id, version, content_hash, kind, difficulty, viewpoints, tasks, topics,
                stem_md, stem_html, options, explanation_md, explanation_html, source, markdown, source_file, created_at, created_by)
            VALUES (@Id, @Version, @Hash, @Kind, @Difficulty, @Viewpoints, @Tasks, @Topics,
                @StemMd, @StemHtml, @Options::jsonb, @ExplanationMd, @ExplanationHtml, @Source, @Markdown, @SourceFile, @Now, @CreatedBy)
            """, new
        {
            q.Id,
            Version = version,
            Hash = hash,
            q.Kind,
            q.Difficulty,
            Viewpoints = q.Viewpoints.Select(v => (short)v).ToArray(),
            Tasks = q.Tasks.Select(t => (short)t).ToArray(),
            Topics = q.Topics.ToArray(),
            q.StemMd,
            StemHtml = BankMarkdown.ToHtml(q.StemMd),
            Options = StoredOption.ToJson(options),
            q.ExplanationMd,
            ExplanationHtml = BankMarkdown.ToHtml(q.ExplanationMd),
            q.Source,
            Markdown = BankMarkdown.Canonical(q),
            q.SourceFile,
            Now = now,
            CreatedBy = createdBy,
        }, tx, cancellationToken: ct));
    }

    private sealed record ExistingRow(string Id, int CurrentVersion, bool Retired, string? RetiredBy, string ContentHash, string? ChannelHash);
}
