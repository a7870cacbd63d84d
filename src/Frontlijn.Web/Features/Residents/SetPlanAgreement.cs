using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// <c>PUT /api/v1/me/plan/agreement</c> <c>{agrees}</c>: the resident says whether they agree with the family plan
/// (1Gezin1Plan). One answer per resident, replaced by the next (PUT: the resource is "my agreement"); every change is in
/// the access log. A household without a plan yet (no goals) has nothing to agree with: 409.
/// </summary>
public static class SetPlanAgreement
{
    public sealed record Body(bool? Agrees);

    public sealed record Command(bool? Agrees) : ICommand<PlanAgreement>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Agrees).NotNull().WithMessage("Kies of u het eens bent met het plan.");
        }
    }

    internal const string HasGoalsSql = "SELECT COUNT(*) FROM plan_goals WHERE household_id = @householdId";

    internal const string UpdateSql = """
        UPDATE plan_agreements SET agrees = @agrees, recorded_at = @now
        WHERE household_id = @householdId AND member_id = @memberId
        """;

    internal const string InsertSql = """
        INSERT INTO plan_agreements (household_id, member_id, agrees, recorded_at) VALUES (@householdId, @memberId, @agrees, @now)
        """;

    internal sealed class Handler(DbSession db, ResidentScope resident, AccessLogWriter log, Notifier notifier, TimeProvider time)
        : ICommandHandler<Command, PlanAgreement>
    {
        public async ValueTask<PlanAgreement> Handle(Command command, CancellationToken ct)
        {
            var householdId = resident.HouseholdId;
            var memberId = resident.MemberId;
            // Under the household's lock: two answers at once cannot both insert.
            await HouseholdCoach.LockAsync(db, householdId, ct);
            if (await db.ExecuteScalarAsync<int>(HasGoalsSql, new { householdId }, ct) == 0)
            {
                throw ProblemException.Conflict("Er is nog geen gezinsplan om mee in te stemmen. Uw coach maakt het plan samen met u.");
            }
            var now = time.GetUtcNow();
            var agrees = command.Agrees!.Value;
            if (await db.ExecuteAsync(UpdateSql, new { householdId, memberId, agrees, now }, ct) == 0)
            {
                await db.ExecuteAsync(InsertSql, new { householdId, memberId, agrees, now }, ct);
            }
            await log.WriteAsync("update", "plan-agreement", householdId, householdId, ct);
            await notifier.NotifyAsync(await HouseholdCoach.RecipientsAsync(db, householdId, ct), ResidentNotificationTypes.AgreementChanged,
                agrees ? "Het huishouden is het eens met het gezinsplan" : "Het huishouden is het niet eens met het gezinsplan",
                householdId, null, ct);
            return new PlanAgreement(agrees, now);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPut("/me/plan/agreement", async (Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(body.Agrees), ct)))
        .RequireAuthorization(Policies.Resident)
        .WithName("setMyPlanAgreement")
        .WithSummary("Zeggen of ik het eens ben met ons gezinsplan (bewoner)")
        .WithTags(ResidentsEndpoints.Tag);
}
