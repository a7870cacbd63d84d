using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Neighbourhoods;

public static class ListNeighbourhoods
{
    public sealed record Query(WebConventions.Paging Paging) : IQuery<PagedResult<Neighbourhood>>;

    internal const string CountSql = "SELECT COUNT(*) FROM neighbourhoods";

    internal const string PageSql = """
        SELECT id, code, name, municipality
        FROM neighbourhoods
        ORDER BY code, id
        {page}
        """;

    internal const string PostalCodesSql = """
        SELECT neighbourhood_id, postal_code
        FROM neighbourhood_postal_codes
        WHERE neighbourhood_id IN @ids
        ORDER BY postal_code
        """;

    // Rows are property-based: Dapper converts column types per provider (SQLite returns Int64 and TEXT) for
    // properties, while a positional constructor would have to match every provider's column types exactly.
    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Municipality { get; init; } = "";
    }

    internal sealed record PostalCodeRow
    {
        public Guid NeighbourhoodId { get; init; }
        public string PostalCode { get; init; } = "";
    }

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, PagedResult<Neighbourhood>>
    {
        public async ValueTask<PagedResult<Neighbourhood>> Handle(Query query, CancellationToken ct)
        {
            var total = await db.ExecuteScalarAsync<int>(CountSql, ct: ct);
            var rows = (await db.QueryAsync<Row>(PageSql, new { offset = query.Paging.Offset, limit = query.Paging.Limit }, ct)).ToList();
            var ids = rows.Select(r => r.Id).ToArray();
            var codes = (await db.QueryAsync<PostalCodeRow>(PostalCodesSql, new { ids }, ct)).ToLookup(p => p.NeighbourhoodId, p => p.PostalCode);
            var items = rows.Select(r => new Neighbourhood(r.Id, r.Code, r.Name, r.Municipality, codes[r.Id].ToList())).ToList();
            return new PagedResult<Neighbourhood>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/neighbourhoods", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.KnownUser)
        .WithName("listNeighbourhoods")
        .WithSummary("Wijken, op code")
        .WithTags("Beheer");
}
