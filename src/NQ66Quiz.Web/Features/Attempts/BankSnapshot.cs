using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>
/// The drawable bank for starting attempts, reloaded only when it changed. Every start used to read the whole bank
/// (thousands of rows into objects); now it reads the bank's token inside the same transaction (one row, given a new
/// random value by every statement that writes a question or a version: migration 0140), so a question retired, added
/// or edited a moment ago is seen by the very next start, exactly as before.
/// </summary>
public sealed class BankSnapshot
{
    private readonly Lock _gate = new();
    private (Guid? Token, DrawableBank Bank)? _current;

    public async Task<DrawableBank> GetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        // No row (the table emptied by hand) means no token to trust: the bank is read afresh until a write puts one back.
        var token = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("SELECT token FROM bank_state", transaction: tx, cancellationToken: ct));
        lock (_gate)
        {
            if (token is not null && _current is { } c && c.Token == token)
            {
                return c.Bank;
            }
        }
        // Read after the token: a change committed in between makes this bank newer than its token, and the next start
        // (which sees the new token) reads it again; never older.
        var bank = new DrawableBank(await ContestStore.LoadBankAsync(connection, tx, ct), new());
        lock (_gate)
        {
            _current = (token, bank);
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
