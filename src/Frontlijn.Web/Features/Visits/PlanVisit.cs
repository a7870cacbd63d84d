using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Visits;

/// <summary>
/// A coach or team lead plans a visit at an address. The team is the one whose neighbourhood covers the PC4 (the same
/// query a signal's triage uses), else the planner's own team. The one open household at the address, if any, is
/// remembered only to access-log every later read and change against it; it is never shown (no oracle).
/// </summary>
public static class PlanVisit
{
    public sealed record Command(AddressInput? Address, DateOnly? PlannedOn, string? Reason) : ICommand<Visit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.Address).NotNull().WithMessage("Het adres (address) is verplicht.").SetValidator(new AddressValidator()!);
            RuleFor(c => c.PlannedOn).NotNull().WithMessage("De datum van het bezoek (plannedOn) is verplicht.")
                .Must(d => d is null || Math.Abs(d.Value.DayNumber - WorkingDays.LocalDate(time.GetUtcNow()).DayNumber) <= 366)
                .WithMessage("De datum van het bezoek (plannedOn) ligt hoogstens een jaar van vandaag.");
            RuleFor(c => c.Reason).NotEmpty().WithMessage("De reden van het bezoek (reason) is verplicht.")
                .MaximumLength(2000).WithMessage("De reden (reason) is hoogstens 2000 tekens.");
        }
    }

    internal const string InsertSql = """
        INSERT INTO visits (id, team_id, household_id, street, house_number, house_number_suffix, postal_code, city,
                            planned_on, reason, planned_by, planned_at)
        VALUES (@id, @teamId, @householdId, @street, @houseNumber, @houseNumberSuffix, @postalCode, @city,
                @plannedOn, @reason, @plannedBy, @now)
        """;

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log, TimeProvider time) : ICommandHandler<Command, Visit>
    {
        public async ValueTask<Visit> Handle(Command command, CancellationToken ct)
        {
            var address = command.Address!;
            var postalCode = address.NormalisedPostalCode();
            var suffix = address.NormalisedSuffix();
            var teamId = (await db.QueryAsync<SubmitSignal.TeamRow>(SubmitSignal.TeamByPc4Sql, new { pc4 = PostalCodes.Pc4(postalCode) }, ct))
                .FirstOrDefault()?.Id ?? user.TeamId
                ?? throw ProblemException.Forbidden("Geen team dekt dit adres en u heeft zelf geen team; het bezoek kan nergens horen.");
            var atAddress = (await db.QueryAsync<SubmitSignal.IdRow>(SubmitSignal.MatchByAddressSql,
                new { postalCode, houseNumber = address.HouseNumber!.Value, houseNumberSuffix = suffix }, ct)).ToList();
            Guid? householdId = atAddress.Count == 1 ? atAddress[0].Id : null;

            var now = time.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            await db.ExecuteAsync(InsertSql, new
            {
                id, teamId, householdId, street = address.Street!.Trim(), houseNumber = address.HouseNumber.Value,
                houseNumberSuffix = suffix, postalCode, city = address.City!.Trim(), plannedOn = command.PlannedOn!.Value,
                reason = command.Reason!.Trim(), plannedBy = user.Id, now,
            }, ct);
            await log.WriteAsync("create", "visit", id, householdId, ct);
            var row = (await db.QuerySingleOrDefaultAsync<VisitRow>(VisitRow.FindSql, new { id }, ct))!;
            return row.ToVisit();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/visits", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var visit = await mediator.Send(command, ct);
            return TypedResults.Created((string?)null, visit);
        })
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("planVisit")
        .WithSummary("Bezoek achter de voordeur plannen (coach, teamleider)")
        .WithTags("Bezoeken");
}
