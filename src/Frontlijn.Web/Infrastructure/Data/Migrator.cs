using System.Reflection;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Data.Sqlite;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// Applies the numbered, forward-only scripts of <c>db/migrations/&lt;provider&gt;/</c> (embedded in this assembly)
/// with DbUp. Runs at start-up and from the <c>migrate</c> verb; DbUp's journal table makes it safe to run again.
/// </summary>
public sealed class Migrator(DatabaseSettings settings, ILogger<Migrator> logger)
{
    public static string FolderOf(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.Postgres => "postgres",
        DatabaseProvider.SqlServer => "sqlserver",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>The scripts for one provider, in the order they apply (file names are zero-padded numbers).</summary>
    public static IReadOnlyList<SqlScript> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"migrations/{FolderOf(provider)}/";
        return assembly.GetManifestResourceNames()
            .Select(n => n.Replace('\\', '/'))
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new SqlScript(n[prefix.Length..], Read(assembly, n)))
            .ToList();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? assembly.GetManifestResourceStream(name.Replace('/', '\\'))
            ?? throw new InvalidOperationException($"Missing embedded migration {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Migrate()
    {
        PrepareDatabase();
        // Several nodes may start at once: one migrates, the others wait for it and then find nothing to do.
        using var migrationLock = AcquireLock();
        var result = Upgrader().PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
        }
        logger.LogInformation("Database schema is current ({Provider}, {Count} scripts applied now)",
            settings.Provider, result.Scripts.Count());
    }

    /// <summary>
    /// A database-wide lock held on its own connection while migrating: an advisory lock on PostgreSQL, an application
    /// lock on SQL Server. SQLite needs none: it is a single-node file and DbUp's scripts run in write transactions.
    /// </summary>
    private System.Data.Common.DbConnection? AcquireLock() => settings.Provider switch
    {
        DatabaseProvider.Postgres => LockPostgres(settings.ConnectionString),
        DatabaseProvider.SqlServer => LockSqlServer(settings.ConnectionString),
        _ => null,
    };

    private const string LockResource = "frontlijn-migrations";

    // One method per provider, as below: with the SQL Server branch inline, SqlServerDialect.CreateConnection was
    // inlined here and a SQLite or PostgreSQL node loaded Microsoft.Data.SqlClient at every start (seen in the
    // Debug timeline's assembly list, issue 12).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static System.Data.Common.DbConnection LockPostgres(string connectionString)
    {
        var connection = PostgresDialect.Instance.CreateConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_advisory_lock(hashtext('" + LockResource + "'))";
        command.CommandTimeout = 600;
        command.ExecuteNonQuery();
        return connection; // closing the session releases the advisory lock
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static System.Data.Common.DbConnection LockSqlServer(string connectionString)
    {
        var connection = SqlServerDialect.Instance.CreateConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXEC sp_getapplock @Resource = '" + LockResource + "', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 600000";
        command.CommandTimeout = 610;
        command.ExecuteNonQuery();
        return connection; // closing the session releases the application lock
    }

    /// <summary>Scripts not yet applied; empty when the schema is current. Used by the readiness check.</summary>
    /// <remarks>
    /// Once every script of this build has been seen applied, that stays so (migrations are forward-only), and the
    /// check no longer asks DbUp: its journal read opens a transaction, which on SQLite waits for the write lock — so a
    /// busy writer made the node "not ready" although it could serve reads — and costs a connection per probe.
    /// </remarks>
    public IReadOnlyList<string> Pending()
    {
        if (_current) return [];
        var pending = Upgrader().GetScriptsToExecute().Select(s => s.Name).ToList();
        _current = pending.Count == 0;
        return pending;
    }

    private volatile bool _current;

    private void PrepareDatabase()
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                var dataSource = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
                var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
                using (var connection = SqliteDialect.Instance.CreateConnection(settings.ConnectionString))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    // WAL lets readers go on while one writer commits; it is a property of the file, set once.
                    command.CommandText = "PRAGMA journal_mode=WAL;";
                    command.ExecuteNonQuery();
                }
                break;
            case DatabaseProvider.Postgres:
                EnsurePostgres(settings.ConnectionString, new LoggerLog(logger));
                break;
            case DatabaseProvider.SqlServer:
                EnsureSqlServer(settings.ConnectionString, new LoggerLog(logger));
                break;
        }
    }

    // One method per provider: the JIT loads the assemblies a method refers to when it compiles it, so a node on
    // SQLite or PostgreSQL never loads dbup-sqlserver (nor SqlClient), and so on (start-up time and memory, issue 12).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void EnsurePostgres(string connectionString, IUpgradeLog log) => EnsureDatabase.For.PostgresqlDatabase(connectionString, log);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void EnsureSqlServer(string connectionString, IUpgradeLog log) => EnsureDatabase.For.SqlDatabase(connectionString, log);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static UpgradeEngineBuilder ToSqlite(string connectionString) => DeployChanges.To.SqliteDatabase(connectionString);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static UpgradeEngineBuilder ToPostgres(string connectionString) => DeployChanges.To.PostgresqlDatabase(connectionString);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static UpgradeEngineBuilder ToSqlServer(string connectionString) => DeployChanges.To.SqlDatabase(connectionString);

    private UpgradeEngine Upgrader()
    {
        var builder = settings.Provider switch
        {
            DatabaseProvider.Sqlite => ToSqlite(settings.ConnectionString),
            DatabaseProvider.Postgres => ToPostgres(settings.ConnectionString),
            DatabaseProvider.SqlServer => ToSqlServer(settings.ConnectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
        return builder
            .WithScripts(Scripts(settings.Provider))
            .WithTransactionPerScript()
            // A migration's backfill runs over the whole table (0025 took over 2 minutes at 1M households on a loaded
            // 2-core machine): the connection's command timeout (30 s by default) would roll it back half-way through
            // every start. Each script gets 30 minutes; a stuck one still fails the start instead of hanging it.
            .WithExecutionTimeout(TimeSpan.FromMinutes(30))
            .LogTo(new LoggerLog(logger))
            .Build();
    }

#pragma warning disable CA2254 // DbUp hands us its own format strings
    private sealed class LoggerLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
#pragma warning restore CA2254
}
