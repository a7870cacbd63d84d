using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// Assigns or hands over the coach of a household: the old assignment ends and the new one starts in one transaction.
/// A team lead may assign any household of the team; a coach may only hand over their own household. 409 when the
/// new coach is not in the household's team or has a full caseload.
/// </summary>
public static class AssignCoach
{
    public sealed record Body(Guid? CoachId, string? Reason);

    public sealed record Command(Guid HouseholdId, Guid? CoachId, string? Reason) : ICommand<Result>;

    public sealed record Result(Guid HouseholdId, string Status, CoachRef Coach, string Reason);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CoachId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.Reason).NotEmpty().MaximumLength(1000);
        }
    }

    internal sealed class Handler(HouseholdAccess access, CoachAssigner assigner, CurrentUser user)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct);
            if (user.IsInRole(Roles.Coach) && household.CoachId != user.Id)
            {
                throw ProblemException.Forbidden(
                    "Een coach kan alleen een eigen huishouden overdragen; vraag de teamleider om deze toewijzing.");
            }
            var coach = await assigner.AssignAsync(household, command.CoachId!.Value, command.Reason!.Trim(), ct);
            var status = household.Status == HouseholdStatus.Registered ? HouseholdStatus.Active : household.Status;
            return new Result(household.Id, status, coach, command.Reason.Trim());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPut("/households/{id:guid}/coach", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.CoachId, body.Reason), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("assignCoach")
        .WithSummary("Coach toewijzen of overdragen (teamleider: elk huishouden van het team; coach: alleen het eigen)")
        .WithTags("Huishoudens");
}
