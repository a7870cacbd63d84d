using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Organisations;

public static class GetOrganisation
{
    public sealed record Query(Guid Id) : IQuery<Organisation>;

    internal const string FindSql = """
        SELECT id, name, kind, webhook_url,
               CASE WHEN EXISTS (SELECT 1 FROM webhook_secrets s WHERE s.organisation_id = organisations.id AND s.removed_at IS NULL)
                    THEN 1 ELSE 0 END AS has_webhook_secret,
               deactivated_at,
               (SELECT e.user_id FROM organisation_escalation_contacts e WHERE e.organisation_id = organisations.id) AS escalation_contact_id,
               reply_by_link, functional_email
        FROM organisations
        WHERE id = @id
        """;

    internal const string ServicesSql = """
        SELECT id, organisation_id, code, name, response_days, urgent_response_days, deactivated_at, tariff_cents, tariff_per
        FROM organisation_services
        WHERE organisation_id = @id
        ORDER BY code
        """;

    internal sealed class Handler(DbSession db, CurrentUser user) : IQueryHandler<Query, Organisation>
    {
        public async ValueTask<Organisation> Handle(Query query, CancellationToken ct)
        {
            var row = await db.QuerySingleOrDefaultAsync<ListOrganisations.Row>(FindSql, new { id = query.Id }, ct)
                      ?? throw ProblemException.NotFound("Deze organisatie");
            var services = (await db.QueryAsync<ListOrganisations.ServiceRow>(ServicesSql, new { id = query.Id }, ct))
                .Select(s => s.ToService()).ToList();
            return row.ToOrganisation(user, services);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/organisations/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.KnownUser)
        .WithName("getOrganisation")
        .WithSummary("Eén organisatie met haar diensten")
        .WithTags("Beheer");
}
