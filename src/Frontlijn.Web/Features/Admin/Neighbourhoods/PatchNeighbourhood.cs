using System.Text.Json.Nodes;
using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Neighbourhoods;

/// <summary>
/// <c>PATCH /api/v1/neighbourhoods/{id}</c> (admin, JSON Merge Patch): <c>name</c> and <c>postalCodes</c> (PC4, as at
/// creation; the list replaces the current one). The code and municipality identify the neighbourhood and do not
/// change. New postal codes route new signals; registered households keep their neighbourhood and team.
/// </summary>
public static class PatchNeighbourhood
{
    public sealed record Command(Guid Id, Change<string?> Name = default, Change<IReadOnlyList<string>?> PostalCodes = default)
        : ICommand<Neighbourhood>;

    public sealed record Patch(string? Name, IReadOnlyList<string>? PostalCodes);

    internal static readonly string[] Members = ["name", "postalCodes"];

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            When(c => c.Name.IsSet, () =>
                RuleFor(c => c.Name.Value).NotEmpty().MaximumLength(200).WithName("name").OverridePropertyName("name"));
            When(c => c.PostalCodes.IsSet, () =>
            {
                RuleFor(c => c.PostalCodes.Value).NotNull().WithMessage("Geef de postcodegebieden (PC4) van de wijk.")
                    .OverridePropertyName("postalCodes");
                RuleForEach(c => c.PostalCodes.Value).NotEmpty().Matches("^[1-9][0-9]{3}$")
                    .WithMessage("Een postcodegebied is een PC4-code van vier cijfers, zoals 8925.")
                    .OverridePropertyName("postalCodes");
            });
        }
    }

    internal const string RenameSql = "UPDATE neighbourhoods SET name = @name WHERE id = @id";
    internal const string ClearPostalCodesSql = "DELETE FROM neighbourhood_postal_codes WHERE neighbourhood_id = @id";

    internal sealed class Handler(DbSession db, IMediator mediator) : ICommandHandler<Command, Neighbourhood>
    {
        public async ValueTask<Neighbourhood> Handle(Command command, CancellationToken ct)
        {
            var current = await db.QuerySingleOrDefaultAsync<ListNeighbourhoods.Row>(GetNeighbourhood.FindSql, new { id = command.Id }, ct)
                          ?? throw ProblemException.NotFound("Deze wijk");
            await db.ExecuteAsync(RenameSql, new { name = command.Name.Or(current.Name)!.Trim(), id = command.Id }, ct);
            if (command.PostalCodes.Value is { } codes)
            {
                await db.ExecuteAsync(ClearPostalCodesSql, new { id = command.Id }, ct);
                foreach (var postalCode in codes.Distinct(StringComparer.Ordinal))
                {
                    await db.ExecuteAsync(CreateNeighbourhood.InsertPostalCodeSql, new { id = command.Id, postalCode }, ct);
                }
            }
            return await mediator.Send(new GetNeighbourhood.Query(command.Id), ct);
        }
    }

    public static Command Read(Guid id, JsonNode? body)
    {
        var patch = new MergePatch(body, Members);
        var command = new Command(id, patch.Text("name"), patch.TextList("postalCodes"));
        patch.ThrowIfInvalid();
        return command;
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPatch("/neighbourhoods/{id:guid}", async (Guid id, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(Read(id, await MergePatch.ReadBodyAsync(request, ct)), ct)))
        .Accepts<Patch>(MergePatch.MediaType)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .RequireAuthorization(Policies.Admin)
        .WithName("patchNeighbourhood")
        .WithSummary("Wijk wijzigen: naam en postcodegebieden (beheerder, JSON Merge Patch)")
        .WithTags("Beheer");
}
