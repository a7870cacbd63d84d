using System.Net;
using System.Net.Sockets;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Frontlijn.UnitTests.Web;

/// <summary>
/// What counts as "the database is unavailable" (503) and what does not (409, 500). The failures are produced by the
/// real drivers where that is possible without a server: a refused port, a file that cannot be opened, a duplicate key.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    /// <summary>A loopback port that was just free: nothing listens there, so a connect is refused.</summary>
    private static int ClosedLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task Npgsql_ConnectionRefused_IsUnavailable()
    {
        var port = ClosedLoopbackPort();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;Timeout=3;Pooling=false");
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());
        Assert.True(DatabaseUnavailable.Is(failure), failure.ToString());
    }

    [Fact]
    public async Task SqlServer_ConnectionRefused_IsUnavailable()
    {
        // The real driver against a loopback port where nothing listens. On Linux its managed network layer reports
        // this as number 0 with the socket failure inside (not the Windows network numbers), which was a 500 before.
        var port = ClosedLoopbackPort();
        await using var connection = new Microsoft.Data.SqlClient.SqlConnection(
            $"Server=tcp:127.0.0.1,{port};User ID=x;Password=x;Connect Timeout=3;Pooling=false;Encrypt=false;ConnectRetryCount=0");
        var failure = await Assert.ThrowsAsync<Microsoft.Data.SqlClient.SqlException>(() => connection.OpenAsync());
        Assert.True(DatabaseUnavailable.Is(failure), failure.ToString());
    }

    [Fact]
    public async Task Sqlite_FileThatCannotBeOpened_IsUnavailable()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"frontlijn-missing-{Guid.NewGuid():N}", "db.sqlite");
        await using var connection = new SqliteConnection($"Data Source={missing};Mode=ReadWrite;Pooling=False");
        var failure = await Assert.ThrowsAsync<SqliteException>(() => connection.OpenAsync());
        Assert.Equal(14, failure.SqliteErrorCode); // SQLITE_CANTOPEN
        Assert.True(DatabaseUnavailable.Is(failure));
    }

    [Fact]
    public async Task Sqlite_UniqueViolation_IsNotUnavailable()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1);";
        var failure = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.False(DatabaseUnavailable.Is(failure));
    }

    [Fact]
    public async Task Sqlite_BusyPastTheTimeout_IsUnavailable_ButABusySnapshotIsAConflict()
    {
        var file = Path.Combine(Path.GetTempPath(), $"frontlijn-busy-{Guid.NewGuid():N}.db");
        try
        {
            await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "CREATE TABLE t (id INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);";
                await begin.ExecuteNonQueryAsync();
            }
            await using var writer = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=1");
            await writer.OpenAsync();
            await using var write = writer.CreateCommand();
            write.CommandText = "INSERT INTO t VALUES (2)";
            var busy = await Assert.ThrowsAsync<SqliteException>(() => write.ExecuteNonQueryAsync());
            Assert.Equal(5, busy.SqliteErrorCode);
            Assert.True(DatabaseUnavailable.Is(busy));
            Assert.False(SqliteDialect.Instance.IsConcurrencyConflict(busy));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
        var snapshot = new SqliteException("database is locked", 5, 517);
        Assert.False(DatabaseUnavailable.Is(snapshot));
        Assert.True(SqliteDialect.Instance.IsConcurrencyConflict(snapshot));
    }

    [Theory]
    [InlineData("57P01", true)]  // admin_shutdown: the server is going down
    [InlineData("57P03", true)]  // cannot_connect_now: starting up
    [InlineData("08006", true)]  // connection_failure
    [InlineData("53300", true)]  // too_many_connections
    [InlineData("58030", true)]  // io_error
    [InlineData("40P01", false)] // deadlock: a conflict, 409
    [InlineData("40001", false)] // serialization_failure: a conflict, 409
    [InlineData("23505", false)] // unique_violation: 409
    [InlineData("42P01", false)] // undefined_table: a bug, 500
    public void Postgres_SqlState(string sqlState, bool unavailable) =>
        Assert.Equal(unavailable, DatabaseUnavailable.Is(new PostgresException("x", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void Wrapped_IsFound_OtherExceptions_AreNot()
    {
        var cut = new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer"));
        Assert.True(DatabaseUnavailable.Is(cut));
        Assert.True(DatabaseUnavailable.Is(new InvalidOperationException("wrapped", cut)));
        Assert.True(DatabaseUnavailable.Is(new AggregateException(new InvalidOperationException("other"), cut)));
        Assert.True(DatabaseUnavailable.Is(new NpgsqlException("pool exhausted", new TimeoutException())));
        Assert.False(DatabaseUnavailable.Is(new NpgsqlException("bad parameter")));
        Assert.False(DatabaseUnavailable.Is(new InvalidOperationException("a bug")));
        Assert.False(DatabaseUnavailable.Is(new IOException("not from a database driver")));
        Assert.False(DatabaseUnavailable.Is(null));
    }
}
