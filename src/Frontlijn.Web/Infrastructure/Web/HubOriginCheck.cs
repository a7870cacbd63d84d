using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// WebSockets are not bound by the same-origin policy and the browser sends the session cookie with them: without
/// this check any site could open the hub as the signed-in user (cross-site WebSocket hijacking). A browser always
/// sends Origin there; a request whose Origin is neither this service's own origin nor listed in
/// <c>Hub:AllowedOrigins</c> is refused 403. Without Origin it is not a browser (the .NET SignalR client, tools), and
/// it needs its bearer token anyway.
/// </summary>
public static class HubOriginCheck
{
    public const string RefusedDetail = "Deze website (Origin) mag de live meldingen van Frontlijn niet openen.";

    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, IConfiguration configuration)
    {
        var allowed = (configuration.GetSection("Hub:AllowedOrigins").Get<string[]>() ?? [])
            .Select(Normalise).Where(o => o.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.UseWhen(c => c.Request.Path.StartsWithSegments("/hubs"), hub => hub.Use(async (context, next) =>
        {
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0)
            {
                var own = $"{context.Request.Scheme}://{context.Request.Host.Value}";
                if (!string.Equals(Normalise(origin), own, StringComparison.OrdinalIgnoreCase) && !allowed.Contains(Normalise(origin)))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails = new ProblemDetails { Status = 403, Title = "Forbidden", Detail = RefusedDetail },
                    });
                    return;
                }
            }
            await next(context);
        }));
    }

    private static string Normalise(string origin) => origin.Trim().TrimEnd('/');
}
