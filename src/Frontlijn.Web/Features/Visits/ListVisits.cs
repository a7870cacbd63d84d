using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Visits;

/// <summary>
/// The visits of the caller's team (plus the ones the caller planned at an address of another team), by day and
/// address; <c>on</c> narrows to one day. Each listed visit at a household's address is access-logged.
/// </summary>
public static class ListVisits
{
    public sealed record Query(Guid? TeamId, Guid UserId, DateOnly? On, WebConventions.Paging Paging) : IQuery<PagedResult<Visit>>;

    // Two statements rather than "@on IS NULL OR ...": PostgreSQL cannot type an untyped NULL parameter.
    private const string Filter = "WHERE (v.team_id = @teamId OR v.planned_by = @userId)";
    private const string DayFilter = Filter + " AND v.planned_on = @on";

    private const string Order = """
        ORDER BY v.planned_on, v.postal_code, v.house_number, v.house_number_suffix, v.id
        {page}
        """;

    internal static string CountSql(bool day) => "SELECT COUNT(*) FROM visits v " + (day ? DayFilter : Filter);

    internal static string PageSql(bool day) => VisitRow.Select + "\n" + (day ? DayFilter : Filter) + "\n" + Order;

    internal sealed class Handler(DbSession db, AccessLogWriter log) : IQueryHandler<Query, PagedResult<Visit>>
    {
        public async ValueTask<PagedResult<Visit>> Handle(Query query, CancellationToken ct)
        {
            var filter = new { query.TeamId, query.UserId, query.On };
            var total = await db.ExecuteScalarAsync<int>(CountSql(query.On is not null), filter, ct);
            var rows = (await db.QueryAsync<VisitRow>(PageSql(query.On is not null), new
            {
                query.TeamId, query.UserId, query.On, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            await log.WriteListedAsync("list", "visit",
                rows.Where(r => r.HouseholdId is not null).Select(r => ((Guid?)r.Id, r.HouseholdId)).ToList(), ct);
            return new PagedResult<Visit>(rows.Select(r => r.ToVisit()).ToList(), query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/visits", async (DateOnly? on, int? page, int? pageSize, CurrentUser user, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(user.TeamId, user.Id, on, WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listVisits")
        .WithSummary("Bezoeken achter de voordeur van het eigen team, filter op dag (on=jjjj-mm-dd)")
        .WithTags("Bezoeken");
}
