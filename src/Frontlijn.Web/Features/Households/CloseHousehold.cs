using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

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
/// <para>
/// At closed, nothing keeps running for the household: every open request (sent, acknowledged, suspended) is
/// withdrawn with reason code <c>household-closed</c> through the same code path as a coach's withdrawal (version +1,
/// history, the back office notified, webhook event); every open involvement ends (<c>end_reason =
/// household-closed</c>); and the sweeps (request deadlines, plan reviews) skip closed households, so neither the
/// former coach nor the team lead hears of them again. The afsluitfase (closing) keeps them: the coach still works
/// with the providers while evaluating.
/// </para>
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

    internal const string EndInvolvementsSql = """
        UPDATE involvements SET ended_at = @now, end_reason = 'household-closed' WHERE household_id = @id AND ended_at IS NULL
        """;

    /// <summary>The note on each withdrawn request: fixed text, because the closure reason is not the back office's business.</summary>
    internal const string WithdrawalNote = "Het huishouden is afgesloten.";

    internal sealed class Handler(
        DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, RequestStatusChanger requests, TimeProvider time)
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
                await requests.WithdrawOpenForClosureAsync(household.Id, WithdrawalNote, ct);
                await db.ExecuteAsync(EndInvolvementsSql, new { id = household.Id, now }, ct);
                await db.ExecuteAsync(EndAssignmentSql, new { id = household.Id, now, reason }, ct);
            }
            await HouseholdStatusHistory.AddAsync(db, household.Id, household.Status, next, reason, user.Id, now, ct);
            await log.WriteAsync("close", "household", household.Id, household.Id, ct);
            await HouseholdSummary.RefreshAsync(db, household.Id, ct);
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
