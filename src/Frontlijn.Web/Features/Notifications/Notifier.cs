using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;
using Frontlijn.Web.Infrastructure.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Frontlijn.Web.Features.Notifications;

/// <summary>Notification types (also the CloudEvents <c>type</c>), as the API contract names them.</summary>
public static class NotificationTypes
{
    public const string CoachAssigned = "nl.frontlijn.household.coach-assigned";
    public const string SignalRouted = "nl.frontlijn.signal.routed";
}

/// <summary>What a client receives over SignalR (method <c>notification</c>) and in the inbox.</summary>
public sealed record NotificationMessage(
    Guid Id, long Cursor, string Type, Guid? HouseholdId, Guid? RequestId, string Title, DateTimeOffset CreatedAt);

/// <summary>
/// Puts a notification in each recipient's inbox inside the current unit of work, and pushes it over SignalR once that
/// has committed. The inbox is the source of truth: a push that does not arrive is caught up with <c>?after=</c>.
/// Titles carry no BSN and no names of household members (they are shown on lock screens and in logs).
/// </summary>
public sealed class Notifier(DbSession db, AfterCommit afterCommit, IHubContext<NotificationsHub> hub, TimeProvider time)
{
    // Bumping the recipient's counter takes their row lock until commit: each recipient's notifications commit in
    // cursor order, so a reader never sees cursor n+1 before n (see migration 0002).
    //
    // On PostgreSQL and SQLite all recipients' counters are bumped by ONE statement that returns the new values
    // (issue 12: it was one round trip per recipient): on PostgreSQL the CTE's SELECT … ORDER BY id FOR UPDATE locks the
    // rows in id order (LockRows sits above the Sort), so every transaction takes user row locks in the same order and
    // two of them cannot deadlock here; SQLite has one writer at a time and no row locks to order. SQL Server keeps one
    // UPDATE … OUTPUT per recipient in id order (NextCursorSql, parsed as T-SQL by the unit tests). The inbox rows of
    // all recipients then go in as one multi-row INSERT: two statements per notification whatever the number of
    // recipients (the locks are still one per recipient: see docs/notes/fanout.md for the organisation-feed design).
    internal const string NextCursorSql = "UPDATE users SET notification_seq = notification_seq + 1 OUTPUT inserted.notification_seq WHERE id = @recipientId";

    /// <summary>PostgreSQL: the listed users, locked in id order, bumped; returns (id, notification_seq).</summary>
    internal const string BumpListedPostgres = """
        WITH locked AS (SELECT id FROM users WHERE id IN @recipientIds ORDER BY id FOR UPDATE)
        UPDATE users SET notification_seq = users.notification_seq + 1 FROM locked WHERE users.id = locked.id
        RETURNING users.id, users.notification_seq
        """;

    /// <summary>PostgreSQL: the organisation's back office (RequestRecipients.BackOfficeSql's rule), locked in id order, bumped.</summary>
    internal const string BumpBackOfficePostgres = """
        WITH locked AS (SELECT id FROM users WHERE organisation_id = @organisationId AND role = 'back-office' ORDER BY id FOR UPDATE)
        UPDATE users SET notification_seq = users.notification_seq + 1 FROM locked WHERE users.id = locked.id
        RETURNING users.id, users.notification_seq
        """;

    /// <summary>SQLite (3.35+ for RETURNING; Microsoft.Data.Sqlite 10 bundles a newer one).</summary>
    internal const string BumpListedSqlite = "UPDATE users SET notification_seq = notification_seq + 1 WHERE id IN @recipientIds RETURNING id, notification_seq";

    internal const string BumpBackOfficeSqlite = "UPDATE users SET notification_seq = notification_seq + 1 WHERE organisation_id = @organisationId AND role = 'back-office' RETURNING id, notification_seq";

    /// <summary>SQL Server's per-recipient path needs the recipients first (same rule as RequestRecipients.BackOfficeSql).</summary>
    internal const string BackOfficeIdsSql = "SELECT id FROM users WHERE organisation_id = @organisationId AND role = 'back-office'";

    internal const string InsertColumns = "INSERT INTO notifications (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at) VALUES ";

    // Per statement: ten parameters a row at most keeps SQL Server's 2100 and SQLite's 32766 far away.
    private const int RowsPerStatement = 100;

    internal sealed record Bumped
    {
        public Guid Id { get; init; }
        public long NotificationSeq { get; init; }
    }

    /// <summary>Notifies these users (each once, however often listed).</summary>
    public async Task NotifyAsync(IEnumerable<Guid> recipientUserIds, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        RequireUnitOfWork();
        var recipients = recipientUserIds.Distinct().Order().ToArray();
        if (recipients.Length == 0) return;
        IReadOnlyList<Bumped> bumped;
        if (db.Dialect.Provider == DatabaseProvider.SqlServer)
        {
            bumped = await BumpOneByOneAsync(recipients, ct);
        }
        else
        {
            bumped = (await db.QueryAsync<Bumped>(
                db.Dialect.Provider == DatabaseProvider.Postgres ? BumpListedPostgres : BumpListedSqlite,
                new { recipientIds = recipients }, ct)).ToList();
            if (bumped.Count != recipients.Length)
            {
                var missing = recipients.Except(bumped.Select(b => b.Id)).First();
                throw new InvalidOperationException($"Notification recipient {missing} is not a user.");
            }
        }
        await WriteAsync(bumped, type, title, householdId, requestId, ct);
    }

    /// <summary>
    /// Notifies every back-office user of the organisation: the recipients are found by the same statement that bumps
    /// their counters (no separate SELECT of who they are).
    /// </summary>
    public async Task NotifyBackOfficeAsync(Guid organisationId, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        RequireUnitOfWork();
        IReadOnlyList<Bumped> bumped = db.Dialect.Provider switch
        {
            DatabaseProvider.SqlServer => await BumpOneByOneAsync(
                (await db.QueryAsync<Guid>(BackOfficeIdsSql, new { organisationId }, ct)).Order().ToArray(), ct),
            DatabaseProvider.Postgres => (await db.QueryAsync<Bumped>(BumpBackOfficePostgres, new { organisationId }, ct)).ToList(),
            _ => (await db.QueryAsync<Bumped>(BumpBackOfficeSqlite, new { organisationId }, ct)).ToList(),
        };
        await WriteAsync(bumped, type, title, householdId, requestId, ct);
    }

    private void RequireUnitOfWork()
    {
        if (db.Transaction is null)
        {
            throw new InvalidOperationException("Notifications are written inside a command's unit of work.");
        }
    }

    private async Task<IReadOnlyList<Bumped>> BumpOneByOneAsync(Guid[] sortedRecipients, CancellationToken ct)
    {
        var bumped = new List<Bumped>(sortedRecipients.Length);
        foreach (var recipientId in sortedRecipients)
        {
            var seq = await db.QuerySingleOrDefaultAsync<long?>(NextCursorSql, new { recipientId }, ct)
                      ?? throw new InvalidOperationException($"Notification recipient {recipientId} is not a user.");
            bumped.Add(new Bumped { Id = recipientId, NotificationSeq = seq });
        }
        return bumped;
    }

    private async Task WriteAsync(IReadOnlyList<Bumped> bumped, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        if (bumped.Count == 0) return;
        var createdAt = time.GetUtcNow();
        var messages = bumped.OrderBy(b => b.Id)
            .Select(b => (RecipientId: b.Id, Message: new NotificationMessage(Guid.CreateVersion7(), b.NotificationSeq, type, householdId, requestId, title, createdAt)))
            .ToList();
        foreach (var chunk in messages.Chunk(RowsPerStatement))
        {
            var sql = new System.Text.StringBuilder(InsertColumns);
            var parameters = new Dapper.DynamicParameters();
            parameters.Add("type", type);
            parameters.Add("title", title);
            parameters.Add("householdId", householdId, householdId is null ? System.Data.DbType.Guid : null);
            parameters.Add("requestId", requestId, requestId is null ? System.Data.DbType.Guid : null);
            parameters.Add("createdAt", createdAt);
            for (var i = 0; i < chunk.Length; i++)
            {
                var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (i > 0) sql.Append(", ");
                sql.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"(@id{n}, @recipientId{n}, @seq{n}, @type, @title, @householdId, @requestId, @createdAt, NULL)");
                parameters.Add("id" + n, chunk[i].Message.Id);
                parameters.Add("recipientId" + n, chunk[i].RecipientId);
                parameters.Add("seq" + n, chunk[i].Message.Cursor);
            }
            await db.ExecuteAsync(sql.ToString(), parameters, ct);
        }
        // Pushed as soon as the commit returns, ahead of every other after-commit action (webhook triggers, reply-link
        // mails: AfterCommit.EnqueuePush), and to all recipients at once rather than one after the other. The group of
        // a user is in-memory SignalR state (joined from the connection's claims in NotificationsHub.OnConnectedAsync):
        // no database work per message.
        afterCommit.EnqueuePush(token => Task.WhenAll(messages.Select(m =>
            hub.Clients.Group(NotificationsHub.UserGroup(m.RecipientId)).SendAsync(NotificationsHub.Method, m.Message, token))));
    }
}
