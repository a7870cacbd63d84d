using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Teams;

public static class GetTeam
{
    public sealed record Query(Guid Id) : IQuery<Team>;

    internal const string FindSql = "SELECT id, name FROM teams WHERE id = @id";
    internal const string NeighbourhoodsSql = "SELECT neighbourhood_id FROM team_neighbourhoods WHERE team_id = @id";

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, Team>
    {
        public async ValueTask<Team> Handle(Query query, CancellationToken ct)
        {
            var row = await db.QuerySingleOrDefaultAsync<ListTeams.Row>(FindSql, new { id = query.Id }, ct)
                      ?? throw ProblemException.NotFound("Dit team");
            var ids = (await db.QueryAsync<Guid>(NeighbourhoodsSql, new { id = query.Id }, ct)).Order().ToList();
            return new Team(row.Id, row.Name, ids);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/teams/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.KnownUser)
        .WithName("getTeam")
        .WithSummary("Eén team")
        .WithTags("Beheer");
}
