using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// The team lead signs off a household's outcome report (who, when, optionally a note). A household in care cannot be
/// signed off before its closing phase: the outcome is not known yet.
/// </summary>
public static class SignOffOutcome
{
    public sealed record Body(string? Note);

    public sealed record Command(Guid HouseholdId, string? Note) : ICommand<HouseholdOutcome.Report>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Note).MaximumLength(2000);
    }

    internal const string InsertSql = """
        INSERT INTO outcome_signoffs (id, household_id, signed_by, signed_at, note)
        VALUES (@id, @householdId, @signedBy, @now, @note)
        """;

    internal sealed class Handler(
        DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, HouseholdOutcome.Builder builder, TimeProvider time)
        : ICommandHandler<Command, HouseholdOutcome.Report>
    {
        public async ValueTask<HouseholdOutcome.Report> Handle(Command command, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.TeamLead)) throw ProblemException.NotFound("Dit huishouden");
            var household = await access.LockForChangeAsync(command.HouseholdId, ct);
            if (household.Status is not (HouseholdStatus.Closing or HouseholdStatus.Closed))
            {
                throw ProblemException.Conflict("Een uitkomstrapport wordt afgetekend in de afsluitfase of na afsluiting van het huishouden.");
            }
            var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
            await db.ExecuteAsync(InsertSql, new
            {
                id = Guid.CreateVersion7(), command.HouseholdId, signedBy = user.Id, now = time.GetUtcNow(), note,
            }, ct);
            await log.WriteAsync("sign-off", "report-household-outcome", command.HouseholdId, command.HouseholdId, ct);
            return await builder.BuildAsync(household, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/reports/household-outcomes/{householdId:guid}/sign-off",
            async (Guid householdId, Body? body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Command(householdId, body?.Note), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .WithName("signOffHouseholdOutcome")
        .WithSummary("Uitkomstrapport van een huishouden aftekenen (teamleider)")
        .WithTags("Rapportages");
}
