namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>The three databases Frontlijn runs on; chosen by <c>Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqliteConnectionString = "Data Source=./data/frontlijn.db";

    /// <summary>Reads <c>Database:Provider</c> and <c>ConnectionStrings:Frontlijn</c>; SQLite on a local file when nothing is set.</summary>
    public static DatabaseSettings FromConfiguration(IConfiguration configuration)
    {
        var providerText = configuration["Database:Provider"];
        var provider = providerText?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            "sqlserver" => DatabaseProvider.SqlServer,
            _ => throw new InvalidOperationException(
                $"Database:Provider '{providerText}' is not supported; use 'sqlite', 'postgres' or 'sqlserver'."),
        };
        var connectionString = configuration.GetConnectionString("Frontlijn");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider != DatabaseProvider.Sqlite)
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:Frontlijn must be set when Database:Provider is '{providerText}'.");
            }
            connectionString = DefaultSqliteConnectionString;
        }
        return new DatabaseSettings(provider, connectionString);
    }
}
