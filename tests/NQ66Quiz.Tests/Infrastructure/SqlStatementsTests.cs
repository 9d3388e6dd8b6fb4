using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Tests.Infrastructure;

public sealed class SqlStatementsTests
{
    [Fact]
    public void Splits_on_statement_ends_and_reports_where_each_starts()
    {
        const string sql = "-- header\nCREATE TABLE a (id int);\n\nCREATE TABLE b (\n  id int\n);\nSELECT 1";

        var statements = SqlStatements.Split(sql).ToList();

        Assert.Equal(["CREATE TABLE a (id int);", "CREATE TABLE b (\n  id int\n);", "SELECT 1"], statements.Select(s => s.Statement));
        Assert.Equal([2, 4, 7], statements.Select(s => Migrator.LineOf(sql, s.Offset)));
    }

    [Fact]
    public void Semicolons_in_strings_comments_and_dollar_bodies_do_not_split()
    {
        const string sql = "INSERT INTO t VALUES ('a;b', \"c;d\"); /* x; y */ DO $body$ BEGIN PERFORM 1; END $body$; -- tail; comment";

        var statements = SqlStatements.Split(sql).Select(s => s.Statement).ToList();

        Assert.Equal(2, statements.Count);
        Assert.Equal("INSERT INTO t VALUES ('a;b', \"c;d\");", statements[0]);
        Assert.Contains("PERFORM 1; END $body$;", statements[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_and_blank_statements_yield_nothing()
    {
        Assert.Empty(SqlStatements.Split("-- only a comment\n;\n  ;\n"));
    }

    [Fact]
    public void Embedded_migrations_are_ordered_by_name_and_numbered()
    {
        var names = Migrator.Embedded().Select(m => m.Name).ToList();

        Assert.NotEmpty(names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(names, n => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", n));
    }
}
