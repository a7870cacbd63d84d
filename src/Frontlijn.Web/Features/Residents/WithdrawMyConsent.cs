using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// <c>DELETE /api/v1/me/consents/{consentId}</c>: the resident withdraws a consent they gave (AVG art. 7(3): as easy as
/// giving it). Like the coach's withdrawal the row stays, with the day and who withdrew it; the coach is notified at
/// once (SignalR), because requests need a new consent or a legal basis from now on. A consent of another household is
/// 404; one another member gave is 403 (it is theirs to withdraw); one already withdrawn is 409.
/// </summary>
public static class WithdrawMyConsent
{
    public sealed record Command(Guid ConsentId) : ICommand<GetMyHousehold.MyConsent>;

    internal const string FindSql = """
        SELECT c.id, c.household_id, c.given_by_member_id, c.withdrawn_on
        FROM consents c
        WHERE c.id = @consentId
        """;

    internal const string WithdrawSql = """
        UPDATE consents SET withdrawn_on = @today, withdrawn_by_member_id = @memberId
        WHERE id = @consentId AND household_id = @householdId AND given_by_member_id = @memberId AND withdrawn_on IS NULL
        """;

    internal const string ReadSql = """
        SELECT c.id, o.name AS organisation_name, c.purpose, COALESCE(s.name, c.purpose) AS purpose_name,
               m.given_name, m.family_name, c.given_by_member_id, c.given_on, c.valid_until, c.withdrawn_on
        FROM consents c
        JOIN organisations o ON o.id = c.organisation_id
        JOIN household_members m ON m.id = c.given_by_member_id
        LEFT JOIN organisation_services s ON s.organisation_id = c.organisation_id AND s.code = c.purpose
        WHERE c.id = @consentId
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid HouseholdId { get; init; }
        public Guid GivenByMemberId { get; init; }
        public DateOnly? WithdrawnOn { get; init; }
    }

    internal sealed class Handler(DbSession db, ResidentScope resident, AccessLogWriter log, Notifier notifier, TimeProvider time)
        : ICommandHandler<Command, GetMyHousehold.MyConsent>
    {
        public async ValueTask<GetMyHousehold.MyConsent> Handle(Command command, CancellationToken ct)
        {
            var householdId = resident.HouseholdId;
            var memberId = resident.MemberId;
            await HouseholdCoach.LockAsync(db, householdId, ct);
            var row = await db.QuerySingleOrDefaultAsync<Row>(FindSql, new { command.ConsentId }, ct);
            if (row is null || row.HouseholdId != householdId)
            {
                // Another household's consent: not even its existence is told, but the attempt is logged for that household.
                if (row is not null) await log.WriteAsync("withdraw", "consent", row.Id, row.HouseholdId, ct, AccessLogWriter.Denied);
                throw ProblemException.NotFound("Deze toestemming");
            }
            if (row.GivenByMemberId != memberId)
            {
                await log.WriteAsync("withdraw", "consent", row.Id, householdId, ct, AccessLogWriter.Denied);
                throw ProblemException.Forbidden(
                    "Deze toestemming is gegeven door een ander lid van uw huishouden. Alleen die persoon kan haar intrekken.");
            }
            if (row.WithdrawnOn is { } withdrawn)
            {
                throw ProblemException.Conflict($"U hebt deze toestemming al ingetrokken op {withdrawn:dd-MM-yyyy}.");
            }
            var now = time.GetUtcNow();
            await db.ExecuteAsync(WithdrawSql, new { today = WorkingDays.LocalDate(now), memberId, command.ConsentId, householdId }, ct);
            await log.WriteAsync("withdraw", "consent", row.Id, householdId, ct);
            await notifier.NotifyAsync(await HouseholdCoach.RecipientsAsync(db, householdId, ct), ResidentNotificationTypes.ConsentWithdrawn,
                "Het huishouden heeft een toestemming ingetrokken", householdId, null, ct);
            var read = (await db.QuerySingleOrDefaultAsync<GetMyHousehold.ConsentRow>(ReadSql, new { command.ConsentId }, ct))!;
            var today = WorkingDays.LocalDate(now);
            return new GetMyHousehold.MyConsent(read.Id, read.OrganisationName, read.Purpose, read.PurposeName,
                GetMyHousehold.Name(read.GivenName, read.FamilyName), read.GivenOn, read.ValidUntil, read.WithdrawnOn,
                read.WithdrawnOn is null && read.GivenOn <= today && read.ValidUntil >= today, true);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapDelete("/me/consents/{consentId:guid}", async (Guid consentId, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(consentId), ct)))
        .RequireAuthorization(Policies.Resident)
        .WithName("withdrawMyConsent")
        .WithSummary("Een toestemming intrekken die ik gaf (bewoner); mijn coach krijgt direct bericht")
        .WithTags(ResidentsEndpoints.Tag);
}
