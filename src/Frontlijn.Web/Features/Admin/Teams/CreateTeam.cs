using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Teams;

public static class CreateTeam
{
    public sealed record Command(string Name, IReadOnlyList<Guid> NeighbourhoodIds) : ICommand<Team>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.NeighbourhoodIds).NotEmpty().WithMessage("Een team werkt in minstens één wijk.");
            RuleForEach(c => c.NeighbourhoodIds).NotEqual(Guid.Empty);
        }
    }

    internal const string NameTakenSql = "SELECT COUNT(*) FROM teams WHERE name = @name";
    internal const string CountNeighbourhoodsSql = "SELECT COUNT(*) FROM neighbourhoods WHERE id IN @ids";
    internal const string InsertSql = "INSERT INTO teams (id, name, created_at) VALUES (@id, @name, @now)";
    internal const string InsertNeighbourhoodSql = """
        INSERT INTO team_neighbourhoods (team_id, neighbourhood_id) VALUES (@id, @neighbourhoodId)
        """;

    internal sealed class Handler(DbSession db, TimeProvider time) : ICommandHandler<Command, Team>
    {
        public async ValueTask<Team> Handle(Command command, CancellationToken ct)
        {
            var ids = command.NeighbourhoodIds.Distinct().ToArray();
            if (await db.ExecuteScalarAsync<int>(CountNeighbourhoodsSql, new { ids }, ct) != ids.Length)
            {
                throw new ValidationException([new("neighbourhoodIds", "Een of meer wijken bestaan niet.")]);
            }
            if (await db.ExecuteScalarAsync<int>(NameTakenSql, new { name = command.Name }, ct) > 0)
            {
                throw ProblemException.Conflict($"Er is al een team met de naam '{command.Name}'.");
            }
            var id = Guid.CreateVersion7();
            await db.ExecuteAsync(InsertSql, new { id, command.Name, now = time.GetUtcNow() }, ct);
            foreach (var neighbourhoodId in ids)
            {
                await db.ExecuteAsync(InsertNeighbourhoodSql, new { id, neighbourhoodId }, ct);
            }
            return new Team(id, command.Name, ids);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/teams", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/teams/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("createTeam")
        .WithSummary("Team aanmaken (beheerder)")
        .WithTags("Beheer");
}
