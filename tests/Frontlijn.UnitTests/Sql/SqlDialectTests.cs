using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Sql;

public sealed class SqlDialectTests
{
    private const string Paged = "SELECT id FROM teams ORDER BY name, id {page}";

    [Fact]
    public void Page_OnSqlite_IsLimitOffset() =>
        Assert.Equal("SELECT id FROM teams ORDER BY name, id LIMIT @limit OFFSET @offset", SqliteDialect.Instance.Render(Paged));

    [Fact]
    public void Page_OnPostgres_IsLimitOffset() =>
        Assert.Equal("SELECT id FROM teams ORDER BY name, id LIMIT @limit OFFSET @offset", PostgresDialect.Instance.Render(Paged));

    [Fact]
    public void Page_OnSqlServer_IsOffsetFetch() =>
        Assert.Equal("SELECT id FROM teams ORDER BY name, id OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY",
            SqlServerDialect.Instance.Render(Paged));

    [Fact]
    public void NoIndex_OnSqlite_IsAUnaryPlus_AndNothingElsewhere()
    {
        const string sql = "WHERE ({noIndex}s.latest_end IS NULL OR {noIndex}s.latest_end < @periodEnd) GROUP BY {noIndex}s.household_id";
        Assert.Equal("WHERE (+s.latest_end IS NULL OR +s.latest_end < @periodEnd) GROUP BY +s.household_id",
            SqliteDialect.Instance.Render(sql));
        var portable = "WHERE (s.latest_end IS NULL OR s.latest_end < @periodEnd) GROUP BY s.household_id";
        Assert.Equal(portable, PostgresDialect.Instance.Render(sql));
        Assert.Equal(portable, SqlServerDialect.Instance.Render(sql));
    }

    [Fact]
    public void InList_OnPostgres_IsAny() =>
        Assert.Equal("SELECT id FROM teams WHERE id = ANY(@ids)", PostgresDialect.Instance.Render("SELECT id FROM teams WHERE id IN @ids"));

    [Fact]
    public void NotInList_OnPostgres_IsNotEqualAll() =>
        Assert.Equal("SELECT id FROM teams WHERE id <> ALL(@ids)",
            PostgresDialect.Instance.Render("SELECT id FROM teams WHERE id NOT IN @ids"));

    [Fact]
    public void InList_OnPostgres_IgnoresCaseAndLineBreaks()
    {
        Assert.Equal("WHERE a = ANY(@first) AND b <> ALL(@second)",
            PostgresDialect.Instance.Render("WHERE a in\n  @first AND b not in @second"));
    }

    [Fact]
    public void InList_OnPostgres_LeavesLiteralListsAndOtherWordsAlone()
    {
        const string sql = "SELECT origin FROM t WHERE role IN ('coach', 'admin') AND origin = @origin AND x JOIN @y";
        Assert.Equal(sql, PostgresDialect.Instance.Render(sql));
    }

    [Theory]
    [InlineData("SELECT id FROM teams WHERE id IN @ids")]
    [InlineData("SELECT id FROM teams WHERE id NOT IN @ids")]
    public void InList_OnSqliteAndSqlServer_IsLeftForDapperToExpand(string sql)
    {
        Assert.Equal(sql, SqliteDialect.Instance.Render(sql));
        Assert.Equal(sql, SqlServerDialect.Instance.Render(sql));
    }

    [Fact]
    public void Render_WithoutTokens_ChangesNothing()
    {
        const string sql = "SELECT COUNT(*) FROM users WHERE username = @username";
        Assert.Equal(sql, SqliteDialect.Instance.Render(sql));
        Assert.Equal(sql, PostgresDialect.Instance.Render(sql));
        Assert.Equal(sql, SqlServerDialect.Instance.Render(sql));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void For_ReturnsTheDialectOfThatProvider(DatabaseProvider provider) =>
        Assert.Equal(provider, SqlDialect.For(provider).Provider);

    // The connection defaults (PostgresDialect.Complete): the service's own unless the operator's string names the key,
    // read back through Npgsql's builder, i.e. what the driver will actually use.
    [Theory]
    [InlineData("Host=db;Username=frontlijn", 64, 5, "-c jit=off")]
    [InlineData("Host=db;Max Auto Prepare=0", 0, 5, "-c jit=off")]
    [InlineData("Host=db;Max Auto Prepare=20;Auto Prepare Min Usages=2", 20, 2, "-c jit=off")]
    [InlineData("Host=db;maxautoprepare=0", 0, 5, "-c jit=off")]
    [InlineData("Host=db;Options=-c jit=on", 64, 5, "-c jit=on")]
    public void Postgres_ConnectsWithAutoPrepareAndJitOff_UnlessTheConnectionStringSaysOtherwise(
        string given, int maxAutoPrepare, int minUsages, string options)
    {
        var used = new Npgsql.NpgsqlConnectionStringBuilder(PostgresDialect.Complete(given));
        Assert.Equal(maxAutoPrepare, used.MaxAutoPrepare);
        Assert.Equal(minUsages, used.AutoPrepareMinUsages);
        Assert.Equal(options, used.Options);
        Assert.Equal("db", used.Host);
    }
}
