using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Sql;

/// <summary>SQL Server cannot run here; what it would be sent must at least parse as T-SQL.</summary>
public sealed class SqlServerParsingTests
{
    public static TheoryData<string> SqlServerMigrations =>
        new(Migrator.Scripts(DatabaseProvider.SqlServer).Select(s => s.Name));

    [Theory, MemberData(nameof(SqlServerMigrations))]
    public void SqlServerMigration_ParsesAsTSql(string script)
    {
        var contents = Migrator.Scripts(DatabaseProvider.SqlServer).Single(s => s.Name == script).Contents;
        var errors = TSql.Errors(contents);
        Assert.True(errors.Count == 0, $"db/migrations/sqlserver/{script} does not parse:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void SqlServerMigrations_AreFound()
    {
        Assert.NotEmpty(SqlServerMigrations);
    }

    [Fact]
    public void TSqlCheck_CatchesWhatSqlServerWouldRefuse()
    {
        // The check is only worth something if it fails: SQLite/PostgreSQL paging and an unexpanded list are not T-SQL.
        Assert.NotEmpty(TSql.Errors(SqliteDialect.Instance.Render("SELECT id FROM teams ORDER BY name {page}")));
        Assert.NotEmpty(TSql.Errors("SELECT id FROM teams WHERE id IN @ids"));
        Assert.Empty(TSql.Errors(TSql.ExpandListParameters("SELECT id FROM teams WHERE id IN @ids")));
        Assert.Empty(TSql.Errors(SqlServerDialect.Instance.Render("SELECT id FROM teams ORDER BY name {page}")));
    }

    [Fact]
    public void SqlStatements_AreFoundByReflection()
    {
        Assert.True(SqlStatements.All.Count >= 20,
            $"Expected at least 20 const string ...Sql fields in Frontlijn.Web, found {SqlStatements.All.Count}: " +
            string.Join(", ", SqlStatements.All));
    }

    [Fact]
    public void EverySqlStatement_RenderedForSqlServer_ParsesAsTSql()
    {
        var failures = SqlStatements.All
            .Select(s => (s.Name, Rendered: SqlServerDialect.Instance.Render(s.Sql)))
            .Select(s => (s.Name, s.Rendered, Errors: TSql.Errors(TSql.ExpandListParameters(s.Rendered))))
            .Where(s => s.Errors.Count > 0)
            .Select(s => $"{s.Name}: {string.Join("; ", s.Errors)}\n{s.Rendered}")
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} statement(s) do not parse as T-SQL:\n\n{string.Join("\n\n", failures)}");
    }

    [Fact]
    public void EverySqlStatement_RenderedForPostgres_HasNoListParameter()
    {
        var failures = SqlStatements.All
            .Where(s => PostgresDialect.Instance.Render(s.Sql).Contains("IN @", StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Name)
            .ToList();
        Assert.True(failures.Count == 0, $"Npgsql gets a native array: 'IN @x' must become '= ANY(@x)' in {string.Join(", ", failures)}");
    }

    [Fact]
    public void EverySqlStatement_Rendered_HasNoTokenLeft()
    {
        string[] tokens = ["{page}", "{top}", "{noIndex}"];
        var failures = (
            from statement in SqlStatements.All
            from dialect in new SqlDialect[] { SqliteDialect.Instance, PostgresDialect.Instance, SqlServerDialect.Instance }
            where dialect.Render(statement.Sql) is var rendered && tokens.Any(t => rendered.Contains(t, StringComparison.Ordinal))
            select $"{statement.Name} ({dialect.Provider})").ToList();
        Assert.True(failures.Count == 0, $"A {{page}}, {{top}} or {{noIndex}} token left after rendering: {string.Join(", ", failures)}");
    }
}
