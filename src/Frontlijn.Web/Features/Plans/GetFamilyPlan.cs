using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

public static class GetFamilyPlan
{
    public sealed record Query(Guid HouseholdId) : IQuery<FamilyPlan>;

    internal sealed class Handler(DbSession db, PlanAccess access) : IQueryHandler<Query, FamilyPlan>
    {
        public async ValueTask<FamilyPlan> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "family-plan", ct);
            return await PlanReader.PlanAsync(db, query.HouseholdId, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/plan", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        // Any known user reaches the handler, which answers 404 outside need-to-know (never 403: that would reveal existence).
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("getFamilyPlan")
        .WithSummary("Het gezinsplan (één plan): evaluatiedatum, laatste evaluatie, doelen met hun acties")
        .WithTags("Gezinsplan");
}
