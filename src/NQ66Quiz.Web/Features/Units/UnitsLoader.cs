using Dapper;
using Npgsql;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Units;

/// <summary>
/// Loads <c>units/hanoi-units.csv</c> into <c>units</c>: inserts new units, updates changed ones (by code, the folded
/// name), leaves unchanged rows alone. Units missing from the file are kept: participants and contests point at them.
/// Headcounts are not in the file and are never overwritten here. New units go below the city root (when it exists;
/// <c>UnitDirectory.CityRootAsync</c> adopts them otherwise); a unit's parent is never changed here.
/// </summary>
internal sealed class UnitsLoader(NpgsqlDataSource dataSource) : IContentLoader
{
    public const string RelativePath = "units/hanoi-units.csv";

    public int Order => 10;

    public string Name => "units";

    public async Task<bool> LoadAsync(string contentRoot, TextWriter log, CancellationToken ct)
    {
        var path = Path.Combine(contentRoot, RelativePath);
        if (!File.Exists(path))
        {
            await log.WriteLineAsync($"  {RelativePath} not found; units unchanged");
            return true;
        }
        var text = (await File.ReadAllTextAsync(path, ct)).TrimStart('\uFEFF');
        var (rows, errors) = UnitsCsv.Parse(text, RelativePath);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await log.WriteLineAsync("  error: " + error);
            }
            await log.WriteLineAsync($"  {errors.Count} error(s); no unit was stored");
            return false;
        }
        var (added, updated) = await UpsertAsync(rows, ct);
        await log.WriteLineAsync($"  {rows.Count} units: {added} added, {updated} updated, {rows.Count - added - updated} unchanged");
        return true;
    }

    public async Task<(int Added, int Updated)> UpsertAsync(IReadOnlyList<UnitRow> rows, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        int added = 0, updated = 0;
        foreach (var row in rows)
        {
            // xmax = 0 on the returned row means it was inserted; no row returned means nothing changed.
            var inserted = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
                INSERT INTO units (code, kind, name, type, former_districts, population, search_key, source, parent_id)
                VALUES (@Code, @Kind, @Name, @Type, @FormerDistricts, @Population, @SearchKey, @Source,
                        (SELECT id FROM units WHERE kind = 'city'))
                ON CONFLICT (code) DO UPDATE SET
                    kind = EXCLUDED.kind, name = EXCLUDED.name, type = EXCLUDED.type,
                    former_districts = EXCLUDED.former_districts, population = EXCLUDED.population,
                    search_key = EXCLUDED.search_key, source = EXCLUDED.source
                WHERE (units.kind, units.name, units.type, units.former_districts, units.population, units.search_key, units.source)
                    IS DISTINCT FROM
                      (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.type, EXCLUDED.former_districts, EXCLUDED.population, EXCLUDED.search_key, EXCLUDED.source)
                RETURNING xmax = 0
                """, row, tx, cancellationToken: ct));
            if (inserted == true)
            {
                added++;
            }
            else if (inserted == false)
            {
                updated++;
            }
        }
        await tx.CommitAsync(ct);
        return (added, updated);
    }
}
