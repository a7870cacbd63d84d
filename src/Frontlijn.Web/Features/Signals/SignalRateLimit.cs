using System.Globalization;
using System.Threading.RateLimiting;
using Frontlijn.Web.Infrastructure.Auth;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// Signals are rate limited per Frontlijn user (SPEC "Signals: no oracle"): at most <c>Signals:PerUserPerHour</c>
/// (default 30) in any hour, so that nobody walks a street or a list of BSNs through POST /signals. Above it: 429
/// problem+json with <c>Retry-After</c> (seconds until the oldest counted signal leaves the hour). The first refusal of
/// a burst notifies team leads once (<see cref="NotifySignalBurst"/>); the burst ends when a signal of that user is
/// accepted again.
/// <para>
/// ASP.NET Core's rate-limiting middleware, partitioned by the user id that authentication put in the claims (the
/// middleware runs after authentication and authorization, so an anonymous caller is refused before it is counted). The
/// window is a sliding hour on the injected <see cref="TimeProvider"/>, so tests move the clock instead of waiting.
/// State is per node (memory): behind a load balancer with N nodes a user may send up to N times the limit.
/// </para>
/// </summary>
public static class SignalRateLimit
{
    public const string Policy = "signals-per-user";

    public static IServiceCollection AddSignalRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perHour = configuration.GetValue("Signals:PerUserPerHour", 30);
        if (perHour < 1)
        {
            throw new InvalidOperationException("Signals:PerUserPerHour must be at least 1.");
        }
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context =>
            {
                var userId = context.User.FindFirst(FrontlijnClaims.UserId)?.Value;
                if (userId is null)
                {
                    // Not a Frontlijn user: the endpoint's authorization has refused it already; nothing to count.
                    return RateLimitPartition.GetNoLimiter("");
                }
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                return RateLimitPartition.Get(userId, _ => new SlidingHourLimiter(perHour, TimeSpan.FromHours(1), time));
            });
            options.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromHours(1);
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        if (context.Lease.TryGetMetadata(SlidingHourLimiter.BurstNotice, out var claim) && claim is not null && claim() &&
            http.User.FindFirst(FrontlijnClaims.UserId)?.Value is { } id && Guid.TryParse(id, out var senderId))
        {
            try
            {
                await http.RequestServices.GetRequiredService<IMediator>().Send(new NotifySignalBurst.Command(senderId), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The refusal stands; a lost burst notice must not turn a 429 into a 500.
                http.RequestServices.GetRequiredService<ILogger<NotifySignalBurst.Command>>()
                    .LogWarning(ex, "The team leads could not be notified of a burst of signals");
            }
        }

        // The browser's signal form (Pages/Signals/Send) gets its form back with the wait in Dutch, not a problem+json.
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = "/signalen/melden?wacht=" + seconds.ToString(CultureInfo.InvariantCulture);
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = $"U heeft het maximum aantal signalen per uur bereikt. Probeer het over {seconds} seconden opnieuw; " +
                         "is er acuut gevaar, bel dan het Veilig Thuis- of alarmnummer.",
            },
        });
    }
}

/// <summary>
/// At most <c>limit</c> permits in any window (a sliding log of the accepted permits' times), on a
/// <see cref="TimeProvider"/>. No queue: a refusal answers at once with the time until a permit frees up.
/// A burst is the run of refusals between two accepted permits; every refused lease carries <see cref="BurstNotice"/>,
/// which answers true exactly once per burst. (Once per burst, not per lease: the middleware asks twice for one
/// request, first AttemptAcquire and then AcquireAsync, and only the caller knows which lease it finally refuses with.)
/// </summary>
internal sealed class SlidingHourLimiter(int limit, TimeSpan window, TimeProvider time) : RateLimiter
{
    public static readonly MetadataName<Func<bool>> BurstNotice = new("FRONTLIJN_BURST_NOTICE");

    private readonly Queue<DateTimeOffset> _accepted = new();
    private readonly Lock _lock = new();
    private bool _inBurst;
    private bool _burstNoticed;
    private long _totalAccepted;
    private long _totalRefused;

    // Null while anything is counted: the partitioned limiter disposes a partition that is idle for a while, which
    // must never forget permits that still count.
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                Trim(now);
                return _accepted.Count == 0 && !_inBurst ? TimeSpan.FromHours(1) : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            Trim(time.GetUtcNow());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = limit - _accepted.Count,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _totalAccepted,
                TotalFailedLeases = _totalRefused,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, limit);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Trim(now);
            if (_accepted.Count + permitCount <= limit)
            {
                for (var i = 0; i < permitCount; i++) _accepted.Enqueue(now);
                _inBurst = false;
                _totalAccepted++;
                return Lease.Accepted;
            }
            _totalRefused++;
            if (!_inBurst)
            {
                _inBurst = true;
                _burstNoticed = false;
            }
            // The permit that frees up first: the oldest that would make room for permitCount.
            var freeing = _accepted.ElementAt(_accepted.Count + permitCount - limit - 1);
            return new Lease(false, freeing + window - now, ClaimBurstNotice);
        }
    }

    /// <summary>True for the first caller of the current burst, false for every later one.</summary>
    private bool ClaimBurstNotice()
    {
        lock (_lock)
        {
            if (!_inBurst || _burstNoticed) return false;
            _burstNoticed = true;
            return true;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Trim(DateTimeOffset now)
    {
        while (_accepted.Count > 0 && _accepted.Peek() + window <= now) _accepted.Dequeue();
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter, Func<bool>? burstNotice) : RateLimitLease
    {
        public static readonly Lease Accepted = new(true, null, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames =>
            acquired ? [] : [MetadataName.RetryAfter.Name, BurstNotice.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (!acquired && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }
            if (!acquired && metadataName == BurstNotice.Name)
            {
                metadata = burstNotice;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
