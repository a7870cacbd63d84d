using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Consents;

public static class ListConsents
{
    public sealed record Query(Guid HouseholdId) : IQuery<ConsentList>;

    public sealed record ConsentList(IReadOnlyList<Consent> Items);

    internal const string ListSql = "SELECT " + ConsentRow.Columns + """

        FROM consents
        WHERE household_id = @householdId
        ORDER BY given_on DESC, id
        """;

    internal sealed class Handler(DbSession db, HouseholdAccess households, TimeProvider time) : IQueryHandler<Query, ConsentList>
    {
        public async ValueTask<ConsentList> Handle(Query query, CancellationToken ct)
        {
            await households.ReadAsync(query.HouseholdId, "consent", ct);
            var now = time.GetUtcNow();
            var rows = await db.QueryAsync<ConsentRow>(ListSql, new { query.HouseholdId }, ct);
            return new ConsentList(rows.Select(r => r.ToConsent(now)).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/consents", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listConsents")
        .WithSummary("Toestemmingen van een huishouden, met of ze vandaag geldig zijn")
        .WithTags("Toestemmingen");
}
