using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// <c>POST /api/v1/me/plan/goals/{goalId}/notes</c> <c>{text}</c> (1Gezin1Plan: the family owns its plan): the resident
/// adds their own note to a goal of their household's plan. The coach sees it on the household page and is notified.
/// A goal of another household is 404. Notes are kept as written (no edit, no delete): the plan's history.
/// </summary>
public static class AddGoalNote
{
    public const int MaxLength = 2000;

    public sealed record Body(string? Text);

    public sealed record Command(Guid GoalId, string? Text) : ICommand<GoalNote>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Text).NotEmpty().WithMessage("Schrijf uw opmerking in het tekstvak.")
                .MaximumLength(MaxLength).WithMessage($"Uw opmerking is te lang: gebruik ten hoogste {MaxLength} tekens.");
        }
    }

    internal const string GoalSql = "SELECT household_id FROM plan_goals WHERE id = @goalId";

    internal const string InsertSql = """
        INSERT INTO plan_goal_notes (id, household_id, goal_id, member_id, text, created_at)
        VALUES (@id, @householdId, @goalId, @memberId, @text, @now)
        """;

    internal const string MemberNameSql = "SELECT given_name, family_name FROM household_members WHERE id = @memberId";

    internal sealed record NameRow
    {
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
    }

    internal sealed class Handler(DbSession db, ResidentScope resident, AccessLogWriter log, Notifier notifier, TimeProvider time)
        : ICommandHandler<Command, GoalNote>
    {
        public async ValueTask<GoalNote> Handle(Command command, CancellationToken ct)
        {
            var householdId = resident.HouseholdId;
            var memberId = resident.MemberId;
            await HouseholdCoach.LockAsync(db, householdId, ct);
            var goalHousehold = await db.QuerySingleOrDefaultAsync<Guid?>(GoalSql, new { command.GoalId }, ct);
            if (goalHousehold != householdId)
            {
                if (goalHousehold is { } other) await log.WriteAsync("create", "plan-goal-note", command.GoalId, other, ct, AccessLogWriter.Denied);
                throw ProblemException.NotFound("Dit doel");
            }
            var id = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var text = command.Text!.Trim();
            await db.ExecuteAsync(InsertSql, new { id, householdId, command.GoalId, memberId, text, now }, ct);
            await log.WriteAsync("create", "plan-goal-note", id, householdId, ct);
            await notifier.NotifyAsync(await HouseholdCoach.RecipientsAsync(db, householdId, ct), ResidentNotificationTypes.GoalNoteAdded,
                "Het huishouden heeft een opmerking bij een doel van het plan geschreven", householdId, null, ct);
            var name = await db.QuerySingleOrDefaultAsync<NameRow>(MemberNameSql, new { memberId }, ct);
            return new GoalNote(id, command.GoalId, text, GetMyHousehold.Name(name?.GivenName, name?.FamilyName ?? ""), now);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/me/plan/goals/{goalId:guid}/notes", async (Guid goalId, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var note = await mediator.Send(new Command(goalId, body.Text), ct);
            return TypedResults.Created($"/api/v1/me/plan/goals/{goalId}/notes/{note.Id}", note);
        })
        .RequireAuthorization(Policies.Resident)
        .WithName("addMyGoalNote")
        .WithSummary("Een eigen opmerking bij een doel van ons gezinsplan schrijven (bewoner)")
        .WithTags(ResidentsEndpoints.Tag);
}
