using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Organisations;

/// <summary>
/// <c>PUT /api/v1/organisations/{id}/services/{code}</c> (admin): creates the service or replaces it. New response
/// times apply to requests sent afterwards only: a request's due date is computed once, when it is sent, and stored
/// with it, so nothing already sent moves. <c>active: false</c> keeps the service (its requests keep working) but it
/// cannot be requested any more. A PUT replaces the whole service, so both response times are required: a forgotten
/// member must not silently reset a negotiated response time to the default. The tariff works like the response times:
/// a request keeps the tariff in force when it was sent; leaving <c>tariff</c> out (a PUT replaces all) removes it.
/// </summary>
public static class PutService
{
    public sealed record Body(string? Name, int? ResponseDays, int? UrgentResponseDays, bool? Active, ServiceTariff? Tariff = null);

    public sealed record Command(
        Guid OrganisationId, string Code, string? Name, int? ResponseDays, int? UrgentResponseDays, bool? Active, ServiceTariff? Tariff = null)
        : ICommand<Result>;

    public sealed record Result(OrganisationService Service, bool Created);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().MaximumLength(100).Matches("^[a-z0-9-]+$").OverridePropertyName("code")
                .WithMessage("Dienstcode is kebab-case, zoals schuldhulp-intake.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.ResponseDays).NotNull().InclusiveBetween(1, 60);
            RuleFor(c => c.UrgentResponseDays).NotNull().InclusiveBetween(1, 60);
            RuleFor(c => c.UrgentResponseDays).Must((c, urgent) => urgent <= c.ResponseDays)
                .When(c => c.UrgentResponseDays is not null && c.ResponseDays is not null)
                .WithMessage("Een spoedverzoek krijgt niet meer tijd dan een gewoon verzoek.");
            RuleFor(c => c.Tariff).Must(t => ServiceTariff.Problem(t) is null).OverridePropertyName("tariff")
                .WithMessage((_, t) => ServiceTariff.Problem(t) ?? "");
        }
    }

    internal const string OrganisationExistsSql = "SELECT COUNT(*) FROM organisations WHERE id = @organisationId";

    internal const string FindSql = """
        SELECT id, organisation_id, code, name, response_days, urgent_response_days, deactivated_at, tariff_cents, tariff_per
        FROM organisation_services
        WHERE organisation_id = @organisationId AND code = @code
        """;

    internal const string UpdateSql = """
        UPDATE organisation_services
        SET name = @name, response_days = @responseDays, urgent_response_days = @urgentResponseDays, deactivated_at = @deactivatedAt,
            tariff_cents = @tariffCents, tariff_per = @tariffPer
        WHERE id = @id
        """;

    internal const string InsertSql = """
        INSERT INTO organisation_services (id, organisation_id, code, name, response_days, urgent_response_days, deactivated_at,
                                           tariff_cents, tariff_per)
        VALUES (@id, @organisationId, @code, @name, @responseDays, @urgentResponseDays, @deactivatedAt, @tariffCents, @tariffPer)
        """;

    internal sealed class Handler(DbSession db, TimeProvider time) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            if (await db.ExecuteScalarAsync<int>(OrganisationExistsSql, new { command.OrganisationId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze organisatie");
            }
            var current = await db.QuerySingleOrDefaultAsync<ListOrganisations.ServiceRow>(FindSql,
                new { command.OrganisationId, command.Code }, ct);
            var active = command.Active ?? true;
            var deactivatedAt = active ? (DateTimeOffset?)null : current?.DeactivatedAt ?? time.GetUtcNow();
            var service = new OrganisationService(current?.Id ?? Guid.CreateVersion7(), command.Code, command.Name!.Trim(),
                command.ResponseDays!.Value, command.UrgentResponseDays!.Value, active, command.Tariff);
            await db.ExecuteAsync(current is null ? InsertSql : UpdateSql, new
            {
                service.Id, command.OrganisationId, service.Code, service.Name, service.ResponseDays, service.UrgentResponseDays,
                deactivatedAt, tariffCents = service.Tariff?.Cents, tariffPer = service.Tariff?.Per,
            }, ct);
            return new Result(service, current is null);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPut("/organisations/{id:guid}/services/{code}", async (Guid id, string code, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var result = await mediator.Send(new Command(id, code, body.Name, body.ResponseDays, body.UrgentResponseDays, body.Active, body.Tariff), ct);
            return result.Created
                ? Results.Created($"/api/v1/organisations/{id}/services/{result.Service.Code}", result.Service)
                : Results.Ok(result.Service);
        })
        .Produces<OrganisationService>(StatusCodes.Status200OK)
        .Produces<OrganisationService>(StatusCodes.Status201Created)
        .RequireAuthorization(Policies.Admin)
        .WithName("putOrganisationService")
        .WithSummary("Dienst van een organisatie aanmaken of vervangen (beheerder); nieuwe termijnen gelden voor verzoeken die daarna worden verstuurd")
        .WithTags("Beheer");
}
