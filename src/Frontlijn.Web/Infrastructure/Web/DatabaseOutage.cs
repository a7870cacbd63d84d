using System.Diagnostics.Metrics;
using System.Globalization;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// What the service does while the database cannot be reached (<see cref="DatabaseUnavailable"/>): every endpoint
/// answers 503 with <c>Retry-After</c> — problem+json for machines, a Dutch page for people — and never 500; the
/// outage is logged once when it starts, then summarised every <see cref="SummaryInterval"/> instead of one error
/// with a stack trace per request; idle pooled connections are dropped so that the first requests after the database
/// is back do not fail on dead sockets. Singleton: the throttles are per process.
/// <para><c>Database:RetryAfterSeconds</c> (default 5, 1–3600): the <c>Retry-After</c> value. Short, because outages
/// are usually a failover or a restart of a few seconds; clients and browsers retry by themselves.</para>
/// </summary>
public sealed class DatabaseOutage(DatabaseSettings database, int retryAfterSeconds, ILogger<DatabaseOutage> logger)
{
    // Real elapsed time for the throttles, not the injected TimeProvider: that is business time, which tests move.
    private static readonly TimeProvider Time = TimeProvider.System;

    public const int DefaultRetryAfterSeconds = 5;
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PoolClearInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan QuietBeforeRecovered = TimeSpan.FromSeconds(2);

    public const string Title = "Service Unavailable";
    public const string Detail =
        "De database is tijdelijk niet bereikbaar. Er is niets gewijzigd; probeer het over enkele seconden opnieuw.";

    private static readonly Meter Meter = new(Telemetry.Name);
    private static readonly Counter<long> Unavailable = Meter.CreateCounter<long>(
        "frontlijn.database.unavailable", "{failure}", "Requests and checks that failed because the database was unreachable");

    private readonly Lock _lock = new();
    private long _since = -1;            // timestamp of the first failure of the current outage, -1 when none
    private long _lastSummary;
    private long _lastFailure;
    private long _lastPoolClear = long.MinValue;
    private int _failures;
    private int _failuresSinceSummary;

    public int RetryAfterSeconds => retryAfterSeconds;

    public static DatabaseOutage Create(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var seconds = configuration.GetValue("Database:RetryAfterSeconds", DefaultRetryAfterSeconds);
        if (seconds is < 1 or > 3600)
        {
            throw new InvalidOperationException($"Database:RetryAfterSeconds must be between 1 and 3600 (was {seconds}).");
        }
        return new DatabaseOutage(services.GetRequiredService<DatabaseSettings>(), seconds,
            services.GetRequiredService<ILogger<DatabaseOutage>>());
    }

    /// <summary>Records one failure caused by the outage: metric, throttled log line, throttled pool clear.</summary>
    public void Seen(Exception exception, string where)
    {
        Unavailable.Add(1, new KeyValuePair<string, object?>("provider", database.Provider.ToString().ToLowerInvariant()));
        var now = Time.GetTimestamp();
        bool first, summary, clear;
        int failures, recent;
        lock (_lock)
        {
            first = _since < 0;
            if (first)
            {
                _since = now;
                _lastSummary = now;
                _failures = 0;
                _failuresSinceSummary = 0;
            }
            _failures++;
            _failuresSinceSummary++;
            _lastFailure = now;
            summary = !first && Time.GetElapsedTime(_lastSummary, now) >= SummaryInterval;
            if (summary) _lastSummary = now;
            failures = _failures;
            recent = _failuresSinceSummary;
            if (summary) _failuresSinceSummary = 0;
            clear = _lastPoolClear == long.MinValue || Time.GetElapsedTime(_lastPoolClear, now) >= PoolClearInterval;
            if (clear) _lastPoolClear = now;
        }
        if (first)
        {
            // Once, with the exception: the operator needs the cause (refused, timed out, shut down, ...), not 20,000 copies.
            logger.LogError(exception, "Database ({Provider}) unreachable ({Where}): answering 503 with Retry-After {RetryAfter} s until it is back",
                database.Provider, where, retryAfterSeconds);
        }
        else if (summary)
        {
            logger.LogWarning("Database ({Provider}) still unreachable: {Recent} failures in the last {Interval} s, {Total} since the outage began ({Reason})",
                database.Provider, recent, (int)SummaryInterval.TotalSeconds, failures, exception.GetType().Name + ": " + exception.Message);
        }
        if (clear)
        {
            DatabaseUnavailable.ClearPools(database.Provider, exception);
        }
    }

    /// <summary>
    /// The database answered (the readiness check): ends the current outage, if any, with one log line — once no
    /// failure has been seen for <see cref="QuietBeforeRecovered"/>. A database that answers reads but refuses writes
    /// (SQLite with its write lock held elsewhere) or flaps is not "back" at its first good answer.
    /// </summary>
    public void Answered()
    {
        long since;
        int failures;
        lock (_lock)
        {
            if (_since < 0 || Time.GetElapsedTime(_lastFailure) < QuietBeforeRecovered) return;
            since = _since;
            failures = _failures;
            _since = -1;
            _lastPoolClear = long.MinValue;
        }
        logger.LogWarning("Database ({Provider}) reachable again after {Seconds:0.0} s and {Failures} failed requests or checks",
            database.Provider, Time.GetElapsedTime(since).TotalSeconds, failures);
    }

    /// <summary>Answers 503 with Retry-After: problem+json on machine paths, a self-contained Dutch page for people.</summary>
    public async Task WriteAsync(HttpContext context, IProblemDetailsService problems)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (WebConventions.IsMachinePath(context.Request.Path))
        {
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = 503, Title = Title, Detail = Detail },
            });
            return;
        }
        // Not the Razor error page: re-executing it would run authentication again, which needs the database
        // (session check, user lookup) and would fail the same way — the framework then gives up with a bare 500.
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Page(retryAfterSeconds), context.RequestAborted);
    }

    internal static string Page(int retryAfterSeconds) => $$"""
        <!DOCTYPE html>
        <html lang="nl">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tijdelijk niet beschikbaar · Frontlijn</title>
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/css/site.css">
        </head>
        <body>
            <a class="skip-link" href="#inhoud">Naar de inhoud</a>
            <header class="site-header">
                <div class="header-bar">
                    <a class="brand" href="/"><span>Frontlijn</span></a>
                </div>
            </header>
            <main id="inhoud" class="content" tabindex="-1">
                <h1>Frontlijn is tijdelijk niet beschikbaar</h1>
                <p class="lead">De database is op dit moment niet bereikbaar. Uw laatste handeling is niet uitgevoerd en er is niets gewijzigd.</p>
                <p>Probeer het over {{retryAfterSeconds}} seconden opnieuw: ga terug en herhaal uw handeling, of vernieuw deze pagina. Blijft dit zo, neem dan contact op met de functioneel beheerder.</p>
                <p><a class="button" href="/">Naar het overzicht</a></p>
            </main>
            <footer class="site-footer">
                <p>Frontlijn — één huishouden, één contactpersoon.</p>
            </footer>
        </body>
        </html>
        """;

    /// <summary>
    /// <c>/health/ready</c>'s answer: the standard status text, plus <c>Retry-After</c> when it is not healthy, so a
    /// probe or load balancer that reads it knows when to look again.
    /// </summary>
    public static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy)
        {
            var outage = context.RequestServices.GetRequiredService<DatabaseOutage>();
            context.Response.Headers.RetryAfter = outage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }
}
