using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Neighbourhoods;

public static class GetNeighbourhood
{
    public sealed record Query(Guid Id) : IQuery<Neighbourhood>;

    internal const string FindSql = "SELECT id, code, name, municipality FROM neighbourhoods WHERE id = @id";

    internal const string PostalCodesSql = """
        SELECT postal_code FROM neighbourhood_postal_codes WHERE neighbourhood_id = @id ORDER BY postal_code
        """;

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, Neighbourhood>
    {
        public async ValueTask<Neighbourhood> Handle(Query query, CancellationToken ct)
        {
            var row = await db.QuerySingleOrDefaultAsync<ListNeighbourhoods.Row>(FindSql, new { id = query.Id }, ct)
                      ?? throw ProblemException.NotFound("Deze wijk");
            var codes = (await db.QueryAsync<string>(PostalCodesSql, new { id = query.Id }, ct)).ToList();
            return new Neighbourhood(row.Id, row.Code, row.Name, row.Municipality, codes);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/neighbourhoods/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.KnownUser)
        .WithName("getNeighbourhood")
        .WithSummary("Eén wijk")
        .WithTags("Beheer");
}
