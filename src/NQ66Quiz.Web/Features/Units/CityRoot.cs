using Dapper;
using Npgsql;

namespace NQ66Quiz.Web.Features.Units;

/// <summary>
/// The root of the unit tree, Thành phố Hà Nội (kind 'city'). Migration 0020 creates it; a database emptied since
/// (the tests empty every table) gets it back here, and every top-level unit without a parent moves below it.
/// </summary>
public static class CityRoot
{
    public const string Code = "thanh-pho-ha-noi";
    public const string Name = "Thành phố Hà Nội";

    public static async Task<int> EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var id = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "SELECT id FROM units WHERE kind = 'city'", transaction: tx, cancellationToken: ct));
        if (id is null)
        {
            // ON CONFLICT: two first requests at once both try to create it; the unique index keeps one.
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO units (code, kind, name, type, search_key, source)
                VALUES (@Code, 'city', @Name, 'thành phố', @Key, 'Thành phố trực thuộc trung ương')
                ON CONFLICT DO NOTHING
                """, new { Code, Name, Key = VietnameseText.Fold(Name) }, tx, cancellationToken: ct));
            id = await connection.QuerySingleAsync<int>(new CommandDefinition(
                "SELECT id FROM units WHERE kind = 'city'", transaction: tx, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE units SET parent_id = @id WHERE parent_id IS NULL AND kind <> 'city'", new { id }, tx, cancellationToken: ct));
        return id.Value;
    }
}
