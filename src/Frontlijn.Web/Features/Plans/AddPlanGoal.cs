using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

/// <summary>
/// The coach adds a goal in one life domain. The first goal brings the plan into being, with its first review date
/// <c>Plans:ReviewIntervalMonths</c> (default 6) months from today.
/// </summary>
public static class AddPlanGoal
{
    public sealed record Body(string? Domain, string? Description);

    public sealed record Command(Guid HouseholdId, string? Domain, string? Description) : ICommand<PlanGoal>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Domain).NotEmpty().Must(Zrm.IsDomain).WithMessage(Zrm.DomainMessage);
            RuleFor(c => c.Description).NotEmpty().MaximumLength(1000);
        }
    }

    internal const string PlanExistsSql = "SELECT COUNT(*) FROM family_plans WHERE household_id = @householdId";

    internal const string InsertPlanSql = """
        INSERT INTO family_plans (household_id, review_on, last_reviewed_at, reminded_for_review, created_at, updated_at)
        VALUES (@householdId, @reviewOn, NULL, NULL, @now, @now)
        """;

    internal const string TouchPlanSql = "UPDATE family_plans SET updated_at = @now WHERE household_id = @householdId";

    internal const string InsertGoalSql = """
        INSERT INTO plan_goals (id, household_id, domain, description, status, created_by, created_at, closed_on)
        VALUES (@id, @householdId, @domain, @description, @status, @createdBy, @now, NULL)
        """;

    internal sealed class Handler(DbSession db, PlanAccess access, CurrentUser user, AccessLogWriter log, PlanSettings settings, TimeProvider time)
        : ICommandHandler<Command, PlanGoal>
    {
        public async ValueTask<PlanGoal> Handle(Command command, CancellationToken ct)
        {
            // The household's row lock is held from here on: two first goals at once still make one plan.
            var household = await access.ChangeAsync(command.HouseholdId, ct);
            var now = time.GetUtcNow();
            var householdId = household.Id;
            if (await db.ExecuteScalarAsync<int>(PlanExistsSql, new { householdId }, ct) == 0)
            {
                var reviewOn = PlanReader.Today(time).AddMonths(settings.ReviewIntervalMonths);
                await db.ExecuteAsync(InsertPlanSql, new { householdId, reviewOn, now }, ct);
                await log.WriteAsync("create", "family-plan", householdId, householdId, ct);
            }
            else
            {
                await db.ExecuteAsync(TouchPlanSql, new { householdId, now }, ct);
            }
            var goal = new PlanGoal(Guid.CreateVersion7(now), command.Domain!, command.Description!.Trim(), GoalStatus.Open, now, null, []);
            await db.ExecuteAsync(InsertGoalSql, new
            {
                goal.Id, householdId, goal.Domain, goal.Description, goal.Status, createdBy = user.Id, now,
            }, ct);
            await log.WriteAsync("create", "plan-goal", goal.Id, householdId, ct);
            return goal;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/plan/goals", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var goal = await mediator.Send(new Command(id, body.Domain, body.Description), ct);
            return TypedResults.Created($"/api/v1/households/{id}/plan/goals/{goal.Id}", goal);
        })
        .RequireAuthorization(Policies.Coach)
        .WithName("addPlanGoal")
        .WithSummary("Doel toevoegen aan het gezinsplan (coach van het huishouden); het eerste doel maakt het plan aan")
        .WithTags("Gezinsplan");
}
