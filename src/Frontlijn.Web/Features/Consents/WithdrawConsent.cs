using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Consents;

/// <summary>
/// The household withdraws a consent (recorded by the coach). The row stays, with the day of withdrawal: requests sent
/// under it remain explainable, new ones need a new consent or a legal basis.
/// </summary>
public static class WithdrawConsent
{
    public sealed record Command(Guid HouseholdId, Guid ConsentId) : ICommand<Consent>;

    internal const string WithdrawSql = """
        UPDATE consents SET withdrawn_on = @today, withdrawn_by = @userId
        WHERE id = @consentId AND household_id = @householdId AND withdrawn_on IS NULL
        """;

    internal const string FindSql = "SELECT " + ConsentRow.Columns + """

        FROM consents
        WHERE id = @consentId AND household_id = @householdId
        """;

    private static readonly System.Globalization.CultureInfo DutchDates = new("nl-NL");

    internal sealed class Handler(DbSession db, CurrentUser user, HouseholdAccess households, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, Consent>
    {
        public async ValueTask<Consent> Handle(Command command, CancellationToken ct)
        {
            await ConsentAccess.HouseholdForOwnCoachAsync(households, command.HouseholdId, "withdraw", ct);
            var now = time.GetUtcNow();
            var changed = await db.ExecuteAsync(WithdrawSql, new
            {
                today = WorkingDays.LocalDate(now), userId = user.Id, command.ConsentId, command.HouseholdId,
            }, ct);
            var row = await db.QuerySingleOrDefaultAsync<ConsentRow>(FindSql, new { command.ConsentId, command.HouseholdId }, ct)
                      ?? throw ProblemException.NotFound("Deze toestemming");
            if (changed == 0)
            {
                // A date as people write it: the message is shown on the web form as it is.
                throw ProblemException.Conflict(
                    $"Deze toestemming is al ingetrokken op {row.WithdrawnOn!.Value.ToString("d MMMM yyyy", DutchDates)}.");
            }
            await log.WriteAsync("withdraw", "consent", row.Id, row.HouseholdId, ct);
            return row.ToConsent(now);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapDelete("/households/{id:guid}/consents/{consentId:guid}", async (Guid id, Guid consentId, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, consentId), ct)))
        .RequireAuthorization(Policies.Coach)
        .WithName("withdrawConsent")
        .WithSummary("Toestemming intrekken (coach); de toestemming blijft zichtbaar met de datum van intrekking")
        .WithTags("Toestemmingen");
}
