using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Consents;

/// <summary>The coach records a consent given by a member of the household.</summary>
public static class RecordConsent
{
    public sealed record Body(Guid? OrganisationId, string? Purpose, Guid? GivenByMemberId, DateOnly? GivenOn, DateOnly? ValidUntil);

    public sealed record Command(
        Guid HouseholdId, Guid? OrganisationId, string? Purpose, Guid? GivenByMemberId, DateOnly? GivenOn, DateOnly? ValidUntil)
        : ICommand<Consent>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.OrganisationId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.Purpose).NotEmpty().MaximumLength(100).Matches("^[a-z0-9]+(-[a-z0-9]+)*$")
                .WithMessage("Het doel is de code van een dienst van de organisatie, zoals schuldhulp-intake.");
            RuleFor(c => c.GivenByMemberId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.GivenOn).NotNull()
                .Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()))
                .WithMessage("Toestemming kan niet in de toekomst gegeven zijn.");
            RuleFor(c => c.ValidUntil).NotNull()
                .Must((c, until) => until is null || c.GivenOn is null || until >= c.GivenOn)
                .WithMessage("De einddatum (geldig tot) ligt op of na de datum waarop de toestemming is gegeven.");
        }
    }

    // A member who left the household gives no consent for it any more.
    internal const string MemberOfHouseholdSql = """
        SELECT COUNT(*) FROM household_members WHERE id = @memberId AND household_id = @householdId AND departed_on IS NULL
        """;

    internal const string ServiceExistsSql = """
        SELECT COUNT(*) FROM organisation_services WHERE organisation_id = @organisationId AND code = @purpose
        """;

    internal const string InsertSql = """
        INSERT INTO consents (id, household_id, organisation_id, purpose, given_by_member_id, given_on, valid_until,
                              recorded_by, created_at)
        VALUES (@id, @householdId, @organisationId, @purpose, @givenByMemberId, @givenOn, @validUntil, @recordedBy, @now)
        """;

    internal sealed class Handler(DbSession db, CurrentUser user, HouseholdAccess households, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, Consent>
    {
        public async ValueTask<Consent> Handle(Command command, CancellationToken ct)
        {
            await ConsentAccess.HouseholdForOwnCoachAsync(households, command.HouseholdId, "create", ct);
            var errors = new List<FluentValidation.Results.ValidationFailure>();
            if (await db.ExecuteScalarAsync<int>(MemberOfHouseholdSql, new { memberId = command.GivenByMemberId, command.HouseholdId }, ct) == 0)
            {
                errors.Add(new("givenByMemberId", "Dit is geen (huidig) lid van dit huishouden."));
            }
            if (await db.ExecuteScalarAsync<int>(ServiceExistsSql, new { command.OrganisationId, command.Purpose }, ct) == 0)
            {
                errors.Add(new("purpose", "De organisatie bestaat niet of biedt geen dienst met deze code."));
            }
            if (errors.Count > 0) throw new ValidationException(errors);

            var now = time.GetUtcNow();
            var row = new ConsentRow
            {
                Id = Guid.CreateVersion7(now), HouseholdId = command.HouseholdId, OrganisationId = command.OrganisationId!.Value,
                Purpose = command.Purpose!, GivenByMemberId = command.GivenByMemberId!.Value, GivenOn = command.GivenOn!.Value,
                ValidUntil = command.ValidUntil!.Value,
            };
            await db.ExecuteAsync(InsertSql, new
            {
                row.Id, row.HouseholdId, row.OrganisationId, row.Purpose, row.GivenByMemberId, row.GivenOn, row.ValidUntil,
                recordedBy = user.Id, now,
            }, ct);
            await log.WriteAsync("create", "consent", row.Id, row.HouseholdId, ct);
            return row.ToConsent(now);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/consents", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var consent = await mediator.Send(new Command(id, body.OrganisationId, body.Purpose, body.GivenByMemberId, body.GivenOn,
                body.ValidUntil), ct);
            return TypedResults.Created($"/api/v1/households/{id}/consents/{consent.Id}", consent);
        })
        .RequireAuthorization(Policies.Coach)
        .WithName("recordConsent")
        .WithSummary("Toestemming van het huishouden vastleggen (coach)")
        .WithTags("Toestemmingen");
}

/// <summary>
/// Consents are the household's own coach's business: another team's household is 404; a coach of the same team who
/// is not its coach (nor that coach's stand-in) gets 403. Both refusals are access-logged.
/// </summary>
internal static class ConsentAccess
{
    public static async Task<HouseholdRow> HouseholdForOwnCoachAsync(HouseholdAccess households, Guid householdId, string action,
        CancellationToken ct)
    {
        var household = await households.LockForChangeAsync(householdId, ct, "consent");
        await households.RequireOwnCoachAsync(household, action, "consent",
            "Alleen de coach van dit huishouden (of diens waarnemer) legt toestemmingen vast of trekt ze in.", ct);
        return household;
    }
}
