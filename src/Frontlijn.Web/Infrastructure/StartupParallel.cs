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
