using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// The one place that decides whether an exception means "the database cannot be reached or cannot serve right now"
/// (down, unreachable, restarting, out of connections, timed out, the file locked beyond the busy timeout) rather than
/// a bug or a refusal. Such a failure is answered 503 with <c>Retry-After</c> on every endpoint (never 500); the client
/// did nothing wrong and the same request may succeed a moment later.
/// <para>
/// Why this is needed at all: the providers throw very different things for the same outage, and they arrive from
/// different places — from Dapper (which does not wrap them), from inside Mediator's pipeline, from the JWT handler's
/// event, the cookie session check and the claims transformation (all inside the authentication middleware), from
/// Hangfire's PostgreSQL storage and from a health check. Before this class the edge knew none of them and answered
/// 500 to each (issue 12: 20,892 × 500 during a 30 s PostgreSQL outage).
/// </para>
/// <list type="bullet">
/// <item>Npgsql: <see cref="NpgsqlException"/> whose inner exception is an <see cref="IOException"/> (connection cut
/// mid-query), a <see cref="SocketException"/> (refused, unreachable) or a <see cref="TimeoutException"/> (connect or
/// command timeout, pool exhausted) — <see cref="DbException.IsTransient"/>; and <see cref="PostgresException"/> with a
/// connection (08), resource (53), operator-intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting
/// up) or system (58) SQLSTATE. Not deadlocks and serialisation failures: those are conflicts (409).</item>
/// <item>SQLite: SQLITE_BUSY after the busy timeout (another process holds the write lock), SQLITE_LOCKED, I/O errors,
/// a full disk, a file that cannot be opened. Not SQLITE_BUSY_SNAPSHOT (517): that is a write conflict (409).</item>
/// <item>SQL Server: the network, timeout, "cannot open database" and Azure SQL throttling error numbers, and (Linux,
/// macOS: number 0) a socket, I/O or timeout failure as the inner exception.</item>
/// </list>
/// The chain of inner exceptions (and of an <see cref="AggregateException"/>) is searched, so a provider exception
/// wrapped by a library is recognised too.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Is(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            if (IsUnavailable(exception)) return true;
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(Is)) return true;
            exception = exception.InnerException;
        }
        return false;
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => IsUnavailableSqlState(postgres.SqlState),
        // Client-side: no server answer at all (refused, cut, timed out, pool exhausted).
        NpgsqlException npgsql => npgsql.InnerException is IOException or SocketException or TimeoutException,
        SqliteException sqlite => IsUnavailableSqlite(sqlite),
        DbException other => IsUnavailableSqlServer(other),
        _ => false,
    };

    // Its own method, as in ClearPools: a type test on SqlException inside IsUnavailable made the first database
    // error of a SQLite or PostgreSQL node load Microsoft.Data.SqlClient (the JIT loads what a method names).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsUnavailableSqlServer(DbException exception) =>
        exception is SqlException sql &&
        (sql.Errors.Cast<SqlError>().Any(e => SqlServerUnavailable.Contains(e.Number)) || SqlServerUnavailable.Contains(sql.Number)
         || HasNetworkCause(sql.InnerException));

    // On Linux and macOS SqlClient's managed network layer reports a refused, unreachable or timed-out connect as
    // number 0 ("provider: TCP Provider, error: 35 - An internal exception was caught"), with the socket's own failure
    // as the inner exception (dotnet/SqlClient#1773): the Windows error numbers above never appear there. The inner
    // cause is what says "no server answered", as for Npgsql.
    private static bool HasNetworkCause(Exception? inner)
    {
        for (var depth = 0; inner is not null && depth < 8; depth++)
        {
            if (inner is SocketException or IOException or TimeoutException) return true;
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(e => HasNetworkCause(e))) return true;
            inner = inner.InnerException;
        }
        return false;
    }

    internal static bool IsUnavailableSqlState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || sqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources: too many connections, disk full, out of memory
        || sqlState.StartsWith("58", StringComparison.Ordinal) // system error (I/O)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.DatabaseDropped or PostgresErrorCodes.IdleSessionTimeout;

    private static bool IsUnavailableSqlite(SqliteException exception) => exception.SqliteErrorCode switch
    {
        5 => exception.SqliteExtendedErrorCode != 517, // SQLITE_BUSY, but not SQLITE_BUSY_SNAPSHOT
        6 or 10 or 13 or 14 => true,                    // LOCKED, IOERR, FULL, CANTOPEN
        _ => false,
    };

    // -2 timeout; -1, 2, 53, 64, 121, 233, 258, 10053, 10054, 10060, 10061, 11001 network; 4060 cannot open database;
    // 4221, 10928, 10929, 40143, 40197, 40501, 40540, 40613, 42108, 42109, 49918-49920 Azure SQL busy/throttled/moving.
    private static readonly HashSet<int> SqlServerUnavailable =
    [
        -2, -1, 2, 53, 64, 121, 233, 258, 4060, 4221, 10053, 10054, 10060, 10061, 10928, 10929, 11001,
        40143, 40197, 40501, 40540, 40613, 42108, 42109, 49918, 49919, 49920,
    ];

    /// <summary>
    /// Drops the idle pooled connections of the provider. A connection that sat in the pool while the server went away
    /// looks fine until it is used, and would fail the first requests after the database is back; clearing the pool
    /// when an outage is seen makes recovery clean (pool pruning alone takes minutes). Busy SQLite files keep their
    /// pool: nothing is wrong with those connections.
    /// </summary>
    public static void ClearPools(DatabaseProvider provider, Exception exception)
    {
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                NpgsqlConnection.ClearAllPools();
                break;
            case DatabaseProvider.SqlServer:
                ClearSqlServerPools();
                break;
            case DatabaseProvider.Sqlite when !IsBusy(exception):
                SqliteConnection.ClearAllPools();
                break;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ClearSqlServerPools() => SqlConnection.ClearAllPools();

    private static bool IsBusy(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SqliteException { SqliteErrorCode: 5 or 6 }) return true;
        }
        return false;
    }
}
