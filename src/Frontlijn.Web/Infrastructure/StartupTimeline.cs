using System.Diagnostics;
using System.Runtime;

namespace Frontlijn.Web.Infrastructure;

/// <summary>
/// Where start-up time goes before the first <c>/health/ready</c> (issue 12): marks taken while the process starts,
/// written once, at Debug (category <c>Frontlijn.Startup</c>), when the first readiness answer has been sent. Each mark
/// carries the time since the process started, the methods JIT-compiled so far and the JIT's own time, so a slow phase
/// shows whether it was compiling or doing work, and the process's CPU time so far (user + system, all threads): on a
/// loaded machine wall time is mostly waiting for a core, CPU time is what the phase itself cost. A mark costs about a
/// microsecond (one getrusage); nothing is kept after the log.
/// </summary>
public static class StartupTimeline
{
    private static readonly List<(string Phase, double Ms, double CpuMs, long Methods, double JitMs)> Marks = [];
    private static readonly long ProcessStartTicks = ProcessStartUtc().Ticks;
    private static int _written;

    /// <summary>Records a phase; after the first readiness answer it does nothing (the timeline has been written).</summary>
    public static void Mark(string phase)
    {
        if (Volatile.Read(ref _written) == 1) return;
        var ms = (DateTime.UtcNow.Ticks - ProcessStartTicks) / (double)TimeSpan.TicksPerMillisecond;
        var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jit = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        var cpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        lock (Marks) Marks.Add((phase, ms, cpu, methods, jit));
    }

    /// <summary>After the first readiness answer: one Debug line per phase, one with the loaded assemblies, the heap.</summary>
    public static void Ready(IServiceProvider services)
    {
        if (Volatile.Read(ref _written) == 1) return;
        Mark("first /health/ready answered");
        if (Interlocked.Exchange(ref _written, 1) == 1) return;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Frontlijn.Startup");
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            lock (Marks) Marks.Clear();
            return;
        }
        (string Phase, double Ms, double CpuMs, long Methods, double JitMs)[] marks;
        lock (Marks)
        {
            marks = [.. Marks];
            Marks.Clear();
        }
        double previous = 0.0, previousCpu = 0.0;
        foreach (var (phase, ms, cpuMs, methods, jitMs) in marks)
        {
            logger.LogDebug("Start-up {Phase}: {Ms:F0} ms since process start (+{Delta:F0} ms), CPU {CpuMs:F0} ms (+{CpuDelta:F0} ms), {Methods} methods JIT-compiled, JIT {JitMs:F0} ms",
                phase, ms, ms - previous, cpuMs, cpuMs - previousCpu, methods, jitMs);
            previous = ms;
            previousCpu = cpuMs;
        }
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Order(StringComparer.Ordinal).ToArray();
        logger.LogDebug("Start-up: {Count} assemblies loaded: {Assemblies}", assemblies.Length, string.Join(", ", assemblies));
        var gc = GC.GetGCMemoryInfo();
        logger.LogDebug("Start-up: GC heap {HeapMb:F1} MB, committed {CommittedMb:F1} MB, server GC {Server}, concurrent {Concurrent}, conserve memory {Conserve}",
            gc.HeapSizeBytes / 1048576.0, gc.TotalCommittedBytes / 1048576.0, GCSettings.IsServerGC,
            GCSettings.LatencyMode != GCLatencyMode.Batch, AppContext.GetData("GCConserveMemory") ?? "0");
    }

    /// <summary>
    /// A mark taken while the host composes the middleware pipeline (at Kestrel's start, from the last middleware to the
    /// first): placed right before a middleware, it fires once that middleware and everything after it are built. The
    /// pipeline is unchanged (<paramref name="app"/>'s next delegate is returned as is), so a request never passes it.
    /// </summary>
    public static IApplicationBuilder MarkWhenBuilt(this IApplicationBuilder app, string phase) =>
        app.Use(next =>
        {
            Mark(phase);
            return next;
        });

    /// <summary>Marks the host's hosted-service phases: before any starts, its own turn, after all have started.</summary>
    internal sealed class HostedPhases : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            Mark("hosted services starting");
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Mark("hosted services registered before Frontlijn's started");
            return Task.CompletedTask;
        }

        public Task StartedAsync(CancellationToken cancellationToken)
        {
            Mark("all hosted services started");
            return Task.CompletedTask;
        }

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static DateTime ProcessStartUtc()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return process.StartTime.ToUniversalTime();
        }
        catch (InvalidOperationException)
        {
            return DateTime.UtcNow;
        }
    }
}
