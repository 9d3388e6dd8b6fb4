using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>
/// The drawable bank for starting attempts, reloaded only when it changed. Every start used to read the whole bank
/// (thousands of rows into objects); now it reads a signature of the bank instead (one row) inside the same
/// transaction, so a question retired, added or edited a moment ago is seen by the very next start, exactly as before.
/// </summary>
public sealed class BankSnapshot
{
    private readonly Lock _gate = new();
    private (Signature Key, DrawableBank Bank)? _current;

    private sealed record Signature(long Drawable, long QuestionWrites, long VersionWrites, long MaxVersionId);

    public async Task<DrawableBank> GetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        // xmin is the transaction that last wrote a row: any insert, edit, retirement or version switch changes the
        // sum, even where ids are reused (a test database reseeded between tests).
        var key = await connection.QuerySingleAsync<Signature>(new CommandDefinition("""
            SELECT count(*) AS drawable, coalesce(sum(q.xmin::text::bigint), 0)::bigint AS question_writes,
                   coalesce(sum(v.xmin::text::bigint), 0)::bigint AS version_writes, coalesce(max(v.id), 0) AS max_version_id
            FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
            WHERE q.retired_at IS NULL
            """, transaction: tx, cancellationToken: ct));
        lock (_gate)
        {
            if (_current is { } c && c.Key == key)
            {
                return c.Bank;
            }
        }
        var bank = new DrawableBank(await ContestStore.LoadBankAsync(connection, tx, ct), new());
        lock (_gate)
        {
            _current = (key, bank);
        }
        return bank;
    }
}

/// <summary>
/// The questions a paper is drawn from, and what a paper shows of each version drawn so far (filled as versions are
/// drawn; a new snapshot, made whenever the bank changes, starts empty). A version row is never changed once written.
/// </summary>
public sealed record DrawableBank(IReadOnlyList<BankQuestion> Questions, ConcurrentDictionary<long, DrawnVersion> Versions);

/// <summary>A question version as a new paper shows it: its kind, stem and options by id (the key stays on the server).</summary>
public sealed record DrawnVersion(string Kind, string StemHtml, IReadOnlyDictionary<short, StoredOption> Options)
{
    /// <summary>The option ids in id order, the order a new paper shuffles.</summary>
    public short[] OptionIds { get; } = [.. Options.Keys.Order()];
}
