using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

/// <summary>The coach records that an action was done: today, or on the day given (not in the future).</summary>
public static class CompletePlanAction
{
    public sealed record Body(DateOnly? DoneOn);

    public sealed record Command(Guid HouseholdId, Guid GoalId, Guid ActionId, DateOnly? DoneOn) : ICommand<PlanAction>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time) => RuleFor(c => c.DoneOn)
            .Must(d => d is null || (d <= PlanReader.Today(time) && d.Value.Year >= 2000))
            .WithMessage("Een actie kan niet in de toekomst gedaan zijn.");
    }

    internal const string CompleteSql = """
        UPDATE plan_actions SET done_on = @doneOn
        WHERE id = @actionId AND goal_id = @goalId AND household_id = @householdId AND done_on IS NULL
        """;

    internal const string FindSql = """
        SELECT a.id, a.goal_id, a.description, a.owner_kind, a.owner_organisation_id, o.name AS owner_organisation_name,
               a.due_on, a.done_on, a.created_at
        FROM plan_actions a
        LEFT JOIN organisations o ON o.id = a.owner_organisation_id
        WHERE a.id = @actionId AND a.goal_id = @goalId AND a.household_id = @householdId
        """;

    internal const string TouchPlanSql = "UPDATE family_plans SET updated_at = @now WHERE household_id = @householdId";

    internal sealed class Handler(DbSession db, PlanAccess access, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, PlanAction>
    {
        public async ValueTask<PlanAction> Handle(Command command, CancellationToken ct)
        {
            var household = await access.ChangeAsync(command.HouseholdId, ct);
            var ids = new { command.ActionId, command.GoalId, householdId = household.Id };
            var current = await db.QuerySingleOrDefaultAsync<PlanReader.ActionRow>(FindSql, ids, ct)
                          ?? throw ProblemException.NotFound("Deze actie");
            if (current.DoneOn is { } done)
            {
                throw ProblemException.Conflict($"Deze actie is al gedaan op {done:yyyy-MM-dd}.");
            }
            var doneOn = command.DoneOn ?? PlanReader.Today(time);
            await db.ExecuteAsync(CompleteSql, new { ids.ActionId, ids.GoalId, ids.householdId, doneOn }, ct);
            await db.ExecuteAsync(TouchPlanSql, new { householdId = household.Id, now = time.GetUtcNow() }, ct);
            await log.WriteAsync("update", "plan-action", current.Id, household.Id, ct);
            return (current with { DoneOn = doneOn }).ToAction();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/plan/goals/{goalId:guid}/actions/{actionId:guid}/done",
            async (Guid id, Guid goalId, Guid actionId, Body? body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Command(id, goalId, actionId, body?.DoneOn), ct)))
        .RequireAuthorization(Policies.Coach)
        .WithName("completePlanAction")
        .WithSummary("Actie gedaan: vandaag of op de opgegeven datum (doneOn, niet in de toekomst)")
        .WithTags("Gezinsplan");
}
