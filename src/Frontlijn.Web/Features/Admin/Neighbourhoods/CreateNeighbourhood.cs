using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Neighbourhoods;

public static class CreateNeighbourhood
{
    public sealed record Command(string Code, string Name, string Municipality, IReadOnlyList<string> PostalCodes)
        : ICommand<Neighbourhood>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().MaximumLength(50).Matches("^[A-Za-z0-9-]+$")
                .WithMessage("Code bestaat uit letters, cijfers en koppeltekens.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Municipality).NotEmpty().MaximumLength(200);
            RuleFor(c => c.PostalCodes).NotNull().WithMessage("Geef de postcodegebieden (PC4) van de wijk.");
            RuleForEach(c => c.PostalCodes).NotEmpty().Matches("^[1-9][0-9]{3}$")
                .WithMessage("Een postcodegebied is een PC4-code van vier cijfers, zoals 8925.");
        }
    }

    internal const string InsertSql = """
        INSERT INTO neighbourhoods (id, code, name, municipality, created_at)
        VALUES (@id, @code, @name, @municipality, @now)
        """;

    internal const string InsertPostalCodeSql = """
        INSERT INTO neighbourhood_postal_codes (neighbourhood_id, postal_code) VALUES (@id, @postalCode)
        """;

    internal const string CodeTakenSql = "SELECT COUNT(*) FROM neighbourhoods WHERE code = @code";

    internal sealed class Handler(DbSession db, TimeProvider time) : ICommandHandler<Command, Neighbourhood>
    {
        public async ValueTask<Neighbourhood> Handle(Command command, CancellationToken ct)
        {
            if (await db.ExecuteScalarAsync<int>(CodeTakenSql, new { code = command.Code }, ct) > 0)
            {
                throw Infrastructure.Web.ProblemException.Conflict($"Er is al een wijk met code '{command.Code}'.");
            }
            var id = Guid.CreateVersion7();
            await db.ExecuteAsync(InsertSql, new { id, command.Code, command.Name, command.Municipality, now = time.GetUtcNow() }, ct);
            var postalCodes = command.PostalCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var postalCode in postalCodes)
            {
                await db.ExecuteAsync(InsertPostalCodeSql, new { id, postalCode }, ct);
            }
            return new Neighbourhood(id, command.Code, command.Name, command.Municipality, postalCodes);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/neighbourhoods", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/neighbourhoods/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("createNeighbourhood")
        .WithSummary("Wijk aanmaken (beheerder)")
        .WithTags("Beheer");
}
