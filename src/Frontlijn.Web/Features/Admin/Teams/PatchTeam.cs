using System.Text.Json.Nodes;
using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Teams;

/// <summary>
/// <c>PATCH /api/v1/teams/{id}</c> (admin, JSON Merge Patch): <c>name</c> and <c>neighbourhoodIds</c>, with the rules of
/// creation (a unique name; at least one existing neighbourhood; several teams may cover one neighbourhood, as at
/// creation — signal routing then picks the first by name). <c>neighbourhoodIds</c> replaces the whole list. Households
/// keep their team: covering a neighbourhood decides where new households and signals go, not who already has one
/// (moving a household is PATCH /households/{id}).
/// </summary>
public static class PatchTeam
{
    public sealed record Command(Guid Id, Change<string?> Name = default, Change<IReadOnlyList<Guid>?> NeighbourhoodIds = default)
        : ICommand<Team>;

    public sealed record Patch(string? Name, IReadOnlyList<Guid>? NeighbourhoodIds);

    internal static readonly string[] Members = ["name", "neighbourhoodIds"];

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            When(c => c.Name.IsSet, () =>
                RuleFor(c => c.Name.Value).NotEmpty().MaximumLength(200).WithName("name").OverridePropertyName("name"));
            When(c => c.NeighbourhoodIds.IsSet, () =>
            {
                RuleFor(c => c.NeighbourhoodIds.Value).NotEmpty().WithMessage("Een team werkt in minstens één wijk.")
                    .OverridePropertyName("neighbourhoodIds");
                RuleForEach(c => c.NeighbourhoodIds.Value).NotEqual(Guid.Empty).WithMessage("Een wijk-ID mag niet leeg zijn.")
                    .OverridePropertyName("neighbourhoodIds");
            });
        }
    }

    internal const string FindSql = "SELECT id, name FROM teams WHERE id = @id";
    internal const string NameTakenSql = "SELECT COUNT(*) FROM teams WHERE name = @name AND id <> @id";
    internal const string RenameSql = "UPDATE teams SET name = @name WHERE id = @id";
    internal const string ClearNeighbourhoodsSql = "DELETE FROM team_neighbourhoods WHERE team_id = @id";

    internal sealed class Handler(DbSession db, IMediator mediator) : ICommandHandler<Command, Team>
    {
        public async ValueTask<Team> Handle(Command command, CancellationToken ct)
        {
            var current = await db.QuerySingleOrDefaultAsync<ListTeams.Row>(FindSql, new { id = command.Id }, ct)
                          ?? throw ProblemException.NotFound("Dit team");
            var ids = command.NeighbourhoodIds.Value?.Distinct().ToArray();
            if (ids is not null && await db.ExecuteScalarAsync<int>(CreateTeam.CountNeighbourhoodsSql, new { ids }, ct) != ids.Length)
            {
                throw new ValidationException([new("neighbourhoodIds", "Een of meer wijken bestaan niet.")]);
            }
            var name = command.Name.Or(current.Name)!.Trim();
            if (command.Name.IsSet && await db.ExecuteScalarAsync<int>(NameTakenSql, new { name, id = command.Id }, ct) > 0)
            {
                throw ProblemException.Conflict($"Er is al een team met de naam '{name}'.");
            }
            await db.ExecuteAsync(RenameSql, new { name, id = command.Id }, ct);
            if (ids is not null)
            {
                // Replace the list in this transaction (RFC 7396: an array is replaced, never merged).
                await db.ExecuteAsync(ClearNeighbourhoodsSql, new { id = command.Id }, ct);
                foreach (var neighbourhoodId in ids)
                {
                    await db.ExecuteAsync(CreateTeam.InsertNeighbourhoodSql, new { id = command.Id, neighbourhoodId }, ct);
                }
            }
            return await mediator.Send(new GetTeam.Query(command.Id), ct);
        }
    }

    public static Command Read(Guid id, JsonNode? body)
    {
        var patch = new MergePatch(body, Members);
        var command = new Command(id, patch.Text("name"), patch.UuidList("neighbourhoodIds"));
        patch.ThrowIfInvalid();
        return command;
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPatch("/teams/{id:guid}", async (Guid id, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(Read(id, await MergePatch.ReadBodyAsync(request, ct)), ct)))
        .Accepts<Patch>(MergePatch.MediaType)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .RequireAuthorization(Policies.Admin)
        .WithName("patchTeam")
        .WithSummary("Team wijzigen: naam en wijken (beheerder, JSON Merge Patch)")
        .WithTags("Beheer");
}
