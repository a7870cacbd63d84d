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
/// Puts a notification in its readers' inboxes inside the current unit of work, and pushes it over SignalR once that
/// has committed. The inbox is the source of truth: a push that does not arrive is caught up with <c>?after=</c>.
/// Titles carry no BSN and no names of household members (they are shown on lock screens and in logs).
/// <para>
/// Cursor spaces (migration 0027, the organisation feed): a back-office user reads in their organisation's space
/// (<c>organisations.notification_seq</c>), everyone else in their own (<c>users.notification_seq</c>). A notification
/// for an organisation's whole back office is ONE row (<c>recipient_id NULL, organisation_id</c>) and one counter bump,
/// whatever the number of colleagues; a personal notification to a back-office user takes its cursor from the same
/// organisation counter. Every writer of a space bumps that one row and holds its lock until commit, so a reader never
/// sees cursor n+1 before n. Lock order in every writer: organisations (id order) before users (id order).
/// Which space a user reads in is decided by the role alone, in every statement here, in the view and in PatchUser:
/// <c>role = 'back-office'</c> (which the users table's CHECK ties to an organisation) or not.
/// </para>
/// </summary>
public sealed class Notifier(DbSession db, AfterCommit afterCommit, IHubContext<NotificationsHub> hub, TimeProvider time)
{
    // PostgreSQL 15 has no uuidv7(): the Unix milliseconds of clock_timestamp() over the first 48 bits of a random UUID,
    // version bits 0111, like Guid.CreateVersion7() makes it: time-ordered, random below the millisecond.
    private const string NotificationIdPostgres =
        "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid";

    // Nobody to tell, no row: an organisation without a back office (e.g. one reached by reply links) gets no
    // notification, as before the feed. The EXISTS reads the back office of the statement's snapshot; a colleague
    // added concurrently joins at the counter of their creation (users.feed_since_seq) and sees later rows.
    private const string HasBackOffice = "EXISTS (SELECT 1 FROM users bo WHERE bo.organisation_id = @organisationId AND bo.role = 'back-office')";

    /// <summary>
    /// PostgreSQL: the organisation's back office (RequestRecipients.BackOfficeSql's rule) notified with ONE row: the
    /// organisation's counter bumped (its row lock, held to the commit, orders the space) and the row inserted, in one
    /// statement; returns (id = organisation id, notification_seq, notification_id). SendRequest appends it to its own
    /// command as the last statement.
    /// </summary>
    internal const string NotifyBackOfficePostgres =
        "WITH bumped AS (UPDATE organisations SET notification_seq = notification_seq + 1 WHERE id = @organisationId AND " + HasBackOffice + "\n" +
        "    RETURNING id, notification_seq)\n" +
        "INSERT INTO notifications (id, recipient_id, organisation_id, seq, type, title, household_id, request_id, created_at, read_at)\n" +
        "SELECT " + NotificationIdPostgres + ", NULL, b.id, b.notification_seq, @type, @title, @householdId, @requestId, @createdAt, NULL FROM bumped b\n" +
        "RETURNING organisation_id AS id, seq AS notification_seq, id AS notification_id";

    /// <summary>SQLite (one writer, no row locks) and SQL Server (OUTPUT): the bump; the row is inserted after it.</summary>
    internal const string BumpBackOfficeSqlite =
        "UPDATE organisations SET notification_seq = notification_seq + 1 WHERE id = @organisationId AND " + HasBackOffice + " RETURNING id, notification_seq";

    internal const string BumpBackOfficeSqlServer =
        "UPDATE organisations SET notification_seq = notification_seq + 1 OUTPUT inserted.id, inserted.notification_seq WHERE id = @organisationId AND " + HasBackOffice;

    /// <summary>The organisation row (one per notification for the whole back office).</summary>
    internal const string InsertOrganisationRowSql = """
        INSERT INTO notifications (id, recipient_id, organisation_id, seq, type, title, household_id, request_id, created_at, read_at)
        VALUES (@id, NULL, @organisationId, @seq, @type, @title, @householdId, @requestId, @createdAt, NULL)
        """;

    /// <summary>
    /// PostgreSQL, listed (personal) recipients: ONE command (one round trip) of two statements, run in this order,
    /// each with its own snapshot (READ COMMITTED). (1) The organisations of the listed back-office users are bumped
    /// once each, which locks them (two listed colleagues share that cursor: neither sees the other's row); (2) then,
    /// seeing everything committed before those locks were granted, the listed users without an organisation are
    /// locked in id order and their own counters bumped, the back-office ones take their organisation's new counter,
    /// and one inbox row each is written. Organisations before users, as in every writer. An admin's move of a user
    /// needs the locks of both organisations involved (PatchUser), so the membership that (2) reads cannot change
    /// before the commit; a user moved into an organisation that (1) did not bump comes back with a cursor (1) did not
    /// hand out, and the caller fails and rolls back rather than write a cursor into a space it did not lock.
    /// Result sets: (organisation id, notification_seq), then (id = user, notification_seq, notification_id,
    /// organisation_id).
    /// </summary>
    internal const string NotifyListedPostgres = """
        UPDATE organisations SET notification_seq = notification_seq + 1
        WHERE id IN (SELECT r.organisation_id FROM users r WHERE r.id IN @recipientIds AND r.role = 'back-office')
        RETURNING id, notification_seq;
        WITH locked AS (
            SELECT u.id FROM users u WHERE u.id IN @recipientIds AND u.role <> 'back-office'
            ORDER BY u.id FOR NO KEY UPDATE),
        bumped AS (
            UPDATE users SET notification_seq = users.notification_seq + 1 FROM locked
            WHERE users.id = locked.id AND users.role <> 'back-office'
            RETURNING users.id, users.notification_seq),
        targets AS (
            SELECT b.id, b.notification_seq, CAST(NULL AS uuid) AS organisation_id FROM bumped b
            UNION ALL
            SELECT u.id, o.notification_seq, o.id FROM users u JOIN organisations o ON o.id = u.organisation_id
            WHERE u.id IN @recipientIds AND u.role = 'back-office'),
        inserted AS (
            INSERT INTO notifications (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at)
            SELECT
        """ + " " + NotificationIdPostgres + """
            , t.id, t.notification_seq, @type, @title, @householdId, @requestId, @createdAt, NULL FROM targets t
            RETURNING recipient_id, seq, id)
        SELECT i.recipient_id AS id, i.seq AS notification_seq, i.id AS notification_id, t.organisation_id
        FROM inserted i JOIN targets t ON t.id = i.recipient_id
        """;

    private sealed record ListedRow
    {
        public Guid Id { get; init; }
        public long NotificationSeq { get; init; }
        public Guid NotificationId { get; init; }
        public Guid? OrganisationId { get; init; }
    }

    /// <summary>SQLite / SQL Server: which listed users read in an organisation's space.</summary>
    internal const string ListedSpacesSql =
        "SELECT id, organisation_id FROM users WHERE id IN @recipientIds AND role = 'back-office'";

    /// <summary>SQLite: one bump per organisation of the listed back-office users.</summary>
    internal const string BumpOrganisationsSqlite =
        "UPDATE organisations SET notification_seq = notification_seq + 1 WHERE id IN @organisationIds RETURNING id, notification_seq";

    /// <summary>SQLite: the listed users without an organisation.</summary>
    internal const string BumpListedSqlite =
        "UPDATE users SET notification_seq = notification_seq + 1 WHERE id IN @recipientIds AND role <> 'back-office' RETURNING id, notification_seq";

    /// <summary>SQL Server, per organisation (id order, before any user) and per user (id order).</summary>
    internal const string NextOrganisationCursorSql =
        "UPDATE organisations SET notification_seq = notification_seq + 1 OUTPUT inserted.notification_seq WHERE id = @organisationId";

    internal const string NextCursorSql =
        "UPDATE users SET notification_seq = notification_seq + 1 OUTPUT inserted.notification_seq WHERE id = @recipientId AND role <> 'back-office'";

    internal const string InsertColumns = "INSERT INTO notifications (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at) VALUES ";

    // Per statement: ten parameters a row at most keeps SQL Server's 2100 and SQLite's 32766 far away.
    private const int RowsPerStatement = 100;

    internal sealed record Bumped
    {
        /// <summary>The reader: a user (personal row) or an organisation (its back office's row).</summary>
        public Guid Id { get; init; }
        public long NotificationSeq { get; init; }

        /// <summary>Set when the inbox row was written by the same statement (PostgreSQL).</summary>
        public Guid? NotificationId { get; init; }
    }

    private sealed record Space
    {
        public Guid Id { get; init; }
        public Guid OrganisationId { get; init; }
    }

    /// <summary>Notifies these users (each once, however often listed), each in their own cursor space.</summary>
    public async Task NotifyAsync(IEnumerable<Guid> recipientUserIds, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        RequireUnitOfWork();
        var recipients = recipientUserIds.Distinct().Order().ToArray();
        if (recipients.Length == 0) return;
        var createdAt = time.GetUtcNow();
        var bumped = db.Dialect.Provider == DatabaseProvider.Postgres
            ? await NotifyListedPostgresAsync(recipients, type, title, householdId, requestId, createdAt, ct)
            : await BumpListedAsync(recipients, ct);
        if (bumped.Count != recipients.Length)
        {
            // Nothing half-done is kept: the exception rolls back the unit of work, bumps and inbox rows with it.
            var missing = recipients.Except(bumped.Select(b => b.Id)).First();
            throw new InvalidOperationException(
                $"Notification recipient {missing} is not a user, or was moved to another organisation while being notified.");
        }
        await WriteAsync(bumped, organisationRow: false, type, title, householdId, requestId, createdAt, ct);
    }

    /// <summary>
    /// Notifies every back-office user of the organisation: ONE row for all of them (the organisation feed), found by
    /// their organisation and the moment they joined when read (view <c>notification_inbox</c>).
    /// </summary>
    public async Task NotifyBackOfficeAsync(Guid organisationId, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        RequireUnitOfWork();
        var createdAt = time.GetUtcNow();
        IReadOnlyList<Bumped> bumped = db.Dialect.Provider switch
        {
            DatabaseProvider.Postgres => (await db.QueryAsync<Bumped>(NotifyBackOfficePostgres,
                Parameters(type, title, householdId, requestId, createdAt, ("organisationId", organisationId)), ct)).ToList(),
            DatabaseProvider.SqlServer => (await db.QueryAsync<Bumped>(BumpBackOfficeSqlServer, new { organisationId }, ct)).ToList(),
            _ => (await db.QueryAsync<Bumped>(BumpBackOfficeSqlite, new { organisationId }, ct)).ToList(),
        };
        await WriteAsync(bumped, organisationRow: true, type, title, householdId, requestId, createdAt, ct);
    }

    /// <summary>
    /// PostgreSQL: the back-office notification as the LAST statement of the caller's own command (SendRequest: after
    /// the request's inserts, one round trip for all of them). <paramref name="sql"/> ends with
    /// <see cref="NotifyBackOfficePostgres"/> and binds its parameters: <c>@type</c>, <c>@title</c>, <c>@createdAt</c>,
    /// <c>@organisationId</c>, <c>@householdId</c>, <c>@requestId</c>; the statements before it return no rows. The
    /// organisation's row lock is taken by that last statement, as in <see cref="NotifyBackOfficeAsync"/>.
    /// </summary>
    internal async Task NotifyBackOfficeAfterAsync(string sql, object param, Action<System.Data.Common.DbCommand> alsoBind,
        string type, string title, Guid householdId, Guid requestId, DateTimeOffset createdAt, CancellationToken ct)
    {
        RequireUnitOfWork();
        if (db.Dialect.Provider != DatabaseProvider.Postgres) throw new InvalidOperationException("PostgreSQL only.");
        var bumped = (await db.QueryAsync<Bumped>(sql, param, alsoBind, ct)).ToList();
        await WriteAsync(bumped, organisationRow: true, type, title, householdId, requestId, createdAt, ct);
    }

    private void RequireUnitOfWork()
    {
        if (db.Transaction is null)
        {
            throw new InvalidOperationException("Notifications are written inside a command's unit of work.");
        }
    }

    private async Task<List<Bumped>> NotifyListedPostgresAsync(Guid[] recipients, string type, string title, Guid? householdId,
        Guid? requestId, DateTimeOffset createdAt, CancellationToken ct)
    {
        var (organisations, rows) = await db.QueryMultipleAsync(NotifyListedPostgres,
            Parameters(type, title, householdId, requestId, createdAt, ("recipientIds", recipients)),
            async grid => ((await grid.ReadAsync<Bumped>()).ToDictionary(o => o.Id, o => o.NotificationSeq),
                (await grid.ReadAsync<ListedRow>()).ToList()), ct);
        // A back-office cursor must be the one statement (1) handed out for that organisation (see NotifyListedPostgres).
        var moved = rows.FirstOrDefault(r => r.OrganisationId is { } org &&
            (!organisations.TryGetValue(org, out var seq) || seq != r.NotificationSeq));
        if (moved is not null)
        {
            throw new InvalidOperationException($"Notification recipient {moved.Id} was moved to another organisation while being notified.");
        }
        return [.. rows.Select(r => new Bumped { Id = r.Id, NotificationSeq = r.NotificationSeq, NotificationId = r.NotificationId })];
    }

    /// <summary>
    /// SQLite and SQL Server: the organisations of the listed back-office users bumped first (id order), then the
    /// users without one. SQLite has one writer (no order to keep); SQL Server locks per statement in that order.
    /// </summary>
    private async Task<List<Bumped>> BumpListedAsync(Guid[] sortedRecipients, CancellationToken ct)
    {
        var spaces = (await db.QueryAsync<Space>(ListedSpacesSql, new { recipientIds = sortedRecipients }, ct)).ToList();
        var organisationIds = spaces.Select(s => s.OrganisationId).Distinct().Order().ToArray();
        var organisationSeq = new Dictionary<Guid, long>();
        var bumped = new List<Bumped>(sortedRecipients.Length);
        if (db.Dialect.Provider == DatabaseProvider.SqlServer)
        {
            foreach (var organisationId in organisationIds)
            {
                organisationSeq[organisationId] = await db.ExecuteScalarAsync<long>(NextOrganisationCursorSql, new { organisationId }, ct);
            }
            foreach (var recipientId in sortedRecipients.Except(spaces.Select(s => s.Id)))
            {
                if (await db.QuerySingleOrDefaultAsync<long?>(NextCursorSql, new { recipientId }, ct) is { } seq)
                {
                    bumped.Add(new Bumped { Id = recipientId, NotificationSeq = seq });
                }
            }
        }
        else
        {
            if (organisationIds.Length > 0)
            {
                foreach (var b in await db.QueryAsync<Bumped>(BumpOrganisationsSqlite, new { organisationIds }, ct))
                {
                    organisationSeq[b.Id] = b.NotificationSeq;
                }
            }
            var own = sortedRecipients.Except(spaces.Select(s => s.Id)).ToArray();
            if (own.Length > 0) bumped.AddRange(await db.QueryAsync<Bumped>(BumpListedSqlite, new { recipientIds = own }, ct));
        }
        bumped.AddRange(spaces.Select(s => new Bumped { Id = s.Id, NotificationSeq = organisationSeq[s.OrganisationId] }));
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

    private async Task WriteAsync(IReadOnlyList<Bumped> bumped, bool organisationRow, string type, string title,
        Guid? householdId, Guid? requestId, DateTimeOffset createdAt, CancellationToken ct)
    {
        if (bumped.Count == 0) return;
        var messages = bumped.OrderBy(b => b.Id)
            .Select(b => (ReaderId: b.Id, Message: new NotificationMessage(b.NotificationId ?? Guid.CreateVersion7(), b.NotificationSeq, type, householdId, requestId, title, createdAt)))
            .ToList();
        // PostgreSQL wrote the inbox rows in the statement that bumped the cursors; the others write them here.
        var unwritten = bumped.Any(b => b.NotificationId is null) ? messages : [];
        if (organisationRow)
        {
            foreach (var (organisationId, message) in unwritten)
            {
                var parameters = Parameters(type, title, householdId, requestId, createdAt, ("organisationId", organisationId));
                parameters.Add("id", message.Id);
                parameters.Add("seq", message.Cursor);
                await db.ExecuteAsync(InsertOrganisationRowSql, parameters, ct);
            }
        }
        else
        {
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
                    parameters.Add("recipientId" + n, chunk[i].ReaderId);
                    parameters.Add("seq" + n, chunk[i].Message.Cursor);
                }
                await db.ExecuteAsync(sql.ToString(), parameters, ct);
            }
        }
        // Pushed as soon as the commit returns, ahead of every other after-commit action (webhook triggers, reply-link
        // mails: AfterCommit.EnqueuePush), and to all readers at once. An organisation row is ONE send to the
        // organisation's group (joined only by its back-office users: NotificationsHub.OnConnectedAsync) — the same
        // message and cursor for every colleague; a personal row goes to its user's group. In-memory SignalR state
        // (or one Redis publish with the backplane): no database work per message.
        afterCommit.EnqueuePush(token => Task.WhenAll(messages.Select(m =>
            hub.Clients.Group(organisationRow ? NotificationsHub.OrganisationGroup(m.ReaderId) : NotificationsHub.UserGroup(m.ReaderId))
                .SendAsync(NotificationsHub.Method, m.Message, token))));
    }
}
