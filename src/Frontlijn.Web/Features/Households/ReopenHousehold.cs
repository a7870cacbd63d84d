using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// The team lead reopens a closed household (the family comes back). It returns to <c>registered</c>, in the team's
/// triage, without a coach: the team lead then assigns one (PUT /coach), which makes it <c>active</c>. That keeps the
/// invariant "an active household always has exactly one coach" without a second way to assign, and the team lead
/// decides afresh who fits now — the former coach is one click away in the coach history. Nothing is rewritten: the
/// coach history, the withdrawn requests, the ended involvements and the earlier closure (in
/// household_status_changes) all stay as they were.
/// </summary>
public static class ReopenHousehold
{
    public sealed record Body(string? Reason);

    public sealed record Command(Guid HouseholdId, string? Reason) : ICommand<HouseholdDetail>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(1000)
            .WithMessage("Geef een reden voor het heropenen (hoogstens 1000 tekens).");
    }

    internal const string ReopenSql = """
        UPDATE households SET status = 'registered', closed_at = NULL, closure_reason = NULL
        WHERE id = @id AND status = 'closed'
        """;

    internal sealed class Handler(DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, HouseholdDetail>
    {
        public async ValueTask<HouseholdDetail> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct);
            if (household.Status != HouseholdStatus.Closed)
            {
                throw ProblemException.Conflict("Alleen een afgesloten huishouden kan worden heropend.");
            }
            // One open household per address: a family registered at this address since the closure comes first.
            var other = await db.QuerySingleOrDefaultAsync<Guid?>(OpenAtAddressSql, new
            {
                household.PostalCode, household.HouseNumber, household.HouseNumberSuffix,
            }, ct);
            if (other is not null)
            {
                throw ProblemException.Conflict("Op dit adres staat inmiddels een ander huishouden geregistreerd; heropenen kan niet.");
            }
            await db.ExecuteAsync(ReopenSql, new { id = household.Id }, ct);
            var reason = command.Reason!.Trim();
            await HouseholdStatusHistory.AddAsync(db, household.Id, HouseholdStatus.Closed, HouseholdStatus.Registered, reason,
                user.Id, time.GetUtcNow(), ct);
            await log.WriteAsync("reopen", "household", household.Id, household.Id, ct);
            await HouseholdSummary.RefreshAsync(db, household.Id, ct);
            return await GetHousehold.DetailAsync(db, household with
            {
                Status = HouseholdStatus.Registered, ClosureReason = null, ClosedAt = null,
            }, ct);
        }
    }

    internal const string OpenAtAddressSql = """
        SELECT id FROM households
        WHERE closed_at IS NULL AND postal_code = @postalCode AND house_number = @houseNumber
          AND house_number_suffix = @houseNumberSuffix
        """;

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/reopening", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.Reason), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .WithName("reopenHousehold")
        .WithSummary("Afgesloten huishouden heropenen (teamleider): terug naar registered, de teamleider wijst een coach toe")
        .WithTags("Huishoudens");
}

/// <summary>The household's own status history (closure steps, reopening): appended, never rewritten.</summary>
internal static class HouseholdStatusHistory
{
    internal const string InsertSql = """
        INSERT INTO household_status_changes (id, household_id, from_status, to_status, reason, changed_by, changed_at)
        VALUES (@id, @householdId, @fromStatus, @toStatus, @reason, @changedBy, @now)
        """;

    public static Task AddAsync(DbSession db, Guid householdId, string fromStatus, string toStatus, string reason, Guid changedBy,
        DateTimeOffset now, CancellationToken ct) =>
        db.ExecuteAsync(InsertSql, new { id = Guid.CreateVersion7(now), householdId, fromStatus, toStatus, reason, changedBy, now }, ct);
}
