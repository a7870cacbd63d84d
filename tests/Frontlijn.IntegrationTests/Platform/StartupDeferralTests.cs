using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>
/// Issue 12: what no readiness guarantee needs is built after the first healthy <c>/health/ready</c> (the route table,
/// the meter provider); what ready promises — database reachable, this build's migrations applied, a usable key ring —
/// is true when it first answers 200, and a 503 starts nothing.
/// </summary>
public sealed class StartupDeferralTests
{
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(60);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task KeyRingIsLoadedBeforeServing_MetricsAndRoutesAreBuiltAfterTheFirstReadyAnswer_AndEverythingServes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var warmUp = app.Services.GetRequiredService<StartupDeferral.WarmUp>();
        var hosted = app.Services.GetServices<IHostedService>().Select(h => h.GetType().FullName).ToList();
        Assert.DoesNotContain(StartupDeferral.DataProtectionHostedService, hosted);
        Assert.DoesNotContain(StartupDeferral.TelemetryHostedService, hosted);
        // The key ring was created before Kestrel started (a request must never create the first key: on SQLite it
        // would wait for its own write lock), and nothing else ran yet.
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
        Assert.True(app.Services.GetRequiredService<Frontlijn.Web.Infrastructure.Data.KeyRingState>().Usable);
        Assert.False(warmUp.Completion.IsCompleted);

        using var ready = await app.ClientFor(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal("no-store", ready.Headers.CacheControl?.ToString());
        // Health is answered before routing but after the security headers, as before.
        Assert.Equal("nosniff", ready.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
        await warmUp.Completion.WaitAsync(WarmUpLimit);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Category.EndsWith("WarmUp", StringComparison.Ordinal));
        // The deferred endpoints serve: an API call is counted by the meter provider the warm-up built, a page renders,
        // the dashboard is there (for an admin).
        using var teams = await app.ClientFor("admin").GetAsync("/api/v1/teams");
        Assert.Equal(HttpStatusCode.OK, teams.StatusCode);
        using var metrics = await app.ClientFor("admin").GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var exposition = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("frontlijn_mediator_duration", exposition, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/api/v1/teams\"", exposition, StringComparison.Ordinal);
        using var signIn = await app.ClientFor(null).GetAsync("/geen-toegang");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("<html", await signIn.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var hangfire = await app.ClientFor("admin").GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, hangfire.StatusCode);
        using var anonymousHangfire = await app.ClientFor(null).GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousHangfire.StatusCode);
    }

    /// <summary>
    /// A node started without migrating (Database:MigrateOnStartup=false, migrations as a release step) on a database
    /// that lacks one of this build's scripts: its first readiness answer is 503, the warm-up does not start, and once
    /// the script is recorded the next answer is 200 and the warm-up runs.
    /// </summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FirstReadyAnswer_Is503_WhileAMigrationIsPending_AndStartsNothing(string provider)
    {
        await using var first = await TestApp.StartAsync(provider);
        var latest = await first.ScalarAsync<string>("SELECT MAX(scriptname) FROM schemaversions");
        await first.ScalarAsync<object?>("UPDATE schemaversions SET scriptname = 'hidden-by-test' WHERE scriptname = @latest", new { latest });
        await using var node = TestApp.StartNode(first, new Dictionary<string, string> { ["Database:MigrateOnStartup"] = "false" });
        var warmUp = node.Services.GetRequiredService<StartupDeferral.WarmUp>();

        using var pending = await node.ClientFor(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pending.StatusCode);
        Assert.Equal("Unhealthy", await pending.Content.ReadAsStringAsync());
        Assert.True(pending.Headers.Contains("Retry-After"));
        await Task.Delay(500);
        Assert.False(warmUp.Completion.IsCompleted);

        await first.ScalarAsync<object?>("UPDATE schemaversions SET scriptname = @latest WHERE scriptname = 'hidden-by-test'", new { latest });
        using var ready = await node.ClientFor(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await warmUp.Completion.WaitAsync(WarmUpLimit);
    }
}
