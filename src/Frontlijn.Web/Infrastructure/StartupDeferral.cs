using Microsoft.Extensions.Primitives;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Frontlijn.Web.Infrastructure;

/// <summary>
/// Start-up work that no readiness guarantee needs, moved behind the first healthy <c>/health/ready</c> (issue 12).
/// Ready promises: the database answers, every migration of this build is applied, the keys and settings that
/// protect data (BSN hash key, key-encryption key, outage settings) are present and valid, and the data-protection
/// key ring is loaded and usable — checked before Kestrel starts (<see cref="FrontlijnServices.PrepareAsync"/>) or by
/// the readiness check itself (<see cref="Data.DatabaseReadyCheck"/>; it took the key ring over from ASP.NET Core's
/// DataProtectionHostedService, which only logged a failure), never deferred.
/// What is deferred is only what builds caches on first use anyway:
/// <list type="bullet">
/// <item>the route table (every endpoint's request delegate and JSON metadata, the 79 pages' action descriptors, the
/// Prometheus endpoint, whose mapping builds the meter provider): <c>/health/*</c> is answered before routing, and the
/// endpoints that are expensive to describe are mapped through <see cref="DeferredEndpointDataSource"/>;</item>
/// <item>OpenTelemetry's meter and tracer providers (its hosted service built them at start-up).</item>
/// </list>
/// Right after the first healthy answer <see cref="WarmUp"/> builds all of it in the background, so the first real
/// request does not pay for it either (it waits for the same locks if it comes first).
/// </summary>
public static class StartupDeferral
{
    // Internal types of ASP.NET Core and OpenTelemetry, named because they cannot be referenced. If a package renames
    // one, nothing breaks: the hosted service stays and does its work before ready again (StartupDeferralTests notice).
    internal const string DataProtectionHostedService = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";
    internal const string TelemetryHostedService = "OpenTelemetry.Extensions.Hosting.Implementation.TelemetryHostedService";

    /// <summary>
    /// Removes the two hosted services whose work is done elsewhere: the key ring by the readiness check (which fails,
    /// rather than logs, when the keys cannot be used), the meter provider by <see cref="WarmUp"/> after ready.
    /// </summary>
    public static IServiceCollection DeferStartupWork(this IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var d = services[i];
            if (d.ServiceType == typeof(IHostedService) &&
                d.ImplementationType?.FullName is DataProtectionHostedService or TelemetryHostedService)
            {
                services.RemoveAt(i);
            }
        }
        services.AddSingleton<WarmUp>();
        services.AddSingleton<Data.KeyRingState>();
        return services;
    }

    /// <summary>
    /// Maps endpoints whose description is costly (action descriptors, a storage or a meter provider built by the
    /// mapping itself) when the route table is first built instead of now.
    /// </summary>
    public static void MapDeferred(this IEndpointRouteBuilder endpoints, Action<IEndpointRouteBuilder> map) =>
        endpoints.DataSources.Add(new DeferredEndpointDataSource(endpoints, map));

    // The key UseAuthorization writes into the builder's properties (AuthorizationAppBuilderExtensions); WebApplication
    // adds an authorization middleware of its own, eagerly constructed, when it does not find it.
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>
    /// <c>UseAuthorization</c>, constructed by the first request that reaches it instead of when the host starts:
    /// ASP.NET Core's authorization middleware reads every endpoint of the application in its constructor (its policy
    /// cache), which builds the whole route table — every minimal API endpoint's request delegate with its JSON
    /// metadata, the pages' action descriptors, the deferred endpoints — before Kestrel listens. Same middleware, same
    /// place in the pipeline, same behaviour per request.
    /// </summary>
    public static IApplicationBuilder UseAuthorizationOnFirstRequest(this IApplicationBuilder app)
    {
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app.Use(next =>
        {
            var authorization = new RetryingLazy<RequestDelegate>(() =>
            {
                var branch = app.New();
                branch.UseAuthorization();
                branch.Run(next);
                return branch.Build();
            });
            return context => authorization.Value(context);
        });
    }

    /// <summary>
    /// Captures the rest of the pipeline (routing onwards) at the point where it is added, so <see cref="WarmUp"/> can
    /// send one request through it; costs nothing per request.
    /// </summary>
    public static IApplicationBuilder UseWarmUpPoint(this IApplicationBuilder app)
    {
        var warmUp = app.ApplicationServices.GetRequiredService<WarmUp>();
        return app.Use(next =>
        {
            warmUp.Pipeline = next;
            return next;
        });
    }

    /// <summary>The work moved behind the first healthy readiness answer, started once by <see cref="Start"/>.</summary>
    public sealed class WarmUp(IServiceProvider services, ILogger<WarmUp> logger)
    {
        /// <summary>A path no endpoint and no middleware claims: it builds the route table and ends in a 404.</summary>
        internal const string Path = "/.frontlijn-warm-up";

        private int _started;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal RequestDelegate? Pipeline { get; set; }

        /// <summary>Completes when the warm-up has run (tests wait for it; failures are logged, never thrown).</summary>
        public Task Completion => _done.Task;

        /// <summary>Starts the warm-up in the background, the first time only.</summary>
        public void Start()
        {
            if (Interlocked.Exchange(ref _started, 1) == 1) return;
            _ = Task.Run(RunAsync);
        }

        private async Task RunAsync()
        {
            try
            {
                // Metrics first: from here on requests are counted (before, nothing listened to the meters).
                services.GetService<MeterProvider>();
                services.GetService<TracerProvider>();
                if (Pipeline is { } pipeline)
                {
                    await using var scope = services.CreateAsyncScope();
                    var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
                    context.Request.Method = HttpMethods.Get;
                    context.Request.Scheme = "http";
                    context.Request.Host = new HostString("localhost");
                    context.Request.Path = Path;
                    context.Response.Body = Stream.Null;
                    await pipeline(context);
                }
            }
#pragma warning disable CA1031 // a warm-up that fails must not take the process down; the first request retries it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Start-up warm-up failed; the first requests build what it would have built.");
            }
            finally
            {
                StartupTimeline.Mark("warm-up after ready done");
                _done.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Endpoints added by <c>map</c> on a private route builder the first time the route table asks for them. The
    /// conventions applied inside <c>map</c> (authorization, metadata) are on those endpoints as if mapped directly.
    /// </summary>
    internal sealed class DeferredEndpointDataSource(IEndpointRouteBuilder outer, Action<IEndpointRouteBuilder> map) : EndpointDataSource
    {
        private readonly RetryingLazy<EndpointDataSource> _inner = new(() =>
        {
            var builder = new Builder(outer);
            map(builder);
            StartupTimeline.Mark("deferred endpoints mapped");
            return builder.DataSources.Count == 1 ? builder.DataSources.First() : new CompositeEndpointDataSource(builder.DataSources);
        });

        public override IReadOnlyList<Endpoint> Endpoints => _inner.Value.Endpoints;

        // Asking for the change token is asking for the endpoints: routing does both when it builds its table.
        public override IChangeToken GetChangeToken() => _inner.Value.GetChangeToken();

        private sealed class Builder(IEndpointRouteBuilder outer) : IEndpointRouteBuilder
        {
            public IServiceProvider ServiceProvider => outer.ServiceProvider;

            public ICollection<EndpointDataSource> DataSources { get; } = [];

            public IApplicationBuilder CreateApplicationBuilder() => outer.CreateApplicationBuilder();
        }
    }

    /// <summary>
    /// Built once, by the first caller, under a lock; unlike <see cref="Lazy{T}"/> a failure is not kept: the next caller
    /// tries again (the route table must never stay broken because its first build met a transient error).
    /// </summary>
    private sealed class RetryingLazy<T>(Func<T> create) where T : class
    {
        private readonly Lock _gate = new();
        private T? _value;

        public T Value
        {
            get
            {
                if (Volatile.Read(ref _value) is { } value) return value;
                lock (_gate)
                {
                    if (_value is null) Volatile.Write(ref _value, create());
                    return _value!;
                }
            }
        }
    }
}
