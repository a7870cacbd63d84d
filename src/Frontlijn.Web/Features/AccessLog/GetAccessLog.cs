using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.AccessLog;

/// <summary>
/// The NEN 7513 log of one household, newest first: for the team lead of its team and for the admin (who answers
/// requests for it). Everyone else gets 404. Reading the log is itself logged.
/// </summary>
public static class GetAccessLog
{
    public sealed record Query(Guid HouseholdId, WebConventions.Paging Paging) : IQuery<PagedResult<AccessLogEntry>>;

    public sealed record AccessLogEntry(
        Guid Id, DateTimeOffset OccurredAt, Guid? ActorId, string? ActorDisplayName, Guid? OnBehalfOf, string Action,
        string ObjectType, Guid? ObjectId, string Result, string Origin);

    internal const string HouseholdTeamSql = "SELECT team_id FROM households WHERE id = @householdId";

    internal const string CountSql = "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId";

    internal const string PageSql = """
        SELECT l.id, l.occurred_at, l.actor_id, u.display_name AS actor_display_name, l.on_behalf_of, l.action,
               l.object_type, l.object_id, l.result, l.origin
        FROM access_log l
        LEFT JOIN users u ON u.id = l.actor_id
        WHERE l.household_id = @householdId
        ORDER BY l.occurred_at DESC, l.id DESC
        {page}
        """;

    internal sealed record HouseholdRow
    {
        public Guid TeamId { get; init; }
    }

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public Guid? ActorId { get; init; }
        public string? ActorDisplayName { get; init; }
        public Guid? OnBehalfOf { get; init; }
        public string Action { get; init; } = "";
        public string ObjectType { get; init; } = "";
        public Guid? ObjectId { get; init; }
        public string Result { get; init; } = "";
        public string Origin { get; init; } = "";
    }

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, PagedResult<AccessLogEntry>>
    {
        public async ValueTask<PagedResult<AccessLogEntry>> Handle(Query query, CancellationToken ct)
        {
            var teamId = (await db.QuerySingleOrDefaultAsync<HouseholdRow>(HouseholdTeamSql, new { query.HouseholdId }, ct))?.TeamId;
            var allowed = teamId is not null &&
                          (user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.TeamLead) && user.TeamId == teamId));
            if (!allowed)
            {
                if (teamId is not null)
                {
                    await log.WriteAsync("read", "access-log", query.HouseholdId, query.HouseholdId, ct, AccessLogWriter.Denied);
                }
                throw ProblemException.NotFound("Dit huishouden");
            }
            var total = await db.ExecuteScalarAsync<int>(CountSql, new { query.HouseholdId }, ct);
            var items = (await db.QueryAsync<Row>(PageSql, new
            {
                query.HouseholdId, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).Select(r => new AccessLogEntry(r.Id, r.OccurredAt, r.ActorId, r.ActorDisplayName, r.OnBehalfOf, r.Action,
                r.ObjectType, r.ObjectId, r.Result, r.Origin)).ToList();
            // Logged after reading, so the page shows what was there before this look at it.
            await log.WriteAsync("read", "access-log", query.HouseholdId, query.HouseholdId, ct);
            return new PagedResult<AccessLogEntry>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/access-log", async (Guid id, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id, WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .WithName("getAccessLog")
        .WithSummary("Toegangslog (NEN 7513) van een huishouden, nieuwste eerst (teamleider van het team, beheerder)")
        .WithTags("Huishoudens");
}
