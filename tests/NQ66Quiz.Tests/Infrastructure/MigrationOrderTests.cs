using System.Globalization;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Tests.Infrastructure;

/// <summary>
/// Migrations apply in name order. A file that sorts before one already applied would run after it on existing
/// databases and before it on new ones, so two databases would differ: new numbers only grow.
/// </summary>
public sealed class MigrationOrderTests
{
    private static readonly IReadOnlyList<(string Name, string Checksum)> Shipped = ReadShipped();

    private static IReadOnlyList<(string Name, string Checksum)> ReadShipped()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NQ66Quiz.sln")))
        {
            dir = dir.Parent;
        }
        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("NQ66Quiz.sln not found"), "src", "NQ66Quiz.Web", "Migrations", "shipped.txt");
        return
        [
            .. File.ReadAllLines(path)
                .Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(p => (p[0], p[1])),
        ];
    }

    [Fact]
    public void The_shipped_list_is_itself_in_order_and_starts_at_0001()
    {
        Assert.Equal("0001_units.sql", Shipped[0].Name);
        Assert.Equal(Shipped.Select(s => s.Name).Order(StringComparer.Ordinal), Shipped.Select(s => s.Name));
        Assert.Contains(Shipped, s => s.Name == "0010_practice_participant_fk.sql");
    }

    [Fact]
    public void No_shipped_migration_is_missing_renamed_or_edited()
    {
        var embedded = Migrator.Embedded().ToDictionary(m => m.Name, m => m.Checksum, StringComparer.Ordinal);

        Assert.All(Shipped, s =>
        {
            Assert.True(embedded.ContainsKey(s.Name), $"shipped migration {s.Name} is missing or was renamed");
            Assert.True(embedded[s.Name] == s.Checksum, $"shipped migration {s.Name} was edited; add a new migration instead");
        });
    }

    [Fact]
    public void Every_new_migration_sorts_after_the_last_shipped_one()
    {
        var last = Shipped[^1].Name;
        var added = Migrator.Embedded().Select(m => m.Name).Where(n => Shipped.All(s => s.Name != n)).ToList();

        Assert.All(added, n => Assert.True(string.CompareOrdinal(n, last) > 0,
            $"{n} sorts before the shipped {last}: existing databases would apply it after {last}, new ones before. Number it above {last[..4]}."));
    }

    [Fact]
    public void Each_migration_has_its_own_four_digit_number()
    {
        var names = Migrator.Embedded().Select(m => m.Name).ToList();

        Assert.All(names, n => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", n));
        Assert.Equal(names.Count, names.Select(n => int.Parse(n[..4], CultureInfo.InvariantCulture)).Distinct().Count());
    }
}
