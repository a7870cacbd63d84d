using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// Closure in two deliberate steps, because closing care is a phase, not a click:
/// <list type="number">
/// <item>active → <c>closing</c> (afsluitfase): the reason is recorded; the coach stays the contact while the closing
/// evaluation and outcome report are done.</item>
/// <item>closing → <c>closed</c>: the same call again; the coach assignment ends, the address is free for a new
/// registration. A registered household that never had a coach closes at once.</item>
/// </list>
/// Allowed for the household's own coach and the team lead of its team.
/// </summary>
public static class CloseHousehold
{
    public sealed record Body(string? Reason);

    public sealed record Command(Guid HouseholdId, string? Reason) : ICommand<HouseholdDetail>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(1000);
    }

    internal const string UpdateSql = """
        UPDATE households SET status = @status, closure_reason = @reason, closed_at = @closedAt WHERE id = @id
        """;

    internal const string EndAssignmentSql = """
        UPDATE coach_assignments SET to_at = @now, end_reason = @reason WHERE household_id = @id AND to_at IS NULL
        """;

    internal sealed class Handler(DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, HouseholdDetail>
    {
        public async ValueTask<HouseholdDetail> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct);
            if (household.Status == HouseholdStatus.Closed)
            {
                // Before the owner check: once closed there is no coach, and "already closed" is the useful answer.
                throw ProblemException.Conflict("Dit huishouden is al afgesloten.");
            }
            if (!user.IsInRole(Roles.TeamLead) && household.CoachId != user.Id)
            {
                throw ProblemException.Forbidden("Alleen de coach van dit huishouden of de teamleider kan het afsluiten.");
            }
            var reason = command.Reason!.Trim();
            var next = household.Status switch
            {
                HouseholdStatus.Active => HouseholdStatus.Closing,
                HouseholdStatus.Closing or HouseholdStatus.Registered => HouseholdStatus.Closed,
                _ => throw ProblemException.Conflict("Dit huishouden is al afgesloten."),
            };
            var now = time.GetUtcNow();
            DateTimeOffset? closedAt = next == HouseholdStatus.Closed ? now : null;
            await db.ExecuteAsync(UpdateSql, new { id = household.Id, status = next, reason, closedAt }, ct);
            if (next == HouseholdStatus.Closed)
            {
                await db.ExecuteAsync(EndAssignmentSql, new { id = household.Id, now, reason }, ct);
            }
            await log.WriteAsync("close", "household", household.Id, household.Id, ct);
            return await GetHousehold.DetailAsync(db, household with
            {
                Status = next, ClosureReason = reason, ClosedAt = closedAt,
                CoachId = next == HouseholdStatus.Closed ? null : household.CoachId,
                CoachDisplayName = next == HouseholdStatus.Closed ? null : household.CoachDisplayName,
            }, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/closure", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.Reason), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("closeHousehold")
        .WithSummary("Afsluiten: actief → closing (afsluitfase); nogmaals → closed (toewijzing eindigt)")
        .WithTags("Huishoudens");
}
