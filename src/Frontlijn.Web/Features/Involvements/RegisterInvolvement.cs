using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Involvements;

/// <summary>
/// The coach records a provider that is involved with the household: an organisation in Frontlijn
/// (<c>organisationId</c>) or one outside it (<c>providerName</c>), optionally a named professional, and since when.
/// Never why. The same provider and professional can be open only once. Only the household's own coach (or their
/// stand-in) records one by hand; back offices are recorded automatically when they handle a request.
/// </summary>
public static class RegisterInvolvement
{
    public sealed record Body(Guid? OrganisationId, string? ProviderName, string? ProfessionalName, DateOnly? Since);

    public sealed record Command(Guid HouseholdId, Guid? OrganisationId, string? ProviderName, string? ProfessionalName, DateOnly? Since)
        : ICommand<Involvement>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.OrganisationId).NotNull().When(c => string.IsNullOrWhiteSpace(c.ProviderName))
                .WithMessage("Noem een organisatie in Frontlijn (organisationId) of een aanbieder daarbuiten (providerName).");
            RuleFor(c => c.ProviderName).Null().When(c => c.OrganisationId is not null)
                .WithMessage("Noem óf een organisatie in Frontlijn óf een aanbieder daarbuiten, niet allebei.");
            RuleFor(c => c.ProviderName).MaximumLength(200);
            RuleFor(c => c.ProfessionalName).MaximumLength(200);
            RuleFor(c => c.Since).NotNull()
                .Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()))
                .WithMessage("Sinds-datum ligt niet in de toekomst.");
        }
    }

    internal const string OrganisationNameSql = "SELECT name FROM organisations WHERE id = @organisationId";

    internal const string OpenDuplicateSql = """
        SELECT COUNT(*) FROM involvements
        WHERE household_id = @householdId AND ended_at IS NULL
          AND ((@organisationId IS NOT NULL AND organisation_id = @organisationId)
               OR (@providerKey IS NOT NULL AND provider_key = @providerKey))
          AND professional_id IS NULL
          AND COALESCE(professional_name, '') = @professionalName
        """;

    internal const string InsertSql = """
        INSERT INTO involvements (id, household_id, organisation_id, professional_id, source, since, last_activity_at,
                                  ended_at, end_reason, provider_name, provider_key, professional_name, recorded_by)
        VALUES (@id, @householdId, @organisationId, NULL, 'manual', @since, @now, NULL, NULL, @providerName, @providerKey,
                @storedProfessionalName, @recordedBy)
        """;

    internal sealed class Handler(
        DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, InvolvementThreshold threshold, TimeProvider time)
        : ICommandHandler<Command, Involvement>
    {
        public async ValueTask<Involvement> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct, "involvement");
            await access.RequireOwnCoachAsync(household, "create", "involvement", InvolvementAccess.OwnCoachOnly, ct);
            if (household.Status == HouseholdStatus.Closed)
            {
                throw ProblemException.Conflict("Dit huishouden is afgesloten; de betrokkenheid kan niet meer worden aangevuld.");
            }
            string providerName;
            if (command.OrganisationId is { } organisationId)
            {
                providerName = await db.QuerySingleOrDefaultAsync<string>(OrganisationNameSql, new { organisationId }, ct)
                    ?? throw new ValidationException([new("organisationId", "Deze organisatie bestaat niet.")]);
            }
            else
            {
                providerName = command.ProviderName!.Trim();
            }
            var providerKey = command.OrganisationId is null ? ProviderKey.For(providerName) : null;
            var professionalName = string.IsNullOrWhiteSpace(command.ProfessionalName) ? null : command.ProfessionalName.Trim();
            if (await db.ExecuteScalarAsync<int>(OpenDuplicateSql, new
                {
                    command.HouseholdId, command.OrganisationId, providerKey, professionalName = professionalName ?? "",
                }, ct) > 0)
            {
                throw ProblemException.Conflict("Deze betrokkenheid is al geregistreerd en loopt nog.");
            }
            var id = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var since = WorkingDays.StartOfDay(command.Since!.Value);
            await db.ExecuteAsync(InsertSql, new
            {
                id, command.HouseholdId, command.OrganisationId, since, now,
                providerName = command.OrganisationId is null ? providerName : null,
                providerKey, storedProfessionalName = professionalName, recordedBy = user.Id,
            }, ct);
            await log.WriteAsync("create", "involvement", id, command.HouseholdId, ct);
            await HouseholdSummary.RefreshAsync(db, command.HouseholdId, ct);
            await threshold.CheckAsync(command.HouseholdId, ct);
            return new Involvement(id, command.OrganisationId, providerName, null, professionalName, "manual",
                command.Since.Value, now, null, null);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/involvements", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new Command(id, body.OrganisationId, body.ProviderName, body.ProfessionalName, body.Since), ct);
            return TypedResults.Created($"/api/v1/households/{id}/involvements/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Coach)
        .WithName("registerInvolvement")
        .WithSummary("Betrokkenheid van een aanbieder registreren (dat en sinds wanneer, nooit waarom)")
        .WithTags("Betrokkenheid");
}

internal static class InvolvementAccess
{
    public const string OwnCoachOnly =
        "Alleen de coach van dit huishouden (of diens waarnemer) registreert of beëindigt een betrokkenheid.";
}
