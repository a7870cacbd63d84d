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
    // cursor order, so a reader never sees cursor n+1 before n (see migration 0002). The bump returns the new value in
    // the same statement (RETURNING; OUTPUT on SQL Server): one round trip per recipient instead of an UPDATE and a
    // SELECT (issue 12), and the inbox rows of all recipients go in as one multi-row INSERT.
    // SQL Server's form is the one named ...Sql, so that the unit tests parse it as T-SQL; the RETURNING form is only
    // ever sent to PostgreSQL and SQLite (3.35+), where the integration tests run it.
    internal const string NextCursorSql = "UPDATE users SET notification_seq = notification_seq + 1 OUTPUT inserted.notification_seq WHERE id = @recipientId";
    internal const string NextCursorReturning = "UPDATE users SET notification_seq = notification_seq + 1 WHERE id = @recipientId RETURNING notification_seq";

    internal const string InsertColumns = "INSERT INTO notifications (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at) VALUES ";

    // Per statement: ten parameters a row at most keeps SQL Server's 2100 and SQLite's 32766 far away.
    private const int RowsPerStatement = 100;

    public async Task NotifyAsync(IEnumerable<Guid> recipientUserIds, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        if (db.Transaction is null)
        {
            throw new InvalidOperationException("Notifications are written inside a command's unit of work.");
        }
        var createdAt = time.GetUtcNow();
        var nextCursor = db.Dialect.Provider == DatabaseProvider.SqlServer ? NextCursorSql : NextCursorReturning;
        var messages = new List<(Guid RecipientId, NotificationMessage Message)>();
        // Sorted: every transaction takes user row locks in the same order, so two of them cannot deadlock here.
        foreach (var recipientId in recipientUserIds.Distinct().Order())
        {
            var seq = await db.QuerySingleOrDefaultAsync<long?>(nextCursor, new { recipientId }, ct)
                      ?? throw new InvalidOperationException($"Notification recipient {recipientId} is not a user.");
            messages.Add((recipientId, new NotificationMessage(Guid.CreateVersion7(), seq, type, householdId, requestId, title, createdAt)));
        }
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
        foreach (var (recipientId, message) in messages)
        {
            afterCommit.Enqueue(token =>
                hub.Clients.Group(NotificationsHub.UserGroup(recipientId)).SendAsync(NotificationsHub.Method, message, token));
        }
    }
}
