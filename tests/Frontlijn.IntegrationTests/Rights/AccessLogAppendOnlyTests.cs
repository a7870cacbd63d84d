using System.Data.Common;
using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Rights;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Rights;

/// <summary>
/// The access log is append-only at the database (migration 0012), whatever the service's code does: an UPDATE or a
/// DELETE sent on the service's own connection fails in the database and changes nothing. Its own retention
/// (Retention:AccessLogYears, 5) goes through the one narrow path, and that path deletes only what is old enough.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class AccessLogAppendOnlyTests(ProviderApps apps)
{
    private static async Task<Guid> HouseholdWithLogAsync(TestApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await app.ClientFor(s.Coach).GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
        return household;
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task UpdateAndDelete_OnTheAccessLog_AreRefusedByTheDatabase(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var household = await HouseholdWithLogAsync(app);
        var rows = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household });
        Assert.True(rows >= 2, $"expected the registration and the read in the log, found {rows}");

        var statements = new List<string>
        {
            "UPDATE access_log SET action = 'forged' WHERE household_id = @household",
            "UPDATE access_log SET result = 'success'",
            "DELETE FROM access_log WHERE household_id = @household",
            "DELETE FROM access_log",
        };
        if (provider == Providers.Postgres) statements.Add("TRUNCATE access_log");
        foreach (var sql in statements)
        {
            var refused = await Assert.ThrowsAnyAsync<DbException>(() => app.ScalarAsync<int>(sql, new { household }));
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(rows, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE action = 'forged'"));
        // Appending still works: a read is logged.
        var s = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log");
        await app.ClientFor("coach.anna").GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s + 1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RetentionSweep_DeletesOnlyRowsOlderThanFiveYears_AndLogsThePurge(string provider)
    {
        // Its own app: the clock moves five years ahead.
        await using var app = await TestApp.StartAsync(provider);
        var household = await HouseholdWithLogAsync(app);
        var old = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log");
        var start = app.Clock.GetUtcNow();

        // Four years on, a newer read.
        app.Clock.SetUtcNow(start.AddYears(4));
        await app.ClientFor("coach.anna").GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);

        // Five years and a day after the first rows: those go, the newer one stays, and the purge is in the log.
        app.Clock.SetUtcNow(start.AddYears(5).AddDays(1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<RetentionSweep>().RunAsync(CancellationToken.None);
            Assert.Equal(old, outcome.AccessLogRowsDeleted);
        }
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household }));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE action = 'purge' AND object_type = 'access-log'"));
        // The guard is closed again afterwards: a plain DELETE is refused as before.
        await Assert.ThrowsAnyAsync<DbException>(() => app.ScalarAsync<int>("DELETE FROM access_log"));
        if (provider == Providers.Sqlite)
        {
            Assert.Null(await app.ScalarAsync<string?>("SELECT delete_before FROM access_log_retention_guard WHERE id = 1"));
        }
    }
}
