using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

public static class ListPlanGoals
{
    public sealed record Query(Guid HouseholdId) : IQuery<PlanGoalList>;

    internal sealed class Handler(DbSession db, PlanAccess access) : IQueryHandler<Query, PlanGoalList>
    {
        public async ValueTask<PlanGoalList> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "plan-goal", ct);
            return new PlanGoalList(await PlanReader.GoalsAsync(db, query.HouseholdId, ct));
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/plan/goals", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listPlanGoals")
        .WithSummary("Doelen van het gezinsplan, in volgorde van vastleggen, met hun acties")
        .WithTags("Gezinsplan");
}
