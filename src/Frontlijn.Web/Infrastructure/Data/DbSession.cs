using System.Data;
using System.Data.Common;
using Dapper;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// One connection per scope (HTTP request, job run), opened on first use. Commands run inside the transaction that
/// <see cref="Mediator.UnitOfWorkBehavior{TMessage,TResponse}"/> begins; queries run without one. Slices use the
/// Dapper-shaped helpers below so that the current transaction and the dialect's rendering are never forgotten.
/// </summary>
public sealed class DbSession(DatabaseSettings settings, SqlDialect dialect) : IAsyncDisposable
{
    private DbConnection? _connection;

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
        Transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        if (Transaction is null) return;
        await Transaction.CommitAsync(ct);
        await Transaction.DisposeAsync();
        Transaction = null;
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
        }
    }

    public async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QueryAsync<T>(Command(sql, param, ct));

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QuerySingleOrDefaultAsync<T>(Command(sql, param, ct));

    public async Task<T> ExecuteScalarAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        (await (await ConnectionAsync(ct)).ExecuteScalarAsync<T>(Command(sql, param, ct)))!;

    public async Task<int> ExecuteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).ExecuteAsync(Command(sql, param, ct));

    private CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(dialect.Render(sql), CamelCaseParameters.From(param), Transaction, cancellationToken: ct);

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
    }
}
