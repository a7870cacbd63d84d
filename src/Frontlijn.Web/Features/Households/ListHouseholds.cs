using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// The households of the caller's own team (coach, team lead), optionally of one status: e.g. <c>?status=registered</c>
/// is what a team lead still has to give a coach. Anyone else gets 404, as for a single household.
/// </summary>
public static class ListHouseholds
{
    public sealed record Query(WebConventions.Paging Paging, string? Status) : IQuery<PagedResult<HouseholdSummary>>;

    public sealed record HouseholdSummary(Guid Id, string Status, Address Address, CoachRef? Coach, DateTimeOffset CreatedAt);

    private const string Filter = """
        WHERE h.team_id = @teamId AND (@status IS NULL OR h.status = @status)
        """;

    internal const string CountSql = "SELECT COUNT(*) FROM households h " + Filter;

    internal const string PageSql = """
        SELECT h.id, h.neighbourhood_id, h.team_id, h.street, h.house_number, h.house_number_suffix, h.postal_code,
               h.city, h.status, h.closure_reason, h.created_at, h.closed_at, h.version,
               a.coach_id, u.display_name AS coach_display_name
        FROM households h
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        """ + "\n" + Filter + "\n" + """
        ORDER BY h.created_at, h.id
        {page}
        """;

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, PagedResult<HouseholdSummary>>
    {
        public async ValueTask<PagedResult<HouseholdSummary>> Handle(Query query, CancellationToken ct)
        {
            if (!(user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) || user.TeamId is not { } teamId)
            {
                throw ProblemException.NotFound("Deze lijst");
            }
            var total = await db.ExecuteScalarAsync<int>(CountSql, new { teamId, query.Status }, ct);
            var rows = (await db.QueryAsync<HouseholdRow>(PageSql, new
            {
                teamId, query.Status, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            foreach (var row in rows)
            {
                await log.WriteAsync("list", "household", row.Id, row.Id, ct);
            }
            return new PagedResult<HouseholdSummary>(
                rows.Select(r => new HouseholdSummary(r.Id, r.Status, r.Address, r.Coach, r.CreatedAt)).ToList(),
                query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households", async (int? page, int? pageSize, string? status, IMediator mediator, CancellationToken ct) =>
        {
            if (status is not null && !HouseholdStatus.All.Contains(status))
            {
                throw new FluentValidation.ValidationException([new("status", "Status is registered, active, closing of closed.")]);
            }
            return TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize), status), ct));
        })
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listHouseholds")
        .WithSummary("Huishoudens van het eigen team, op registratiedatum")
        .WithTags("Huishoudens");
}
