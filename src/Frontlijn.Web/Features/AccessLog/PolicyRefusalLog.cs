using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Frontlijn.Web.Features.AccessLog;

/// <summary>
/// A known user whose role an endpoint's policy refuses (a back office opening a household, a coach reading the access
/// log) never reaches a handler, so no handler can log the attempt. NEN 7513 wants every refused attempt on household
/// data in that household's log: this writes the denied row for endpoints under <c>/households/{id}</c>,
/// <c>/reports/household-outcomes/{householdId}</c> and <c>/requests/{id}</c> (the request's household), then lets the
/// default handler answer 403. Anonymous callers (401) are not users and are not logged here.
/// </summary>
public sealed class PolicyRefusalLog : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    internal const string RequestHouseholdSql = "SELECT household_id FROM requests WHERE id = @id";

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && Target(context) is { } target)
        {
            var services = context.RequestServices;
            var writer = services.GetRequiredService<AccessLogWriter>();
            if (writer.IsKnownUser)
            {
                var householdId = target.Kind == "request"
                    ? await services.GetRequiredService<DbSession>().QuerySingleOrDefaultAsync<Guid?>(
                        RequestHouseholdSql, new { id = target.Id }, context.RequestAborted)
                    : target.Id;
                var action = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    ? "read"
                    : "update";
                await writer.WriteAsync(action, ObjectType(context.Request.Path, target.Kind), target.Id, householdId,
                    context.RequestAborted, AccessLogWriter.Denied);
            }
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>
    /// The object type the handlers log for the same path (consent, involvement, plan-goal, ...), from the segment after
    /// the id, so a refusal by policy reads like a refusal in the handler.
    /// </summary>
    internal static string ObjectType(PathString path, string kind)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        // api, v1, households|requests, {id}, [what], ...
        var what = segments.Length > 4 ? segments[4] : null;
        if (segments.Length > 2 && segments[2] == "reports") return "report-household-outcome";
        return (kind, what, segments.Length > 6 ? segments[6] : null) switch
        {
            ("request", "messages", _) => "request-message",
            ("request", _, _) => "request",
            (_, "consents", _) => "consent",
            (_, "involvements", _) => "involvement",
            (_, "assessments", _) => "assessment",
            (_, "access-log", _) => "access-log",
            (_, "coach-history", _) => "coach-history",
            (_, "status-history", _) => "status-history",
            (_, "coach", _) => "coach-assignment",
            (_, "plan", "actions") => "plan-action",
            (_, "plan", _) when segments.Length > 5 && segments[5] == "goals" => "plan-goal",
            (_, "plan", _) => "family-plan",
            _ => "household",
        };
    }

    /// <summary>The household or request the refused call was about, from the matched route.</summary>
    private static (string Kind, Guid Id)? Target(HttpContext context)
    {
        var path = context.Request.Path;
        var values = context.Request.RouteValues;
        Guid? Value(string name) => Guid.TryParse(values[name]?.ToString(), out var id) ? id : null;
        if (path.StartsWithSegments("/api/v1/households") && Value("id") is { } household)
        {
            return ("household", household);
        }
        if (path.StartsWithSegments("/api/v1/reports/household-outcomes") && Value("householdId") is { } reported)
        {
            return ("household", reported);
        }
        if (path.StartsWithSegments("/api/v1/requests") && Value("id") is { } request)
        {
            return ("request", request);
        }
        return null;
    }
}
