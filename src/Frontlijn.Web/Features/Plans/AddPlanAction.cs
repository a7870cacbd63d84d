using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

/// <summary>
/// An action towards an open goal, owned by the coach or by an organisation (a back office or provider that has agreed
/// to do it), due on a day.
/// </summary>
public static class AddPlanAction
{
    public sealed record OwnerInput(string? Kind, Guid? OrganisationId);

    public sealed record Body(string? Description, OwnerInput? Owner, DateOnly? DueOn);

    public sealed record Command(Guid HouseholdId, Guid GoalId, string? Description, OwnerInput? Owner, DateOnly? DueOn)
        : ICommand<PlanAction>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.Description).NotEmpty().MaximumLength(1000);
            RuleFor(c => c.Owner).NotNull();
            RuleFor(c => c.Owner!.Kind).NotEmpty().Must(k => k is null || ActionOwnerKind.All.Contains(k))
                .WithMessage("De eigenaar is coach of organisation.").When(c => c.Owner is not null);
            RuleFor(c => c.Owner!.OrganisationId).NotNull().NotEqual(Guid.Empty)
                .WithMessage("Een actie van een organisatie noemt die organisatie.")
                .When(c => c.Owner?.Kind == ActionOwnerKind.Organisation);
            RuleFor(c => c.Owner!.OrganisationId).Null()
                .WithMessage("Een actie van de coach noemt geen organisatie.")
                .When(c => c.Owner?.Kind == ActionOwnerKind.Coach);
            // A plan looks ahead: an action is due today or later (a past action is recorded as done instead).
            RuleFor(c => c.DueOn).NotNull()
                .Must(d => d is null || (d >= PlanReader.Today(time) && d <= PlanReader.Today(time).AddYears(5)))
                .WithMessage("De uiterste datum ligt tussen vandaag en over vijf jaar.");
        }
    }

    internal const string InsertSql = """
        INSERT INTO plan_actions (id, goal_id, household_id, description, owner_kind, owner_organisation_id, due_on, done_on,
                                  created_by, created_at)
        VALUES (@id, @goalId, @householdId, @description, @ownerKind, @ownerOrganisationId, @dueOn, NULL, @createdBy, @now)
        """;

    internal const string TouchPlanSql = "UPDATE family_plans SET updated_at = @now WHERE household_id = @householdId";

    internal const string OrganisationNameSql = "SELECT name FROM organisations WHERE id = @organisationId";

    internal sealed class Handler(DbSession db, PlanAccess access, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, PlanAction>
    {
        public async ValueTask<PlanAction> Handle(Command command, CancellationToken ct)
        {
            var household = await access.ChangeAsync(command.HouseholdId, ct);
            var goal = await PlanReader.GoalAsync(db, household.Id, command.GoalId, ct);
            if (goal.Status != GoalStatus.Open)
            {
                throw ProblemException.Conflict("Dit doel is afgesloten; heropen het eerst om er een actie aan toe te voegen.");
            }
            var organisationId = command.Owner!.OrganisationId;
            string? organisationName = null;
            if (organisationId is not null)
            {
                organisationName = await db.QuerySingleOrDefaultAsync<string>(OrganisationNameSql, new { organisationId }, ct)
                    ?? throw new ValidationException([new("owner.organisationId", "Deze organisatie bestaat niet.")]);
            }
            var now = time.GetUtcNow();
            var action = new PlanAction(Guid.CreateVersion7(now), goal.Id, command.Description!.Trim(),
                new PlanActionOwner(command.Owner.Kind!, organisationId, organisationName), command.DueOn!.Value, null, now);
            await db.ExecuteAsync(InsertSql, new
            {
                action.Id, action.GoalId, householdId = household.Id, action.Description, ownerKind = action.Owner.Kind,
                ownerOrganisationId = organisationId, action.DueOn, createdBy = user.Id, now,
            }, ct);
            await db.ExecuteAsync(TouchPlanSql, new { householdId = household.Id, now }, ct);
            await log.WriteAsync("create", "plan-action", action.Id, household.Id, ct);
            return action;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/plan/goals/{goalId:guid}/actions",
            async (Guid id, Guid goalId, Body body, IMediator mediator, CancellationToken ct) =>
            {
                var action = await mediator.Send(new Command(id, goalId, body.Description, body.Owner, body.DueOn), ct);
                return TypedResults.Created($"/api/v1/households/{id}/plan/goals/{goalId}/actions/{action.Id}", action);
            })
        .RequireAuthorization(Policies.Coach)
        .WithName("addPlanAction")
        .WithSummary("Actie bij een open doel: omschrijving, eigenaar (coach of organisatie) en uiterste datum")
        .WithTags("Gezinsplan");
}
