using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.Net.Http.Headers;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// <c>GET /api/v1/households/{id}/export</c> (SPEC "The household's rights"): the art. 15 bundle for the team lead of the
/// household's team and the admin, who answer a household's request for access (as for the access log). JSON, or a
/// printable Dutch page on <c>Accept: text/html</c>. Logged as action <c>export</c>, after the bundle was read, so the
/// bundle shows the log as it was before this export.
/// </summary>
public static class ExportHousehold
{
    public sealed record Query(Guid HouseholdId) : IQuery<HouseholdExport>;

    internal const string TeamSql = "SELECT team_id FROM households WHERE id = @householdId";

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log, BuildHouseholdExport builder)
        : IQueryHandler<Query, HouseholdExport>
    {
        public async ValueTask<HouseholdExport> Handle(Query query, CancellationToken ct)
        {
            var teamId = await db.QuerySingleOrDefaultAsync<Guid?>(TeamSql, new { query.HouseholdId }, ct);
            if (teamId is null) throw ProblemException.NotFound("Dit huishouden");
            var allowed = user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.TeamLead) && user.TeamId == teamId);
            if (!allowed)
            {
                await log.WriteAsync("export", "household", query.HouseholdId, query.HouseholdId, ct, AccessLogWriter.Denied);
                throw ProblemException.NotFound("Dit huishouden");
            }
            var export = await builder.BuildAsync(query.HouseholdId, null, ct) ?? throw ProblemException.NotFound("Dit huishouden");
            await log.WriteAsync("export", "household", query.HouseholdId, query.HouseholdId, ct);
            return export;
        }
    }

    /// <summary>Whether the client prefers the printable page (text/html ranked above JSON in its Accept header).</summary>
    public static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        var best = accept
            .Where(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) ||
                        a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                        a.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase) ||
                        a.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => a.Quality ?? 1.0)
            .ThenBy(a => a.MatchesAllTypes || a.MatchesAllSubTypes ? 1 : 0)
            .FirstOrDefault();
        return best is not null && best.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase);
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/export", async (Guid id, HttpContext context, IMediator mediator, CancellationToken ct) =>
        {
            var export = await mediator.Send(new Query(id), ct);
            return WantsHtml(context.Request) ? ExportHtml.Result(context, export) : Results.Ok(export);
        })
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .Produces<HouseholdExport>(StatusCodes.Status200OK, "application/json", "text/html")
        .ProducesProblem(StatusCodes.Status410Gone)
        .WithName("exportHousehold")
        .WithSummary("Inzage (AVG art. 15): alles wat over een huishouden is vastgelegd, als JSON of afdrukbare pagina (teamleider van het team, beheerder)")
        .WithTags("Huishoudens");
}
