namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>
/// The provider matrix. Every integration test is a theory over these: SQLite always; PostgreSQL when
/// FRONTLIJN_TEST_POSTGRES is set (and always under CI=true, where a missing server makes the test fail, never skip);
/// SQL Server when FRONTLIJN_TEST_SQLSERVER is set.
/// </summary>
public static class Providers
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("FRONTLIJN_TEST_POSTGRES");
    public static string? SqlServerConnectionString => Environment.GetEnvironmentVariable("FRONTLIJN_TEST_SQLSERVER");

    public static string? RedisConfiguration => Environment.GetEnvironmentVariable("FRONTLIJN_TEST_REDIS");

    /// <summary>
    /// Tests of the scale-out setup (two nodes, Redis backplane): present when FRONTLIJN_TEST_REDIS is set, and always
    /// under CI=true, where a missing Redis makes them fail rather than skip.
    /// </summary>
    public static TheoryData<string> WithRedis
    {
        get
        {
            var data = new TheoryData<string>();
            if (InCi || !string.IsNullOrWhiteSpace(RedisConfiguration))
            {
                foreach (var provider in All) data.Add(provider);
            }
            return data;
        }
    }

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (InCi || !string.IsNullOrWhiteSpace(PostgresConnectionString)) data.Add(Postgres);
            if (!string.IsNullOrWhiteSpace(SqlServerConnectionString)) data.Add(SqlServer);
            return data;
        }
    }
}
