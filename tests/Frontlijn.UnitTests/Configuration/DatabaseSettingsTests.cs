using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Configuration;

public sealed class DatabaseSettingsTests
{
    [Fact]
    public void Nothing_Configured_IsSqlite_OnTheLocalDataFile()
    {
        var settings = DatabaseSettings.FromConfiguration(Config.From());
        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("Data Source=./data/frontlijn.db", settings.ConnectionString);
    }

    [Theory]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("SQLite", DatabaseProvider.Sqlite)]
    [InlineData("postgres", DatabaseProvider.Postgres)]
    [InlineData(" PostgreSQL ", DatabaseProvider.Postgres)]
    [InlineData("sqlserver", DatabaseProvider.SqlServer)]
    [InlineData("", DatabaseProvider.Sqlite)]
    public void Provider_IsRead_CaseInsensitively(string provider, DatabaseProvider expected)
    {
        var settings = DatabaseSettings.FromConfiguration(Config.From(
            ("Database:Provider", provider), ("ConnectionStrings:Frontlijn", "Host=db;Database=frontlijn")));
        Assert.Equal(expected, settings.Provider);
        Assert.Equal("Host=db;Database=frontlijn", settings.ConnectionString);
    }

    [Fact]
    public void Sqlite_WithItsOwnConnectionString_KeepsIt()
    {
        var settings = DatabaseSettings.FromConfiguration(Config.From(("ConnectionStrings:Frontlijn", "Data Source=/var/lib/frontlijn.db")));
        Assert.Equal("Data Source=/var/lib/frontlijn.db", settings.ConnectionString);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("oracle")]
    public void UnknownProvider_IsRefused_Naming(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DatabaseSettings.FromConfiguration(Config.From(("Database:Provider", provider))));
        Assert.Contains(provider, error.Message, StringComparison.Ordinal);
        Assert.Contains("Database:Provider", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres", null)]
    [InlineData("postgres", " ")]
    [InlineData("sqlserver", null)]
    public void ServerProvider_WithoutConnectionString_IsRefused(string provider, string? connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.FromConfiguration(Config.From(
            ("Database:Provider", provider), ("ConnectionStrings:Frontlijn", connectionString))));
        Assert.Contains("ConnectionStrings:Frontlijn", error.Message, StringComparison.Ordinal);
    }
}
