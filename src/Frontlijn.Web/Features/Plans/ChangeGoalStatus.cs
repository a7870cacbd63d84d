using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

/// <summary>
/// A goal is achieved or dropped (closed on today, in Amsterdam), or reopened (closed_on cleared). The outcome report
/// counts achieved goals, so a goal carries its latest status only; the access log keeps who changed it when.
/// </summary>
public static class ChangeGoalStatus
{
    public sealed record Body(string? Status);

    public sealed record Command(Guid HouseholdId, Guid GoalId, string? Status) : ICommand<PlanGoal>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Status).NotEmpty().Must(s => s is null || GoalStatus.All.Contains(s))
            .WithMessage("Status is open, achieved of dropped.");
    }

    internal const string UpdateSql = """
        UPDATE plan_goals SET status = @status, closed_on = @closedOn
        WHERE id = @goalId AND household_id = @householdId AND status <> @status
        """;

    internal const string TouchPlanSql = "UPDATE family_plans SET updated_at = @now WHERE household_id = @householdId";

    internal sealed class Handler(DbSession db, PlanAccess access, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, PlanGoal>
    {
        public async ValueTask<PlanGoal> Handle(Command command, CancellationToken ct)
        {
            var household = await access.ChangeAsync(command.HouseholdId, ct);
            var current = await PlanReader.GoalAsync(db, household.Id, command.GoalId, ct);
            if (current.Status == command.Status)
            {
                throw ProblemException.Conflict($"Dit doel heeft al de status {command.Status}.");
            }
            var now = time.GetUtcNow();
            DateOnly? closedOn = command.Status == GoalStatus.Open ? null : PlanReader.Today(time);
            await db.ExecuteAsync(UpdateSql, new { command.GoalId, householdId = household.Id, command.Status, closedOn }, ct);
            await db.ExecuteAsync(TouchPlanSql, new { householdId = household.Id, now }, ct);
            await log.WriteAsync("update", "plan-goal", command.GoalId, household.Id, ct);
            return current with { Status = command.Status!, ClosedOn = closedOn };
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/plan/goals/{goalId:guid}/status",
            async (Guid id, Guid goalId, Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Command(id, goalId, body.Status), ct)))
        .RequireAuthorization(Policies.Coach)
        .WithName("changePlanGoalStatus")
        .WithSummary("Doel behaald (achieved), laten vallen (dropped) of heropend (open); zet de datum van afsluiten")
        .WithTags("Gezinsplan");
}
