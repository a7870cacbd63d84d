using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Dapper;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// One connection per scope (HTTP request, job run), opened on first use. Commands run inside the transaction that
/// <see cref="Mediator.UnitOfWorkBehavior{TMessage,TResponse}"/> begins; queries run without one. Slices use the
/// Dapper-shaped helpers below so that the current transaction and the dialect's rendering are never forgotten.
/// On SQLite (one writer per database file) the writers of this process queue on an in-process gate before they ask
/// SQLite for its write lock: a unit of work from <see cref="BeginAsync"/> to its commit or rollback, an autocommit
/// <see cref="ExecuteAsync"/> for its statement. Without it concurrent writers meet SQLITE_BUSY and sleep in SQLite's
/// busy handler (1, 2, 5 … 100 ms steps), which made p99 hundreds of times p50 under load (issue 12); queued on the
/// gate they are woken the moment the writer before them is done. The wait is bounded by the busy timeout (30 s),
/// after which SQLite's own locking decides as before, so a writer on another connection can never hang us.
/// </summary>
public sealed class DbSession(DatabaseSettings settings, SqlDialect dialect) : IAsyncDisposable
{
    private DbConnection? _connection;

    // Per database: the gate, and how long to wait at it — the connection's busy timeout ("Default Timeout", 30 s).
    // Not longer: while another process holds the write lock, N queued writers would otherwise wait N busy timeouts
    // each before their 503 (found by the outage test: the queue outlived the outage and nobody heard it was down).
    private static readonly ConcurrentDictionary<string, (SemaphoreSlim Gate, TimeSpan Wait)> SqliteWriters = new(StringComparer.Ordinal);
    private SemaphoreSlim? _writer;

    public SqlDialect Dialect => dialect;
    public DbTransaction? Transaction { get; private set; }

    public async ValueTask<DbConnection> ConnectionAsync(CancellationToken ct = default)
    {
        if (_connection is { State: not ConnectionState.Open } && Transaction is null)
        {
            // Broken by an earlier failure in this scope (e.g. the database went away and came back): a new one.
            await DisposeConnectionAsync();
        }
        if (_connection is null)
        {
            _connection = dialect.CreateConnection(settings.ConnectionString);
            await _connection.OpenAsync(ct);
        }
        return _connection;
    }

    public async Task BeginAsync(CancellationToken ct)
    {
        if (Transaction is not null)
        {
            throw new InvalidOperationException("A unit of work is already open in this scope.");
        }
        var connection = await ConnectionAsync(ct);
        await EnterWriterAsync(ct);
        try
        {
            Transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        }
        catch
        {
            LeaveWriter();
            throw;
        }
    }

    /// <summary>SQLite only: waits for this process's other writers of the same database (see the class comment).</summary>
    private async Task EnterWriterAsync(CancellationToken ct)
    {
        if (dialect.Provider != DatabaseProvider.Sqlite || _writer is not null) return;
        var (gate, wait) = SqliteWriters.GetOrAdd(settings.ConnectionString, cs =>
            (new SemaphoreSlim(1, 1), TimeSpan.FromSeconds(Math.Max(1, new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).DefaultTimeout))));
        if (await gate.WaitAsync(wait, ct)) _writer = gate;
    }

    private void LeaveWriter()
    {
        var gate = _writer;
        _writer = null;
        gate?.Release();
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        if (Transaction is null) return;
        try
        {
            await Transaction.CommitAsync(ct);
            await Transaction.DisposeAsync();
            Transaction = null;
        }
        finally
        {
            // A failed commit leaves the transaction for RollbackAsync/DisposeAsync, which let go of the gate then.
            if (Transaction is null) LeaveWriter();
        }
    }

    public async Task RollbackAsync()
    {
        if (Transaction is null) return;
        try
        {
            await Transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (_connection is not { State: ConnectionState.Open } || DatabaseUnavailable.Is(ex))
        {
            // The connection broke (an outage, a cut socket): the server has dropped the transaction with it. The
            // failure that got us here is what the caller must see, not this one; and this connection is done.
            await DisposeConnectionAsync();
        }
        finally
        {
            await Transaction.DisposeAsync();
            Transaction = null;
            LeaveWriter();
        }
    }

    /// <summary>
    /// Gives the connection back to the pool when no unit of work is open (the next statement opens one again): for a
    /// scope that lives much longer than its database work, such as a SignalR connection's HTTP request.
    /// </summary>
    public async ValueTask ReleaseConnectionAsync()
    {
        if (Transaction is not null || _connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }

    public async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QueryAsync<T>(Command(sql, param, ct));

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QuerySingleOrDefaultAsync<T>(Command(sql, param, ct));

    /// <summary>
    /// Several statements as one command: one round trip on PostgreSQL (Npgsql sends them together), the result sets
    /// read in order by <paramref name="read"/>, which must read them all.
    /// </summary>
    public async Task<T> QueryMultipleAsync<T>(string sql, object? param, Func<SqlMapper.GridReader, Task<T>> read, CancellationToken ct = default)
    {
        var connection = await ConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(Command(sql, param, ct));
        return await read(grid);
    }

    public async Task<T> ExecuteScalarAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        (await (await ConnectionAsync(ct)).ExecuteScalarAsync<T>(Command(sql, param, ct)))!;

    public async Task<int> ExecuteAsync(string sql, object? param = null, CancellationToken ct = default)
    {
        var connection = await ConnectionAsync(ct);
        return await WriteAsync(() => connection.ExecuteAsync(Command(sql, param, ct)), ct);
    }

    /// <summary>
    /// <see cref="ExecuteAsync(string, object?, CancellationToken)"/> with more parameters bound by
    /// <paramref name="alsoBind"/> on the provider's command after Dapper's: for a change and a row another writer
    /// prepared (an access-log row, <c>AccessLogWriter.SuccessRowAsync</c>) in ONE command, one round trip.
    /// </summary>
    public async Task<int> ExecuteAsync(string sql, object? param, Action<DbCommand> alsoBind, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        var command = new CommandDefinition(dialect.RenderCached(sql), new AlsoBound(CamelCaseParameters.From(param), alsoBind),
            Transaction, cancellationToken: ct);
        return await WriteAsync(() => connection.ExecuteAsync(command), ct);
    }

    /// <summary><see cref="QueryAsync{T}(string, object?, CancellationToken)"/> with more parameters bound by <paramref name="alsoBind"/> (as above).</summary>
    public async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param, Action<DbCommand> alsoBind, CancellationToken ct) =>
        await (await ConnectionAsync(ct)).QueryAsync<T>(new CommandDefinition(dialect.RenderCached(sql),
            new AlsoBound(CamelCaseParameters.From(param), alsoBind), Transaction, cancellationToken: ct));

    private sealed class AlsoBound(object? dapper, Action<DbCommand> bind) : SqlMapper.IDynamicParameters
    {
        public void AddParameters(IDbCommand command, SqlMapper.Identity identity)
        {
            if (dapper is SqlMapper.IDynamicParameters parameters) parameters.AddParameters(command, identity);
            bind((DbCommand)command);
        }
    }

    /// <summary>
    /// A write whose parameters the caller binds itself on the provider's own command (typed arrays on PostgreSQL, for
    /// example), with the same transaction and the same SQLite writer gate as <see cref="ExecuteAsync"/>. For hot
    /// statements with many parameters, where Dapper's per-parameter work and the provider's type inference for
    /// untyped values were most of the statement's CPU (issue 12: the caseload's access-log rows).
    /// </summary>
    public async Task<int> ExecuteBoundAsync(string sql, Action<DbCommand> bind, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = dialect.RenderCached(sql);
        command.Transaction = Transaction;
        bind(command);
        return await WriteAsync(() => command.ExecuteNonQueryAsync(ct), ct);
    }

    // A write inside the transaction, or on a server database, runs as it is. An autocommit write on SQLite takes its
    // own turn at the writer gate, for this one statement.
    private async Task<int> WriteAsync(Func<Task<int>> write, CancellationToken ct)
    {
        if (Transaction is not null || dialect.Provider != DatabaseProvider.Sqlite) return await write();
        await EnterWriterAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            LeaveWriter();
        }
    }

    private CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(dialect.RenderCached(sql), CamelCaseParameters.From(param), Transaction, cancellationToken: ct);

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            await RollbackAsync();
        }
        await DisposeConnectionAsync();
    }

    private async ValueTask DisposeConnectionAsync()
    {
        if (_connection is null) return;
        var connection = _connection;
        _connection = null;
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex) || ex is InvalidOperationException)
        {
            // Closing a broken connection may fail again; there is nothing left to release.
        }
        LeaveWriter();
    }
}
