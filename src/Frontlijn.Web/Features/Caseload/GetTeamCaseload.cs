using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Caseload;

/// <summary>
/// The team lead's view: every coach of their own team with the number of open households against the maximum, and
/// how many households of the team still wait for a coach. Only counts: no household data, so nothing to log.
/// </summary>
public static class GetTeamCaseload
{
    public sealed record Query(Guid TeamId, WebConventions.Paging Paging) : IQuery<TeamCaseload>;

    public sealed record CoachLoad(Guid CoachId, string DisplayName, int OpenHouseholds, int MaxCaseload, int Available, bool Full);

    public sealed record TeamCaseload(
        Guid TeamId, int UnassignedHouseholds, IReadOnlyList<CoachLoad> Items, int Page, int PageSize, int Total);

    internal const string CountSql = "SELECT COUNT(*) FROM users WHERE team_id = @teamId AND role = @coach";

    internal const string PageSql = """
        SELECT u.id AS coach_id, u.display_name, u.max_caseload,
               (SELECT COUNT(*) FROM coach_assignments a WHERE a.coach_id = u.id AND a.to_at IS NULL) AS open_households
        FROM users u
        WHERE u.team_id = @teamId AND u.role = @coach
        ORDER BY u.display_name, u.id
        {page}
        """;

    internal const string UnassignedSql = "SELECT COUNT(*) FROM households WHERE team_id = @teamId AND status = @registered";

    internal sealed record Row
    {
        public Guid CoachId { get; init; }
        public string DisplayName { get; init; } = "";
        public int MaxCaseload { get; init; }
        public int OpenHouseholds { get; init; }
    }

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, TeamCaseload>
    {
        public async ValueTask<TeamCaseload> Handle(Query query, CancellationToken ct)
        {
            var filter = new { query.TeamId, coach = Roles.Coach };
            var total = await db.ExecuteScalarAsync<int>(CountSql, filter, ct);
            var rows = await db.QueryAsync<Row>(PageSql, new
            {
                query.TeamId, coach = Roles.Coach, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct);
            var unassigned = await db.ExecuteScalarAsync<int>(UnassignedSql,
                new { query.TeamId, registered = Households.HouseholdStatus.Registered }, ct);
            var items = rows.Select(r => new CoachLoad(r.CoachId, r.DisplayName, r.OpenHouseholds, r.MaxCaseload,
                Math.Max(0, r.MaxCaseload - r.OpenHouseholds), r.OpenHouseholds >= r.MaxCaseload)).ToList();
            return new TeamCaseload(query.TeamId, unassigned, items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/caseload/coaches", async (int? page, int? pageSize, CurrentUser user, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(
                user.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team; er is geen caseload van een team."),
                WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .WithName("getTeamCaseload")
        .WithSummary("Caseload per coach van het eigen team (teamleider): open huishoudens tegenover het maximum")
        .WithTags("Caseload");
}
