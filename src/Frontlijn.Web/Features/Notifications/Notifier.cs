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
    internal const string NextCursorSql = "UPDATE users SET notification_seq = notification_seq + 1 WHERE id = @recipientId";
    internal const string ReadCursorSql = "SELECT notification_seq FROM users WHERE id = @recipientId";

    internal const string InsertSql = """
        INSERT INTO notifications (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at)
        VALUES (@id, @recipientId, @seq, @type, @title, @householdId, @requestId, @createdAt, NULL)
        """;

    public async Task NotifyAsync(IEnumerable<Guid> recipientUserIds, string type, string title, Guid? householdId,
        Guid? requestId, CancellationToken ct)
    {
        if (db.Transaction is null)
        {
            throw new InvalidOperationException("Notifications are written inside a command's unit of work.");
        }
        var createdAt = time.GetUtcNow();
        // Sorted: every transaction takes user row locks in the same order, so two of them cannot deadlock here.
        foreach (var recipientId in recipientUserIds.Distinct().Order())
        {
            if (await db.ExecuteAsync(NextCursorSql, new { recipientId }, ct) == 0)
            {
                throw new InvalidOperationException($"Notification recipient {recipientId} is not a user.");
            }
            var seq = await db.ExecuteScalarAsync<long>(ReadCursorSql, new { recipientId }, ct);
            var message = new NotificationMessage(Guid.CreateVersion7(), seq, type, householdId, requestId, title, createdAt);
            await db.ExecuteAsync(InsertSql, new
            {
                message.Id, recipientId, seq, type, title, householdId, requestId, createdAt,
            }, ct);
            afterCommit.Enqueue(token =>
                hub.Clients.Group(NotificationsHub.UserGroup(recipientId)).SendAsync(NotificationsHub.Method, message, token));
        }
    }
}
