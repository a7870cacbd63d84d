using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Rights;

/// <summary>What an erased household answers.</summary>
public static class Erasure
{
    /// <summary>410: the household existed, and its personal data were erased after the retention period.</summary>
    public static ProblemException Gone() => new(StatusCodes.Status410Gone, "Gone",
        "De gegevens van dit huishouden zijn na afloop van de bewaartermijn vernietigd.");
}

/// <summary>
/// Endpoint metadata: this endpoint reads its household through <see cref="Households.HouseholdAccess.ReadAsync"/>,
/// which answers 410 for an erased household by the gate's rule from the row it reads anyway, so the gate's own query
/// is skipped (issue 12: the household detail is read often). Only for endpoints whose route id is the household that
/// the handler reads first, and whose roles are coach and team lead (for whom "may know" and "may see" are the same).
/// </summary>
public sealed class ErasedCheckedInHandler
{
    public static readonly ErasedCheckedInHandler Instance = new();

    private ErasedCheckedInHandler()
    {
    }
}

/// <summary>
/// An erased household answers 410 Gone problem+json on every API endpoint about it, and the 410 error page on every
/// page about it — not a 500 and not the
/// half-empty anonymous record that the reports keep. One gate in front of the endpoints of
/// <c>/api/v1/households/{id}</c>, <c>/api/v1/reports/household-outcomes/{householdId}</c> and <c>/api/v1/requests/{id}</c>
/// (the request's household) instead of a check in every handler, so that no endpoint (also one added later) can
/// forget it. Runs after authorization: a role that may never call the endpoint still gets its 403. Need-to-know still
/// holds: only callers who could see the household (its team's coaches and team leads, the admin; for a request also
/// the addressed back office) learn that it is gone; everyone else goes on to the handler's 404.
/// </summary>
public static class ErasedHouseholdGate
{
    internal const string HouseholdSql = "SELECT team_id FROM households WHERE id = @id AND erased_at IS NOT NULL";

    internal const string RequestSql = """
        SELECT h.team_id, r.organisation_id FROM requests r JOIN households h ON h.id = r.household_id
        WHERE r.id = @id AND h.erased_at IS NOT NULL
        """;

    internal sealed record ErasedRow
    {
        public Guid TeamId { get; init; }
        public Guid? OrganisationId { get; init; }
    }

    public static IApplicationBuilder UseErasedHouseholdGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Target(context) is { } target && context.User.Identity?.IsAuthenticated == true &&
            context.GetEndpoint()?.Metadata.GetMetadata<ErasedCheckedInHandler>() is null)
        {
            var db = context.RequestServices.GetRequiredService<DbSession>();
            var row = await db.QuerySingleOrDefaultAsync<ErasedRow>(target.Request ? RequestSql : HouseholdSql,
                new { id = target.Id }, context.RequestAborted);
            if (row is not null && MayKnow(context.RequestServices.GetRequiredService<CurrentUser>(), row))
            {
                // A person gets the error page in the layout (status code pages re-execute it with ?code=410); a
                // machine the problem details.
                if (!target.Api)
                {
                    context.Response.StatusCode = StatusCodes.Status410Gone;
                    return;
                }
                throw Erasure.Gone();
            }
        }
        await next(context);
    });

    private static bool MayKnow(CurrentUser user, ErasedRow row) =>
        user.IsKnown && (user.IsInRole(Roles.Admin) ||
                         ((user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId == row.TeamId) ||
                         (user.IsInRole(Roles.BackOffice) && row.OrganisationId is { } org && user.OrganisationId == org));

    private static (Guid Id, bool Request, bool Api)? Target(HttpContext context)
    {
        var path = context.Request.Path;
        var values = context.Request.RouteValues;
        Guid? Value(string name) => Guid.TryParse(values[name]?.ToString(), out var id) ? id : null;
        if (path.StartsWithSegments("/api/v1/households") && Value("id") is { } household) return (household, false, true);
        if (path.StartsWithSegments("/api/v1/reports/household-outcomes") && Value("householdId") is { } reported) return (reported, false, true);
        if (path.StartsWithSegments("/api/v1/requests") && Value("id") is { } request) return (request, true, true);
        // The pages about one household or request: the household page and its forms, the team lead's access log and
        // outcome page, a request's page. Their handlers call the same queries, which would show the anonymous shell.
        if ((path.StartsWithSegments("/huishoudens") || path.StartsWithSegments("/team/huishoudens") ||
             path.StartsWithSegments("/team/rapportages/uitkomst")) && Value("id") is { } page) return (page, false, false);
        if (path.StartsWithSegments("/verzoeken") && Value("id") is { } requestPage) return (requestPage, true, false);
        return null;
    }
}
