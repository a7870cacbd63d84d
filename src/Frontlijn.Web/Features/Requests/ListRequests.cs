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
    public sealed record Query(WebConventions.Paging Paging, string? Status, Guid? HouseholdId) : IQuery<PagedResult<RequestDetail>>;

    // Exactly one of organisationId / teamId is set by the handler, from the caller's role, never from the query string.
    private const string Filter = """
        WHERE (@organisationId IS NULL OR r.organisation_id = @organisationId)
          AND (@teamId IS NULL OR h.team_id = @teamId)
          AND (@status IS NULL OR r.status = @status)
          AND (@householdId IS NULL OR r.household_id = @householdId)
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

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : IQueryHandler<Query, PagedResult<RequestDetail>>
    {
        public async ValueTask<PagedResult<RequestDetail>> Handle(Query query, CancellationToken ct)
        {
            Guid? organisationId = null, teamId = null;
            if (user.IsInRole(Roles.BackOffice))
            {
                organisationId = user.OrganisationId ?? throw ProblemException.Forbidden("U hoort bij geen organisatie.");
            }
            else if (user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead))
            {
                teamId = user.TeamId ?? throw ProblemException.Forbidden("U hoort bij geen team.");
            }
            else
            {
                throw ProblemException.Forbidden("Verzoeken zijn er voor coaches, teamleiders en de back offices waaraan ze zijn gericht.");
            }
            var filter = new { organisationId, teamId, query.Status, query.HouseholdId };
            var total = await db.ExecuteScalarAsync<int>(CountSql, filter, ct);
            var rows = (await db.QueryAsync<RequestRow>(PageSql, new
            {
                organisationId, teamId, query.Status, query.HouseholdId, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            foreach (var householdId in rows.Select(r => r.HouseholdId).Distinct())
            {
                await log.WriteAsync("list", "request", null, householdId, ct);
            }
            var now = time.GetUtcNow();
            return new PagedResult<RequestDetail>(rows.Select(r => r.ToDetail(now)).ToList(), query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/requests", async (int? page, int? pageSize, string? status, Guid? householdId, IMediator mediator, CancellationToken ct) =>
        {
            if (status is not null && !RequestStatus.All.Contains(status))
            {
                throw new FluentValidation.ValidationException(
                    [new("status", "Status is sent, acknowledged, suspended, answered, declined of withdrawn.")]);
            }
            return TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize), status, householdId), ct));
        })
        .RequireAuthorization(Policies.KnownUser)
        .WithName("listRequests")
        .WithSummary("Verzoeken die u mag zien, nieuwste eerst (back office: alleen die aan de eigen organisatie)")
        .WithTags("Verzoeken");
}
