using System.Diagnostics.Metrics;
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
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }
        return services;
    }
}
