using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.AccessLog;

/// <summary>
/// Writes the NEN 7513 / BIO 8.15.01 access log: who (actor, on behalf of), what (action on an object of a household),
/// with which result, from where, when. Inside a command it joins the command's transaction, so a change and its log
/// row commit or roll back together; in a query (no transaction) the row is written at once.
/// Only ids go in: never names, never a BSN.
/// </summary>
public sealed class AccessLogWriter(DbSession db, CurrentUser user, IHttpContextAccessor http, TimeProvider time)
{
    public const string Success = "success";
    public const string Denied = "denied";

    internal const string InsertSql = """
        INSERT INTO access_log (id, occurred_at, actor_id, on_behalf_of, action, object_type, object_id, household_id, result, origin)
        VALUES (@id, @occurredAt, @actorId, @onBehalfOf, @action, @objectType, @objectId, @householdId, @result, @origin)
        """;

    /// <param name="action">create, read, update, assign, close, match, list.</param>
    /// <param name="objectType">household, coach-assignment, coach-history, signal, access-log.</param>
    public Task WriteAsync(string action, string objectType, Guid? objectId, Guid? householdId, CancellationToken ct,
        string result = Success) =>
        db.ExecuteAsync(InsertSql, new
        {
            id = Guid.CreateVersion7(),
            occurredAt = time.GetUtcNow(),
            actorId = user.IsKnown ? user.Id : (Guid?)null,
            onBehalfOf = (Guid?)null,
            action,
            objectType,
            objectId,
            householdId,
            result,
            origin = Origin(),
        }, ct);

    /// <summary>The client's address for API calls; "system" for work without a caller (seeding, jobs).</summary>
    private string Origin()
    {
        var context = http.HttpContext;
        if (context is null) return "system";
        return context.Connection.RemoteIpAddress?.ToString() ?? "api";
    }
}
