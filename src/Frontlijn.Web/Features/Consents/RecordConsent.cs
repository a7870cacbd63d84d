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
        public Validator(TimeProvider time, ConsentSettings settings)
        {
            RuleFor(c => c.OrganisationId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.Purpose).NotEmpty().MaximumLength(100).Matches("^[a-z0-9]+(-[a-z0-9]+)*$")
                .WithMessage("Het doel is de code van een dienst van de organisatie, zoals schuldhulp-intake.");
            RuleFor(c => c.GivenByMemberId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.GivenOn).NotNull()
                .Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()))
                .WithMessage("Toestemming kan niet in de toekomst gegeven zijn.");
            // The message names the thing, not the field: the web form shows it next to "Geldig tot en met".
            RuleFor(c => c.ValidUntil).NotNull()
                .Must((c, until) => until is null || c.GivenOn is null || until >= c.GivenOn)
                .WithMessage("De einddatum mag niet vóór de dag liggen waarop de toestemming is gegeven.")
                .Must((c, until) => until is null || c.GivenOn is null || until <= settings.LastValidDay(c.GivenOn.Value))
                .WithMessage(c => $"Een toestemming geldt hoogstens {settings.MaxValidityMonths} maanden: uiterlijk tot en met " +
                                  $"{settings.LastValidDay(c.GivenOn!.Value):dd-MM-yyyy}.");
        }
    }

    // A member who left the household gives no consent for it any more.
    internal const string MemberOfHouseholdSql = """
        SELECT id, date_of_birth FROM household_members
        WHERE id = @memberId AND household_id = @householdId AND departed_on IS NULL
        """;

    internal sealed record GiverRow
    {
        public Guid Id { get; init; }
        public DateOnly? DateOfBirth { get; init; }
    }

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
            var giver = await db.QuerySingleOrDefaultAsync<GiverRow>(MemberOfHouseholdSql,
                new { memberId = command.GivenByMemberId, command.HouseholdId }, ct);
            if (giver is null)
            {
                errors.Add(new("givenByMemberId", "Dit is geen (huidig) lid van dit huishouden."));
            }
            else if (!ConsentGivers.MayGive(giver.DateOfBirth, command.GivenOn!.Value))
            {
                errors.Add(new("givenByMemberId", ConsentGivers.TooYoung));
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

/// <summary>
/// Who may give a consent (SPEC, after the Jeugdwet and the WGBO): a member aged 16 or older for themselves; for a
/// child under 12 a parent; from 12 to 16 a parent and the child. A consent here has one giver and is the
/// household's, so the giver is a member who is 16 or older on the day it was given: a parent for the children, an
/// adult member for themselves. A child of 12 to 16 agreeing beside the parent is not recorded separately (see
/// docs/features/household-pages.md). A member without a known date of birth cannot be shown to be 16, so is not offered.
/// </summary>
public static class ConsentGivers
{
    public const int MinimumAge = 16;

    public const string TooYoung =
        "Toestemming geeft een lid van 16 jaar of ouder; voor een kind jonger dan 16 geeft een ouder toestemming.";

    public static bool MayGive(DateOnly? dateOfBirth, DateOnly givenOn) =>
        dateOfBirth is { } born && born.AddYears(MinimumAge) <= givenOn;
}

/// <summary>
/// SPEC: "A consent is valid for at most 2 years (configurable)": <c>Consents:MaxValidityMonths</c> (default 24, 1 to
/// 60). The last valid day is the day given plus the months, minus one: given on 2026-03-01, valid at most up to and
/// including 2028-02-29.
/// </summary>
public sealed record ConsentSettings(int MaxValidityMonths)
{
    public DateOnly LastValidDay(DateOnly givenOn) => givenOn.AddMonths(MaxValidityMonths).AddDays(-1);

    public static ConsentSettings FromConfiguration(IConfiguration configuration)
    {
        var settings = new ConsentSettings(configuration.GetValue("Consents:MaxValidityMonths", 24));
        if (settings.MaxValidityMonths is < 1 or > 60)
        {
            throw new InvalidOperationException("Consents:MaxValidityMonths must be between 1 and 60.");
        }
        return settings;
    }
}
