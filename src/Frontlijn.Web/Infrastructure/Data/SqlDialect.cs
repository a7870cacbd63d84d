using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// What truly differs between the three databases. SQL in the slices is written in the portable subset
/// (unquoted snake_case names, named @parameters, values from parameters rather than literals) and uses a few tokens
/// that <see cref="Render"/> replaces:
/// <list type="bullet">
/// <item><c>{page}</c> after an ORDER BY: paging by <c>@offset</c> and <c>@limit</c>.</item>
/// <item><c>{top}</c> after an ORDER BY in a subquery: its first <c>@offset + @limit</c> rows (the candidates for a
/// page of a union, when one branch can be read in the page's order).</item>
/// <item><c>{noIndex}</c> before a column: on SQLite a unary <c>+</c>, which keeps that term from choosing an index
/// (its planner takes one for an <c>OR</c> that selects nearly every row, and reads a <c>GROUP BY</c> key's rows in
/// key order rather than by a selective index: docs/PERFORMANCE.md, "Performance — 8"); nothing elsewhere.</item>
/// <item><c>{secondsBetween:a,b}</c>: seconds from timestamp <c>a</c> to <c>b</c> (a number), for durations such as
/// response times.</item>
/// <item><c>IN @list</c>: Dapper expands it to <c>IN (@list1, @list2, ...)</c> on SQLite and SQL Server, but passes a
/// native array to Npgsql; PostgreSQL therefore gets <c>= ANY(@list)</c>.</item>
/// </list>
/// </summary>
public abstract partial class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    protected abstract string PageClause { get; }

    /// <summary>The first <c>@offset + @limit</c> rows (token <c>{top}</c>); SQLite and PostgreSQL take an expression in LIMIT.</summary>
    protected virtual string TopClause => "LIMIT @offset + @limit";

    /// <summary>Token <c>{noIndex}</c>: empty but on SQLite.</summary>
    protected virtual string NoIndex => "";

    // Rendered SQL per statement text, by reference: the slices' SQL constants are interned literals, the same string
    // object on every call, so one lookup replaces a Replace and one to three regex passes over a statement of up to
    // a few kilobytes on every statement (issue 12). Text built at run time (never interned) is rendered each time and
    // not kept, so the table cannot grow with it; keys are held weakly.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, string> _rendered = new();

    /// <summary><see cref="Render"/>, remembered for SQL constants (see above).</summary>
    public string RenderCached(string sql)
    {
        if (_rendered.TryGetValue(sql, out var rendered)) return rendered;
        rendered = Render(sql);
        if (string.IsInterned(sql) is { } constant && ReferenceEquals(constant, sql)) _rendered.TryAdd(sql, rendered);
        return rendered;
    }

    /// <summary>Renders portable SQL for this database. Cheap: a few string replacements, cached by callers' constants.</summary>
    public virtual string Render(string sql) =>
        SecondsBetween().Replace(sql.Replace("{page}", PageClause, StringComparison.Ordinal).Replace("{top}", TopClause, StringComparison.Ordinal)
                .Replace("{noIndex}", NoIndex, StringComparison.Ordinal),
            m => SecondsBetween(m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim()));

    /// <summary>An expression for the seconds from timestamp <paramref name="startExpression"/> to <paramref name="endExpression"/>.</summary>
    protected abstract string SecondsBetween(string startExpression, string endExpression);

    [System.Text.RegularExpressions.GeneratedRegex(@"\{secondsBetween:([^,}]+),([^}]+)\}")]
    private static partial System.Text.RegularExpressions.Regex SecondsBetween();

    /// <summary>True when the exception is the database refusing a row because of a unique index.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>True when the database refused a row because a referenced row does not exist.</summary>
    public abstract bool IsForeignKeyViolation(DbException exception);

    /// <summary>True when the database chose this transaction as a deadlock victim or could not serialise it.</summary>
    public virtual bool IsConcurrencyConflict(DbException exception) => false;

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteDialect.Instance,
        DatabaseProvider.Postgres => PostgresDialect.Instance,
        DatabaseProvider.SqlServer => SqlServerDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override string PageClause => "LIMIT @limit OFFSET @offset";

    // SQLite's unary + is a no-op on the value; a term on "+column" cannot use an index on that column. Both sides of
    // such a comparison are text here (timestamps are bound as text), so no affinity conversion changes its result.
    protected override string NoIndex => "+";

    // Timestamps are ISO-8601 text; julianday() reads them, offset and fractional seconds included.
    protected override string SecondsBetween(string startExpression, string endExpression) => $"((julianday({endExpression}) - julianday({startExpression})) * 86400.0)";

    // The completed connection string per configured one: parsing and rebuilding it on every request's connection was
    // pure work repeated per request (issue 12). One entry per configured string (one per database).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _completed = new(StringComparer.Ordinal);

    public override DbConnection CreateConnection(string connectionString) =>
        new SqliteConnection(_completed.GetOrAdd(connectionString, static cs => new SqliteConnectionStringBuilder(cs)
        {
            // Writers queue instead of failing at once: SQLite has one writer at a time. Microsoft.Data.Sqlite waits
            // DefaultTimeout (30 s unless the connection string says "Default Timeout=..."); past it the write is
            // answered 503 (DatabaseUnavailable).
            ForeignKeys = true,
            Pooling = true,
        }.ToString()));

    // SQLITE_CONSTRAINT (19) with the extended codes for UNIQUE (2067) and PRIMARY KEY (1555).
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 787 };

    // SQLITE_BUSY_SNAPSHOT (517): a read transaction could not become a writer because another one committed first.
    // Plain SQLITE_BUSY after the busy timeout is not a conflict between two changes but a database that cannot take
    // writes now (another process holds the lock): DatabaseUnavailable, 503 with Retry-After.
    public override bool IsConcurrencyConflict(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 5, SqliteExtendedErrorCode: 517 };
}

public sealed partial class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override string PageClause => "LIMIT @limit OFFSET @offset";
    // PostgreSQL's JIT is off for the service's sessions unless the connection string sets its own Options. The JIT
    // pays off for long analytical scans only; the planner charges the providers report's correlated subquery to every
    // row, so its estimate crosses the JIT thresholds and at 100k households 469 of 830 ms were JIT compilation
    // (docs/features/performance-work.md, "report"). Every other statement is short and never reaches them. An
    // operator who wants it on, or whose pooler refuses startup options, writes "Options=..." (docs/OPERATIONS.md).
    //
    // Npgsql's automatic preparation is on unless the connection string sets "Max Auto Prepare" itself (0 turns it
    // off): a statement text run AutoPrepareMinUsages times on one physical connection becomes a server-side prepared
    // statement there, so later runs skip parse, analysis and (with the generic plan PostgreSQL settles on after five
    // runs) planning, and send Bind/Execute only. pg_stat_statements during request creation (issue 12, branch
    // creation2) showed every statement planned on every call, planning ~0.85 ms of PostgreSQL's CPU per creation
    // under load, and parse/analysis on top (not counted there). The slots are per physical connection (LRU); the
    // service's hot statements are a few dozen. Prepared statements live in the server session: Npgsql's pool reset
    // keeps them (it sends CLOSE ALL, RESET ALL … instead of DISCARD ALL), and a pooler in transaction mode
    // (PgBouncer < 1.21 without max_prepared_statements) cannot carry them: there set "Max Auto Prepare=0".
    internal const int MaxAutoPrepare = 64;
    internal const int AutoPrepareMinUsages = 5;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _completed = new(StringComparer.Ordinal);

    public override DbConnection CreateConnection(string connectionString) =>
        new NpgsqlConnection(_completed.GetOrAdd(connectionString, static cs => Complete(cs)));

    /// <summary>The connection string the service connects with: the operator's, with the service's defaults for what it does not set.</summary>
    internal static string Complete(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Options)) builder.Options = "-c jit=off";
        // Whether the operator wrote it, whatever its value ("Max Auto Prepare=0" is an explicit "off"): the builder
        // writes the keys that were set, under their canonical names, and a plain builder over that text tells which.
        var given = new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            if (!given.ContainsKey("Auto Prepare Min Usages")) builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        return builder.ToString();
    }

    protected override string SecondsBetween(string startExpression, string endExpression) => $"EXTRACT(EPOCH FROM ({endExpression} - {startExpression}))";

    public override string Render(string sql) =>
        InList().Replace(NotInList().Replace(base.Render(sql), "<> ALL(@$1)"), "= ANY(@$1)");

    [System.Text.RegularExpressions.GeneratedRegex(@"\bNOT\s+IN\s+@(\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex NotInList();

    [System.Text.RegularExpressions.GeneratedRegex(@"\bIN\s+@(\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex InList();

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    public override bool IsConcurrencyConflict(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };
}

public sealed class SqlServerDialect : SqlDialect
{
    public static readonly SqlServerDialect Instance = new();
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
    protected override string PageClause => "OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY";
    protected override string TopClause => "OFFSET 0 ROWS FETCH NEXT @offset + @limit ROWS ONLY";
    public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    protected override string SecondsBetween(string startExpression, string endExpression) => $"DATEDIFF_BIG(second, {startExpression}, {endExpression})";

    // 2601: duplicate key in a unique index; 2627: unique/primary key constraint.
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqlException { Number: 2601 or 2627 };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is SqlException { Number: 547 };

    // 1205: chosen as deadlock victim.
    public override bool IsConcurrencyConflict(DbException exception) => exception is SqlException { Number: 1205 };
}
