// The database name is generated here (frontlijn_test_<guid>), never user input; DDL cannot take it as a parameter.
#pragma warning disable DAP241
using Microsoft.Data.SqlClient;
using Npgsql;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>A real, empty database of one provider for one test run; dropped at the end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string _name;

    public string Provider { get; }
    public string ConnectionString { get; }

    private TestDatabase(string provider, string connectionString, string name, string? adminConnectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _name = name;
        _adminConnectionString = adminConnectionString;
    }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        var name = $"frontlijn_test_{Guid.NewGuid():N}"[..32];
        switch (provider)
        {
            case Providers.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), $"{name}.db");
                return new TestDatabase(provider, $"Data Source={file}", file, null);
            case Providers.Postgres:
            {
                var admin = Providers.PostgresConnectionString;
                if (string.IsNullOrWhiteSpace(admin))
                {
                    throw new InvalidOperationException(
                        "CI=true requires PostgreSQL: set FRONTLIJN_TEST_POSTGRES (scripts/test.sh starts a server and sets it).");
                }
                await using (var connection = new NpgsqlConnection(admin))
                {
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                    await command.ExecuteNonQueryAsync();
                }
                var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
                return new TestDatabase(provider, builder.ToString(), name, admin);
            }
            case Providers.SqlServer:
            {
                var admin = Providers.SqlServerConnectionString!;
                await using (var connection = new SqlConnection(admin))
                {
                    await connection.OpenAsync();
                    await using var command = new SqlCommand($"CREATE DATABASE [{name}]", connection);
                    await command.ExecuteNonQueryAsync();
                }
                var builder = new SqlConnectionStringBuilder(admin) { InitialCatalog = name };
                return new TestDatabase(provider, builder.ToString(), name, admin);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            switch (Provider)
            {
                case Providers.Sqlite:
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    foreach (var suffix in new[] { "", "-wal", "-shm" })
                    {
                        File.Delete(_name + suffix);
                    }
                    break;
                case Providers.Postgres:
                    NpgsqlConnection.ClearAllPools();
                    await using (var connection = new NpgsqlConnection(_adminConnectionString))
                    {
                        await connection.OpenAsync();
                        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
                        await command.ExecuteNonQueryAsync();
                    }
                    break;
                case Providers.SqlServer:
                    SqlConnection.ClearAllPools();
                    await using (var connection = new SqlConnection(_adminConnectionString))
                    {
                        await connection.OpenAsync();
                        await using var command = new SqlCommand(
                            $"ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]", connection);
                        await command.ExecuteNonQueryAsync();
                    }
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or System.Data.Common.DbException)
        {
            // Best effort: a leftover temp database does not make a test wrong.
        }
    }
}
