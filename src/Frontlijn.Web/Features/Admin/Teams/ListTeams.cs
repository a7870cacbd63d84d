using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Teams;

public static class ListTeams
{
    public sealed record Query(WebConventions.Paging Paging) : IQuery<PagedResult<Team>>;

    internal const string CountSql = "SELECT COUNT(*) FROM teams";
    internal const string PageSql = "SELECT id, name FROM teams ORDER BY name, id {page}";
    internal const string NeighbourhoodsSql = """
        SELECT team_id, neighbourhood_id FROM team_neighbourhoods WHERE team_id IN @ids
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
    }

    internal sealed record LinkRow
    {
        public Guid TeamId { get; init; }
        public Guid NeighbourhoodId { get; init; }
    }

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, PagedResult<Team>>
    {
        public async ValueTask<PagedResult<Team>> Handle(Query query, CancellationToken ct)
        {
            var total = await db.ExecuteScalarAsync<int>(CountSql, ct: ct);
            var rows = (await db.QueryAsync<Row>(PageSql, new { offset = query.Paging.Offset, limit = query.Paging.Limit }, ct)).ToList();
            var links = (await db.QueryAsync<LinkRow>(NeighbourhoodsSql, new { ids = rows.Select(r => r.Id).ToArray() }, ct))
                .ToLookup(l => l.TeamId, l => l.NeighbourhoodId);
            var items = rows.Select(r => new Team(r.Id, r.Name, links[r.Id].Order().ToList())).ToList();
            return new PagedResult<Team>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/teams", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.KnownUser)
        .WithName("listTeams")
        .WithSummary("Teams, op naam")
        .WithTags("Beheer");
}
