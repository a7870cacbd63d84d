using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

/// <summary>
/// The coach records that the plan was reviewed with the household now, and when it is reviewed next: the date given,
/// else <c>Plans:ReviewIntervalMonths</c> (default 6) months from today. A new review date also means a new reminder:
/// <c>reminded_for_review</c> names the review date it was sent for, so it no longer matches.
/// </summary>
public static class ReviewFamilyPlan
{
    public sealed record Body(DateOnly? NextReviewOn);

    public sealed record Command(Guid HouseholdId, DateOnly? NextReviewOn) : ICommand<FamilyPlan>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time) => RuleFor(c => c.NextReviewOn)
            .Must(d => d is null || (d > PlanReader.Today(time) && d <= PlanReader.Today(time).AddYears(2)))
            .WithMessage("De volgende evaluatie ligt na vandaag en binnen twee jaar.");
    }

    internal const string ReviewSql = """
        UPDATE family_plans SET last_reviewed_at = @now, review_on = @reviewOn, updated_at = @now
        WHERE household_id = @householdId
        """;

    internal sealed class Handler(DbSession db, PlanAccess access, AccessLogWriter log, PlanSettings settings, TimeProvider time)
        : ICommandHandler<Command, FamilyPlan>
    {
        public async ValueTask<FamilyPlan> Handle(Command command, CancellationToken ct)
        {
            var household = await access.ChangeAsync(command.HouseholdId, ct);
            var reviewOn = command.NextReviewOn ?? PlanReader.Today(time).AddMonths(settings.ReviewIntervalMonths);
            if (await db.ExecuteAsync(ReviewSql, new { householdId = household.Id, now = time.GetUtcNow(), reviewOn }, ct) == 0)
            {
                throw ProblemException.Conflict("Dit huishouden heeft nog geen gezinsplan: leg eerst een doel vast.");
            }
            await log.WriteAsync("review", "family-plan", household.Id, household.Id, ct);
            return await PlanReader.PlanAsync(db, household.Id, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/plan/review", async (Guid id, Body? body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body?.NextReviewOn), ct)))
        .RequireAuthorization(Policies.Coach)
        .WithName("reviewFamilyPlan")
        .WithSummary("Evaluatie van het gezinsplan vastleggen (nu) en de volgende plannen (standaard over zes maanden)")
        .WithTags("Gezinsplan");
}
