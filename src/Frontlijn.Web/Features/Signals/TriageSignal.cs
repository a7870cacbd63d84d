using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// A team lead handles a signal from the queue: <c>POST /signals/{id}/triage {householdId?, coachId?, neighbourhoodId?, reason?}</c>.
/// <list type="bullet">
/// <item>With <c>householdId</c> (or when the signal already matched a household): that household of the team.</item>
/// <item>Without: a new household is registered from the signal's address and persons; <c>neighbourhoodId</c> is needed
/// only when no neighbourhood of the team covers the postal code. An open household at that address is never
/// duplicated (409).</item>
/// <item><c>coachId</c>: assigns (or hands over to) that coach. It may be left out when the household already has a
/// coach: the signal then simply goes to that contact.</item>
/// </list>
/// A signal in the shared queue joins the team of the household it is linked to.
/// </summary>
public static class TriageSignal
{
    public sealed record Body(Guid? HouseholdId, Guid? CoachId, Guid? NeighbourhoodId, string? Reason);

    public sealed record Command(Guid SignalId, Guid? HouseholdId, Guid? CoachId, Guid? NeighbourhoodId, string? Reason)
        : ICommand<Result>;

    public sealed record Result(Guid SignalId, string Status, Guid HouseholdId, bool NewHousehold, CoachRef Coach);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.HouseholdId).NotEqual(Guid.Empty);
            RuleFor(c => c.CoachId).NotEqual(Guid.Empty);
            RuleFor(c => c.NeighbourhoodId).NotEqual(Guid.Empty);
            RuleFor(c => c.Reason).MaximumLength(1000);
        }
    }

    internal const string SignalSql = """
        SELECT id, status, team_id, household_id, street, house_number, house_number_suffix, postal_code, city
        FROM signals WHERE id = @id
        """;

    // A shared-queue signal is the business of the team leads of its municipality only (see ListSignals).
    internal const string SharedSignalOfTeamSql = "SELECT COUNT(*) FROM signals s WHERE s.id = @id AND " + ListSignals.SharedQueueOfTeam;

    // Claims the signal: a second, concurrent triage finds it no longer untriaged.
    internal const string ClaimSql = """
        UPDATE signals SET status = @triaged, triaged_by = @triagedBy, triaged_at = @now
        WHERE id = @id AND status = @untriaged
        """;

    internal const string LinkSql = """
        UPDATE signals SET household_id = @householdId, team_id = @teamId, coach_id = @coachId WHERE id = @id
        """;

    // The household lives in a neighbourhood of this team but still belongs to another: it moved here.
    internal const string MovedIntoTeamSql = """
        SELECT COUNT(*) FROM households h
        JOIN team_neighbourhoods tn ON tn.neighbourhood_id = h.neighbourhood_id AND tn.team_id = @teamId
        WHERE h.id = @id AND h.team_id <> @teamId AND h.status <> 'closed'
        """;

    internal const string HandOverSql = "UPDATE households SET team_id = @teamId WHERE id = @id";

    internal const string MembersSql = """
        SELECT given_name, family_name, date_of_birth, role, bsn_hash, bsn_last4
        FROM signal_members WHERE signal_id = @id ORDER BY sort_order
        """;

    internal const string TeamNeighbourhoodByPc4Sql = """
        SELECT tn.neighbourhood_id
        FROM team_neighbourhoods tn
        JOIN neighbourhood_postal_codes p ON p.neighbourhood_id = tn.neighbourhood_id
        WHERE tn.team_id = @teamId AND p.postal_code = @pc4
        ORDER BY tn.neighbourhood_id
        """;

    internal sealed record SignalRow
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public Guid? TeamId { get; init; }
        public Guid? HouseholdId { get; init; }
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
    }

    internal sealed record MemberRow
    {
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public string? Role { get; init; }
        public string? BsnHash { get; init; }
        public string? BsnLast4 { get; init; }
    }

    internal sealed record NeighbourhoodRow
    {
        public Guid NeighbourhoodId { get; init; }
    }

    internal sealed class Handler(
        DbSession db, CurrentUser user, TimeProvider time, HouseholdAccess access, CoachAssigner assigner,
        Notifier notifier, AccessLogWriter log) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var teamId = user.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team; u triageert geen signalen.");
            var signal = await db.QuerySingleOrDefaultAsync<SignalRow>(SignalSql, new { id = command.SignalId }, ct);
            if (signal is null || (signal.TeamId is not null && signal.TeamId != teamId) ||
                (signal.TeamId is null && await db.ExecuteScalarAsync<int>(SharedSignalOfTeamSql, new { id = signal.Id, teamId }, ct) == 0))
            {
                if (signal?.HouseholdId is { } about)
                {
                    await log.WriteAsync("update", "signal", signal.Id, about, ct, AccessLogWriter.Denied);
                }
                throw ProblemException.NotFound("Dit signaal");
            }
            var now = time.GetUtcNow();
            if (await db.ExecuteAsync(ClaimSql, new
                {
                    id = signal.Id, triaged = SignalStatus.Triaged, untriaged = SignalStatus.Untriaged, triagedBy = user.Id, now,
                }, ct) == 0)
            {
                throw ProblemException.Conflict("Dit signaal is al afgehandeld.");
            }

            var newHousehold = false;
            HouseholdRow household;
            if ((command.HouseholdId ?? signal.HouseholdId) is { } householdId)
            {
                if (householdId == signal.HouseholdId && signal.TeamId == teamId &&
                    await db.ExecuteScalarAsync<int>(MovedIntoTeamSql, new { id = householdId, teamId }, ct) == 1)
                {
                    // A household that moved into this team's area (PATCH /households/{id}): this triage hands it over.
                    // Its former coach stayed the contact until now; the receiving team names its own.
                    if (command.CoachId is null)
                    {
                        throw new ValidationException([new("coachId",
                            "Dit huishouden is naar uw wijk verhuisd: kies een coach van uw team, die de huidige coach opvolgt.")]);
                    }
                    await db.ExecuteAsync(HandOverSql, new { id = householdId, teamId }, ct);
                    await HouseholdSummary.RefreshAsync(db, householdId, ct);
                }
                household = await access.LockForChangeAsync(householdId, ct);
                if (household.Status == HouseholdStatus.Closed)
                {
                    throw ProblemException.Conflict("Dit huishouden is afgesloten; registreer een nieuw huishouden vanuit het signaal.");
                }
            }
            else
            {
                household = await RegisterFromSignalAsync(signal, teamId, command.NeighbourhoodId, ct);
                newHousehold = true;
            }

            CoachRef coach;
            if (household.Coach is { } current && (command.CoachId is null || command.CoachId == current.Id))
            {
                coach = current;
            }
            else
            {
                var coachId = command.CoachId ?? throw new ValidationException(
                    [new("coachId", "Dit huishouden heeft nog geen coach: kies er een.")]);
                coach = await assigner.AssignAsync(household, coachId, command.Reason?.Trim() is { Length: > 0 } reason
                    ? reason
                    : "Toegewezen bij triage van een signaal", ct);
            }

            await db.ExecuteAsync(LinkSql, new { id = signal.Id, householdId = household.Id, teamId = household.TeamId, coachId = coach.Id }, ct);
            await log.WriteAsync("update", "signal", signal.Id, household.Id, ct);
            await notifier.NotifyAsync([coach.Id], NotificationTypes.SignalRouted,
                "Een signaal is via triage bij u als contactpersoon terechtgekomen.", household.Id, null, ct);
            return new Result(signal.Id, SignalStatus.Triaged, household.Id, newHousehold, coach);
        }

        private async Task<HouseholdRow> RegisterFromSignalAsync(SignalRow signal, Guid teamId, Guid? neighbourhoodId, CancellationToken ct)
        {
            if (neighbourhoodId is { } given)
            {
                if (await db.ExecuteScalarAsync<int>(RegisterHousehold.NeighbourhoodOfTeamSql, new { teamId, neighbourhoodId = given }, ct) == 0)
                {
                    throw new ValidationException([new("neighbourhoodId", "Deze wijk hoort niet bij uw team.")]);
                }
            }
            else
            {
                neighbourhoodId = (await db.QueryAsync<NeighbourhoodRow>(TeamNeighbourhoodByPc4Sql,
                        new { teamId, pc4 = PostalCodes.Pc4(signal.PostalCode) }, ct))
                    .Select(r => (Guid?)r.NeighbourhoodId).FirstOrDefault()
                    ?? throw new ValidationException([new("neighbourhoodId",
                        "De postcode valt in geen wijk van uw team: geef de wijk op.")]);
            }
            var members = (await db.QueryAsync<MemberRow>(MembersSql, new { id = signal.Id }, ct))
                .Select(m => new RegisterHousehold.NewMember(m.GivenName, m.FamilyName, m.DateOfBirth, m.Role ?? "other",
                    m.BsnHash, m.BsnLast4)).ToList();
            var household = await RegisterHousehold.InsertAsync(db, user, time, new RegisterHousehold.NewHousehold(
                neighbourhoodId.Value, teamId, signal.Street, signal.HouseNumber, signal.HouseNumberSuffix, signal.PostalCode,
                signal.City, members), ct);
            await log.WriteAsync("create", "household", household.Id, household.Id, ct);
            return household;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/signals/{id:guid}/triage", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.HouseholdId, body.CoachId, body.NeighbourhoodId, body.Reason), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .WithName("triageSignal")
        .WithSummary("Signaal afhandelen: koppelen aan een (nieuw) huishouden en een coach toewijzen")
        .WithTags("Signalen");
}
