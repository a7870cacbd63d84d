using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Rights;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// <c>GET /api/v1/me/export</c> (SPEC "The household's rights"): the signed-in resident's own art. 15 bundle — the same
/// builder as the team lead's export (<see cref="BuildHouseholdExport"/>), in the member scope: a member who left sees
/// the household up to their departure, only their own ZRM scores, and professionals' names only where
/// <c>Residents:ShowNames</c> is set. JSON, or the printable Dutch page on <c>Accept: text/html</c> (also
/// <c>/mijn/export</c>). Logged as <c>export</c> with the resident as actor.
/// </summary>
public static class ExportMyHousehold
{
    public sealed record Query : IQuery<HouseholdExport>;

    internal sealed class Handler(ResidentScope resident, ResidentSettings settings, BuildHouseholdExport builder, AccessLogWriter log)
        : IQueryHandler<Query, HouseholdExport>
    {
        public async ValueTask<HouseholdExport> Handle(Query query, CancellationToken ct)
        {
            var householdId = resident.HouseholdId;
            var export = await builder.BuildAsync(householdId, new MemberScope(resident.MemberId, settings.ShowNames), ct)
                         ?? throw ProblemException.NotFound("Uw huishouden");
            await log.WriteAsync("export", "household", householdId, householdId, ct);
            return export;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/me/export", async (HttpContext context, IMediator mediator, CancellationToken ct) =>
        {
            var export = await mediator.Send(new Query(), ct);
            return ExportHousehold.WantsHtml(context.Request) ? ExportHtml.Result(context, export) : Results.Ok(export);
        })
        .RequireAuthorization(Policies.Resident)
        .Produces<HouseholdExport>(StatusCodes.Status200OK, "application/json", "text/html")
        .WithName("exportMyHousehold")
        .WithSummary("Inzage (AVG art. 15) voor de bewoner: alles wat over het eigen huishouden is bewaard, als JSON of afdrukbare pagina")
        .WithTags(ResidentsEndpoints.Tag);
}
