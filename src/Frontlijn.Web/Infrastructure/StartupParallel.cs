using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace Frontlijn.Web.Infrastructure;

/// <summary>
/// Start-up work that needs neither the database nor the pipeline, started on a thread-pool thread as soon as the host
/// is built, so that a second core does it while the main thread checks keys and migrations (issue 12; profile in
/// docs/features/performance-work.md, "startup4").
/// </summary>
/// <remarks>
/// Razor Pages' action descriptors were the largest single step before the first ready answer (about a quarter of the
/// CPU to ready): <c>MapRazorPages</c> makes MVC read the compiled-page attributes of the 79 pages, load their types and
/// build a route model per page. Nothing is deferred: the task is awaited before the endpoints are mapped, so the work
/// still happens before Kestrel listens (the same CPU, earlier and alongside the database work) and an exception still
/// stops the start. The collection provider initialises under its own lock, so a concurrent <c>MapRazorPages</c> would
/// wait for it rather than build it twice.
/// </remarks>
internal static class StartupParallel
{
    public static Task BuildPageDescriptorsAsync(IServiceProvider services) => Task.Run(() =>
    {
        _ = services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors;
        StartupTimeline.Mark("Razor Pages descriptors built (in parallel with the database checks)");
    });
}

/// <summary>
/// Once, right after the first healthy <c>/health/ready</c> answer: one compacting, decommitting collection, so the
/// garbage of start-up (configuration binding, descriptors, route table, key ring XML) is returned to the operating
/// system instead of sitting in the first generation's budget until the first collection happens to run.
/// </summary>
/// <remarks>
/// Measured (docs/features/performance-work.md, "startup4"): without it an idle node keeps ~27 MB of GC memory
/// committed for a ~14 MB heap, because workstation GC sizes the first generation from the L3 cache (32 MB here:
/// a ~16 MB budget) and start-up allocates less than that, so no collection runs before the node is idle. It runs on a
/// thread-pool thread after the answer is sent; it is one blocking collection of a small heap (milliseconds), never
/// repeated. Under load the GC grows its budget again: this lowers idle memory, not the memory of a busy node.
/// </remarks>
internal static class StartupMemory
{
    private static int _released;

    public static void ReleaseOnceAfterReady()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        ThreadPool.UnsafeQueueUserWorkItem(static _ =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }, null);
    }
}
