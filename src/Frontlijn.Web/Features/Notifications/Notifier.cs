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
    // On PostgreSQL ONE statement locks the recipients in id order, bumps their counters and writes their inbox rows
    // (NotifyBackOfficePostgres, NotifyListedPostgres); on SQLite (one writer at a time, no row locks to order) one
    // UPDATE … RETURNING bumps them all and one multi-row INSERT writes the rows. SQL Server keeps one UPDATE … OUTPUT
    // per recipient in id order (NextCursorSql, parsed as T-SQL by the unit tests), then the multi-row INSERT. The row
    // locks are still one per recipient (docs/features/performance-work.md: the organisation-feed design); a caller that
    // notifies as the LAST step of its unit of work (SendRequest) holds them for one statement and the commit.
    internal const string NextCursorSql = "UPDATE users SET notification_seq = notification_seq + 1 OUTPUT inserted.notification_seq WHERE id = @recipientId";

    // PostgreSQL: lock, bump and insert the inbox rows in ONE statement, the last one of the transaction before its
    // commit (issue 12, round 5): the CTE's SELECT … ORDER BY id FOR UPDATE locks the recipients in id order (LockRows
    // sits above the Sort, so two transactions cannot deadlock here), the UPDATE bumps their cursors and the INSERT
    // writes one inbox row per bumped user with that user's new cursor, returning what the push needs. It was two round
    // trips (bump, then a multi-row INSERT built from the returned cursors), and the row locks were held from the
    // first of them to the commit. The notification id is a UUIDv7 made by the server (PostgreSQL 15 has no uuidv7():
    // the Unix milliseconds of clock_timestamp() over the first 48 bits of a random UUID, version bits 0111), like
    // Guid.CreateVersion7() made it before: time-ordered, random below the millisecond.
    private const string NotificationIdPostgres =
        "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid";

    private const string BumpAndInsertPostgres = """
        bumped AS (
            UPDATE users SET notification_seq = users.notification_seq + 1 FROM locked WHERE users.id = locked.id
            RETURNING users.id, users.notification_seq)
        INSERT INTO notifications (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at)
        SELECT
        """ + " " + NotificationIdPostgres + """
        , b.id, b.notification_seq, @type, @title, @householdId, @requestId, @createdAt, NULL FROM bumped b
        RETURNING recipient_id AS id, seq AS notification_seq, id AS notification_id
        """;

    /// <summary>PostgreSQL: the listed users locked in id order, bumped, notified; returns (id, notification_seq, notification_id).</summary>
    internal const string NotifyListedPostgres =
        "WITH locked AS (SELECT id FROM users WHERE id IN @recipientIds ORDER BY id FOR UPDATE),\n" + BumpAndInsertPostgres;

    /// <summary>PostgreSQL: the organisation's back office (RequestRecipients.BackOfficeSql's rule), locked in id order, bumped, notified.</summary>
    internal const string NotifyBackOfficePostgres =
        "WITH locked AS (SELECT id FROM users WHERE organisation_id = @organisationId AND role = 'back-office' ORDER BY id FOR UPDATE),\n" + BumpAndInsertPostgres;

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

        /// <summary>Set when the inbox row was written by the same statement (PostgreSQL).</summary>
        public Guid? NotificationId { get; init; }
    }

    /// <summary>Notifies these users (each once, however often listed).</summary>
    public async Task NotifyAsync(IEnumerable<Guid> recipientUserIds, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        RequireUnitOfWork();
        var recipients = recipientUserIds.Distinct().Order().ToArray();
        if (recipients.Length == 0) return;
        IReadOnlyList<Bumped> bumped;
        var createdAt = time.GetUtcNow();
        if (db.Dialect.Provider == DatabaseProvider.SqlServer)
        {
            bumped = await BumpOneByOneAsync(recipients, ct);
        }
        else
        {
            bumped = db.Dialect.Provider == DatabaseProvider.Postgres
                ? (await db.QueryAsync<Bumped>(NotifyListedPostgres,
                    Parameters(type, title, householdId, requestId, createdAt, ("recipientIds", recipients)), ct)).ToList()
                : (await db.QueryAsync<Bumped>(BumpListedSqlite, new { recipientIds = recipients }, ct)).ToList();
            if (bumped.Count != recipients.Length)
            {
                // Nothing half-done is kept: the exception rolls back the unit of work, bumps and inbox rows with it.
                var missing = recipients.Except(bumped.Select(b => b.Id)).First();
                throw new InvalidOperationException($"Notification recipient {missing} is not a user.");
            }
        }
        await WriteAsync(bumped, type, title, householdId, requestId, createdAt, ct);
    }

    /// <summary>
    /// Notifies every back-office user of the organisation: the recipients are found by the same statement that bumps
    /// their counters (no separate SELECT of who they are).
    /// </summary>
    public async Task NotifyBackOfficeAsync(Guid organisationId, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        RequireUnitOfWork();
        var createdAt = time.GetUtcNow();
        IReadOnlyList<Bumped> bumped = db.Dialect.Provider switch
        {
            DatabaseProvider.SqlServer => await BumpOneByOneAsync(
                (await db.QueryAsync<Guid>(BackOfficeIdsSql, new { organisationId }, ct)).Order().ToArray(), ct),
            DatabaseProvider.Postgres => (await db.QueryAsync<Bumped>(NotifyBackOfficePostgres,
                Parameters(type, title, householdId, requestId, createdAt, ("organisationId", organisationId)), ct)).ToList(),
            _ => (await db.QueryAsync<Bumped>(BumpBackOfficeSqlite, new { organisationId }, ct)).ToList(),
        };
        await WriteAsync(bumped, type, title, householdId, requestId, createdAt, ct);
    }

    /// <summary>
    /// PostgreSQL: the back-office notification as the LAST statement of the caller's own command (SendRequest: after
    /// the request's inserts, one round trip for all of them). <paramref name="sql"/> ends with
    /// <see cref="NotifyBackOfficePostgres"/> and binds its parameters: <c>@type</c>, <c>@title</c>, <c>@createdAt</c>,
    /// <c>@organisationId</c>, <c>@householdId</c>, <c>@requestId</c>; the statements before it return no rows. The
    /// recipients' row locks are taken by that last statement, as in <see cref="NotifyBackOfficeAsync"/>.
    /// </summary>
    internal async Task NotifyBackOfficeAfterAsync(string sql, object param, Action<System.Data.Common.DbCommand> alsoBind,
        string type, string title, Guid householdId, Guid requestId, DateTimeOffset createdAt, CancellationToken ct)
    {
        RequireUnitOfWork();
        if (db.Dialect.Provider != DatabaseProvider.Postgres) throw new InvalidOperationException("PostgreSQL only.");
        var bumped = (await db.QueryAsync<Bumped>(sql, param, alsoBind, ct)).ToList();
        await WriteAsync(bumped, type, title, householdId, requestId, createdAt, ct);
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

    /// <summary>The notification's shared parameters (NULL ids typed: PostgreSQL needs a type for a NULL).</summary>
    private static Dapper.DynamicParameters Parameters(string type, string title, Guid? householdId, Guid? requestId,
        DateTimeOffset createdAt, (string Name, object Value)? selector = null)
    {
        var parameters = new Dapper.DynamicParameters();
        parameters.Add("type", type);
        parameters.Add("title", title);
        parameters.Add("householdId", householdId, householdId is null ? System.Data.DbType.Guid : null);
        parameters.Add("requestId", requestId, requestId is null ? System.Data.DbType.Guid : null);
        parameters.Add("createdAt", createdAt);
        if (selector is { } s) parameters.Add(s.Name, s.Value);
        return parameters;
    }

    private async Task WriteAsync(IReadOnlyList<Bumped> bumped, string type, string title, Guid? householdId,
        Guid? requestId, DateTimeOffset createdAt, CancellationToken ct)
    {
        if (bumped.Count == 0) return;
        var messages = bumped.OrderBy(b => b.Id)
            .Select(b => (RecipientId: b.Id, Message: new NotificationMessage(b.NotificationId ?? Guid.CreateVersion7(), b.NotificationSeq, type, householdId, requestId, title, createdAt)))
            .ToList();
        // PostgreSQL wrote the inbox rows in the statement that bumped the cursors; the others write them here.
        var unwritten = bumped.Any(b => b.NotificationId is null) ? messages : [];
        foreach (var chunk in unwritten.Chunk(RowsPerStatement))
        {
            var sql = new System.Text.StringBuilder(InsertColumns);
            var parameters = Parameters(type, title, householdId, requestId, createdAt);
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
