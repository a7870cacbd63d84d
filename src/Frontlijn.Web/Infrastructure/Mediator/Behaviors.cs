using System.Data.Common;
using System.Diagnostics;
using FluentValidation;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Infrastructure.Mediator;

/// <summary>
/// First in the pipeline: one activity (trace span) and one log line per message, with its duration and outcome.
/// Logs the message type only, never its content (it may carry personal data such as a BSN).
/// </summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    internal static readonly ActivitySource Source = new(Telemetry.Name);

    // Once per message type, not per message (issue 12: a string replace on every request).
    private static readonly string Name = typeof(TMessage).FullName?.Replace("Frontlijn.Web.Features.", "", StringComparison.Ordinal)
                                          ?? typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = Name;
        using var activity = Source.StartActivity(name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Telemetry.MessageDuration.Record(elapsed, new KeyValuePair<string, object?>("message", name), new("outcome", "ok"));
            logger.LogDebug("{Message} handled in {Elapsed:0.0} ms", name, elapsed);
            return response;
        }
        catch (Exception ex) when (ex is ValidationException or ProblemException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            Telemetry.MessageDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("message", name), new("outcome", "refused"));
            logger.LogInformation("{Message} refused ({Reason}) in {Elapsed:0.0} ms", name, ex.GetType().Name,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or DbException)
        {
            // The client hung up (the request's token): nothing to fix, and a unit of work that was cut short rolled
            // back whole. Not an error in the log. (A provider may report the interrupted statement as its own error.)
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            Telemetry.MessageDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("message", name), new("outcome", "cancelled"));
            logger.LogInformation("{Message} cancelled by the caller after {Elapsed:0.0} ms", name,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex))
        {
            // The outage is logged once, with its cause, and then summarised by DatabaseOutage: not one error with a
            // stack trace per message (20,000 in a 30 s outage).
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            Telemetry.MessageDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("message", name), new("outcome", "unavailable"));
            logger.LogDebug("{Message} not handled: database unavailable ({Reason}) after {Elapsed:0.0} ms", name,
                ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            Telemetry.MessageDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("message", name), new("outcome", "error"));
            logger.LogError(ex, "{Message} failed after {Elapsed:0.0} ms", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}

/// <summary>
/// Runs every FluentValidation validator of the message and refuses it with all field errors at once (400).
/// Runs before the unit of work, so invalid input never opens a transaction.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
        return await next(message, cancellationToken);
    }
}

/// <summary>
/// For commands only: one connection and one transaction around the handler; commit; and only after the commit run
/// what the handler queued in <see cref="AfterCommit"/> (SignalR pushes, job triggers). A rolled-back change is never
/// announced. A unique or foreign-key violation that escaped the handler becomes a 409, never a 500. Whatever must be
/// kept even when the change is rolled back (the access log's refusals) waits in <see cref="AfterUnitOfWork"/> and is
/// written once the transaction has ended, either way.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(DbSession session, AfterCommit afterCommit, AfterUnitOfWork afterUnitOfWork)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (session.Transaction is not null)
        {
            // A command sent from inside another command joins its unit of work.
            return await next(message, cancellationToken);
        }
        TResponse response;
        await session.BeginAsync(cancellationToken);
        try
        {
            try
            {
                response = await next(message, cancellationToken);
                // The rule for cancellation (the request's token, i.e. a client that hangs up): it may stop the work
                // while it is being done — a statement is interrupted, everything rolls back, nothing was saved — but
                // once the handler has returned, the change is decided and is committed with CancellationToken.None.
                // A commit cut off halfway would leave the client (and the log) not knowing whether it happened, and
                // an exception after a successful commit would be reported as a failure of a change that was saved.
                await session.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                if (ex is ProblemException { Status: StatusCodes.Status403Forbidden })
                {
                    afterUnitOfWork.Refused();
                }
                // First let go of the refused transaction (on SQLite: of the database's one write lock), then keep
                // what must outlive it. The catch blocks below roll back a transaction that no longer exists: no-op.
                await session.RollbackAsync();
                await afterUnitOfWork.RunAsync(session);
                throw;
            }
            await afterUnitOfWork.RunAsync(session);
        }
        catch (DbException ex) when (session.Dialect.IsUniqueViolation(ex))
        {
            await session.RollbackAsync();
            afterCommit.Clear();
            throw new ProblemException(409, "Conflict", "Dit bestaat al: een ander record met dezelfde sleutel is al vastgelegd.");
        }
        catch (DbException ex) when (session.Dialect.IsConcurrencyConflict(ex))
        {
            await session.RollbackAsync();
            afterCommit.Clear();
            throw new ProblemException(409, "Conflict",
                "Iemand anders wijzigde hetzelfde tegelijk; er is niets opgeslagen. Probeer het opnieuw.");
        }
        catch (DbException ex) when (session.Dialect.IsForeignKeyViolation(ex))
        {
            await session.RollbackAsync();
            afterCommit.Clear();
            throw new ProblemException(409, "Conflict", "Een verwijzing klopt niet (meer): het gerefereerde record bestaat niet.");
        }
        catch
        {
            await session.RollbackAsync();
            afterCommit.Clear();
            throw;
        }
        // Committed: the pushes and job triggers go out even if this client has gone (they are for other people too).
        await afterCommit.RunAsync(CancellationToken.None);
        return response;
    }
}

/// <summary>
/// Writes that must be kept whatever becomes of the current unit of work (scoped): a refused change is rolled back,
/// but the refusal belongs in the access log. Run after the commit or the rollback, in a transaction of their own on
/// the scope's connection, so they never wait on the refused transaction's locks. A failure here is logged and does
/// not replace the refusal the caller is about to receive.
/// </summary>
public sealed class AfterUnitOfWork(ILogger<AfterUnitOfWork> logger)
{
    private readonly List<Func<DbSession, CancellationToken, Task>> _writes = [];
    private Func<DbSession, CancellationToken, Task>? _refusalTrace;

    /// <summary>Kept whatever becomes of the unit of work. Replaces a prepared refusal trace: one refusal, one row.</summary>
    public void Enqueue(Func<DbSession, CancellationToken, Task> write)
    {
        _refusalTrace = null;
        _writes.Add(write);
    }

    /// <summary>Kept only if the unit of work ends in a 403 refusal (the last one prepared wins).</summary>
    public void TraceRefusal(Func<DbSession, CancellationToken, Task> write) => _refusalTrace = write;

    /// <summary>The unit of work was refused (403): keep the prepared refusal trace.</summary>
    public void Refused()
    {
        if (_refusalTrace is { } write) _writes.Add(write);
        _refusalTrace = null;
    }

    public async Task RunAsync(DbSession session)
    {
        _refusalTrace = null;
        if (_writes.Count == 0) return;
        var writes = _writes.ToArray();
        _writes.Clear();
        try
        {
            await session.BeginAsync(CancellationToken.None);
            foreach (var write in writes)
            {
                // Not the request's token: a client that hangs up after a refusal does not erase its trace.
                await write(session, CancellationToken.None);
            }
            await session.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            await session.RollbackAsync();
            logger.LogError(ex, "{Count} access-log rows that had to outlive their unit of work could not be written", writes.Length);
        }
    }
}

/// <summary>Work to do once the current unit of work has committed (scoped).</summary>
public sealed class AfterCommit(ILogger<AfterCommit> logger)
{
    private readonly List<Func<CancellationToken, Task>> _pushes = [];
    private readonly List<Func<CancellationToken, Task>> _actions = [];

    public void Enqueue(Func<CancellationToken, Task> action) => _actions.Add(action);

    /// <summary>
    /// A SignalR push: run before every <see cref="Enqueue"/>d action, whatever the order they were enqueued in, so
    /// that notification latency is the commit plus the push and never includes a webhook trigger or an SMTP send.
    /// </summary>
    public void EnqueuePush(Func<CancellationToken, Task> push) => _pushes.Add(push);

    public void Clear()
    {
        _pushes.Clear();
        _actions.Clear();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pushes = _pushes.ToArray();
        var actions = _actions.ToArray();
        _pushes.Clear();
        _actions.Clear();
        foreach (var action in pushes.Concat(actions))
        {
            try
            {
                await action(cancellationToken);
            }
            catch (Exception ex)
            {
                // What was committed stays committed and is persisted (inbox, outbox); a failed push is caught up later.
                logger.LogWarning(ex, "An after-commit action failed; the committed change is kept");
            }
        }
    }
}
