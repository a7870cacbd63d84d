using System.Diagnostics.Metrics;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Frontlijn.Web.Infrastructure;

/// <summary>
/// Metrics (Prometheus at <c>/metrics</c>) and traces (OTLP, only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set) of
/// the service. Tags carry message type names and outcomes, never personal data.
/// </summary>
public static class Telemetry
{
    public const string Name = "Frontlijn";

    private static readonly Meter Meter = new(Name);

    /// <summary>Duration of every mediator message, tagged with its type and outcome (ok, refused, error).</summary>
    public static readonly Histogram<double> MessageDuration =
        Meter.CreateHistogram<double>("frontlijn.mediator.duration", "ms", "Time to handle a mediator message");

    public static IServiceCollection AddFrontlijnTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otel = services.AddOpenTelemetry();
        otel.WithMetrics(m => m
            .AddMeter(Name)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(t => t
                .AddSource(Name)
                // A reply link's token is a credential: its path never reaches a trace (Features/ReplyLinks).
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, request) =>
                {
                    if (request.Path.StartsWithSegments("/antwoord"))
                    {
                        activity.SetTag("url.path", "/antwoord/{token}");
                        activity.DisplayName = $"{request.Method} /antwoord/{{token}}";
                    }
                })
                .AddOtlpExporter());
        }
        return services;
    }

    /// <summary>Enforces <see cref="ManagementPort"/> (nothing to do when <c>Management:Port</c> is unset).</summary>
    public static IApplicationBuilder UseManagementPort(this WebApplication app)
    {
        var settings = ManagementPort.FromConfiguration(app.Configuration);
        if (settings.Port is null) return app;
        return app.Use(async (context, next) =>
        {
            if (settings.Serves(context.Connection.LocalPort, context.Request.Path))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = 404, Title = "Not Found", Detail = "Deze resource bestaat niet op deze poort.",
                },
            });
        });
    }

    /// <summary>
    /// <c>/metrics</c>. With <c>Management:Port</c> it is served on that port only (see <see cref="ManagementPort"/>) and
    /// open to the scraper there, as Prometheus expects; without it, it shares the public port and is for admins only:
    /// request rates per endpoint and status are reconnaissance for an attacker and nobody else's business.
    /// </summary>
    public static WebApplication MapFrontlijnMetrics(this WebApplication app)
    {
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (ManagementPort.FromConfiguration(app.Configuration).Port is null)
        {
            metrics.RequireAuthorization(Policies.Admin);
        }
        else
        {
            metrics.AllowAnonymous();
        }
        return app;
    }
}

/// <summary>
/// <c>Management:Port</c> (optional): the port of the operators' pages — <c>/metrics</c>, <c>/hangfire</c> and
/// <c>/api/reference</c>. When it is set they are served on that port only, decided by the port the connection
/// arrived on (never by the Host header, which the client chooses); the public port answers 404 for them, and the
/// management port answers 404 for everything else except <c>/health/*</c> and the OpenAPI document the reference page
/// reads. The port must also be bound (add it to <c>urls</c>, e.g. <c>http://+:8080;http://+:9090</c>) and should be
/// reachable from the operators' network only.
/// </summary>
public sealed record ManagementPort(int? Port)
{
    public const string Key = "Management:Port";

    public static ManagementPort FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) return new ManagementPort((int?)null);
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ||
            port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{Key} '{text}' is not a TCP port (1-65535).");
        }
        return new ManagementPort(port);
    }

    /// <summary>The operators' pages.</summary>
    public static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/hangfire") || path.StartsWithSegments("/api/reference");

    /// <summary>What the management port serves besides the operators' pages.</summary>
    private static bool AlsoOnManagementPort(PathString path) =>
        path.StartsWithSegments("/health") || path.Equals(OpenApiConventions.DocumentPath, StringComparison.Ordinal);

    /// <summary>Whether a request on <paramref name="localPort"/> for <paramref name="path"/> is served at all.</summary>
    public bool Serves(int localPort, PathString path) =>
        Port is not { } management ||
        (localPort == management
            ? IsManagementPath(path) || AlsoOnManagementPort(path)
            : !IsManagementPath(path));

}
