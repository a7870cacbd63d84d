using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>
/// Requests the caller may see, newest first: a back office only those addressed to its own organisation, coaches and
/// team leads those of their team's households. Filters: status, household.
/// </summary>
public static class ListRequests
{
    /// <param name="AssigneeId">Only requests assigned to this colleague (the inbox's "aan mij toegewezen").</param>
    /// <param name="View">The inbox's tabs (the pages only; the API filters by <c>status</c>); it also orders the
    /// list by urgency of the answer instead of newest first.</param>
    public sealed record Query(WebConventions.Paging Paging, string? Status, Guid? HouseholdId, Guid? AssigneeId = null,
        InboxView? View = null) : IQuery<PagedResult<RequestDetail>>;

    /// <summary>
    /// The inbox tabs: open (new and in progress: sent, acknowledged, suspended), new (sent), overdue (running past
    /// its due date, or escalated and still open), done (answered, declined, withdrawn), all.
    /// </summary>
    public enum InboxView { All = 0, Open = 1, New = 2, Overdue = 3, Done = 4 }

    // Exactly one of organisationId / teamId is set by the handler, from the caller's role, never from the query string.
    // @view is the InboxView's number; NULL (the API) or 0 is everything.
    private const string Filter = """
        WHERE (@organisationId IS NULL OR r.organisation_id = @organisationId)
          AND (@teamId IS NULL OR h.team_id = @teamId)
          AND (@status IS NULL OR r.status = @status)
          AND (@householdId IS NULL OR r.household_id = @householdId)
          AND (@assigneeId IS NULL OR r.assignee_id = @assigneeId)
          AND (@view IS NULL OR @view = 0
               OR (@view = 1 AND r.status IN ('sent', 'acknowledged', 'suspended'))
               OR (@view = 2 AND r.status = 'sent')
               OR (@view = 3 AND ((r.status IN ('sent', 'acknowledged') AND r.due_at < @now)
                                  OR (r.escalation_level > 0 AND r.status IN ('sent', 'acknowledged', 'suspended'))))
               OR (@view = 4 AND r.status IN ('answered', 'declined', 'withdrawn')))
        """;

    internal const string CountSql = """
        SELECT COUNT(*)
        FROM requests r
        JOIN households h ON h.id = r.household_id
        """ + "\n" + Filter;

    internal const string PageSql = RequestAccess.Select + "\n" + Filter + "\n" + """
        ORDER BY r.sent_at DESC, r.id DESC
        {page}
        """;

    // The inbox: what needs an answer soonest on top — overdue first, then open ones by due date, then the rest.
    internal const string InboxPageSql = RequestAccess.Select + "\n" + Filter + "\n" + """
        ORDER BY CASE WHEN r.status IN ('sent', 'acknowledged') AND r.due_at < @now THEN 0
                      WHEN r.status IN ('sent', 'acknowledged', 'suspended') THEN 1 ELSE 2 END,
                 r.due_at, r.id
        {page}
        """;

    /// <summary>How many requests a tab of the inbox holds (no rows read, so nothing to log).</summary>
    public sealed record CountQuery(InboxView View, Guid? AssigneeId) : IQuery<int>;

    internal sealed class CountHandler(DbSession db, CurrentUser user, TimeProvider time) : IQueryHandler<CountQuery, int>
    {
        public async ValueTask<int> Handle(CountQuery query, CancellationToken ct)
        {
            var (organisationId, teamId) = Scope(user);
            return await db.ExecuteScalarAsync<int>(CountSql, new
            {
                organisationId, teamId, status = (string?)null, householdId = (Guid?)null, query.AssigneeId,
                view = (int?)(int)query.View, now = time.GetUtcNow(),
            }, ct);
        }
    }

    /// <summary>Exactly one of the two, from the caller's role.</summary>
    private static (Guid? OrganisationId, Guid? TeamId) Scope(CurrentUser user)
    {
        if (user.IsInRole(Roles.BackOffice))
        {
            return (user.OrganisationId ?? throw ProblemException.Forbidden("U hoort bij geen organisatie."), null);
        }
        if (user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead))
        {
            return (null, user.TeamId ?? throw ProblemException.Forbidden("U hoort bij geen team."));
        }
        throw ProblemException.Forbidden("Verzoeken zijn er voor coaches, teamleiders en de back offices waaraan ze zijn gericht.");
    }

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : IQueryHandler<Query, PagedResult<RequestDetail>>
    {
        public async ValueTask<PagedResult<RequestDetail>> Handle(Query query, CancellationToken ct)
        {
            var (organisationId, teamId) = Scope(user);
            var now = time.GetUtcNow();
            int? view = query.View is { } v ? (int)v : null;
            var filter = new { organisationId, teamId, query.Status, query.HouseholdId, query.AssigneeId, view, now };
            var total = await db.ExecuteScalarAsync<int>(CountSql, filter, ct);
            var rows = (await db.QueryAsync<RequestRow>(query.View is null ? PageSql : InboxPageSql, new
            {
                organisationId, teamId, query.Status, query.HouseholdId, query.AssigneeId, view, now,
                offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            foreach (var householdId in rows.Select(r => r.HouseholdId).Distinct())
            {
                await log.WriteAsync("list", "request", null, householdId, ct);
            }
            return new PagedResult<RequestDetail>(rows.Select(r => r.ToDetail(now)).ToList(), query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/requests", async (int? page, int? pageSize, string? status, Guid? householdId, Guid? assigneeId, IMediator mediator, CancellationToken ct) =>
        {
            if (status is not null && !RequestStatus.All.Contains(status))
            {
                throw new FluentValidation.ValidationException(
                    [new("status", "Status is sent, acknowledged, suspended, answered, declined of withdrawn.")]);
            }
            return TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize), status, householdId, assigneeId), ct));
        })
        .RequireAuthorization(Policies.KnownUser)
        .WithName("listRequests")
        .WithSummary("Verzoeken die u mag zien, nieuwste eerst (back office: alleen die aan de eigen organisatie)")
        .WithTags("Verzoeken");
}
