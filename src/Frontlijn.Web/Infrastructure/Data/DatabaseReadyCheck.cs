using Frontlijn.Web.Infrastructure.Web;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// Ready = the database answers and every migration of this build has been applied. An unreachable database is
/// Unhealthy (503 with Retry-After, see <see cref="DatabaseOutage.WriteHealthAsync"/>), never an exception; a probe
/// that reaches the database again ends the outage in the log and lets the pool start afresh.
/// </summary>
public sealed class DatabaseReadyCheck(DbSession db, Migrator migrator, DatabaseOutage outage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StartupTimeline.Mark("readiness check entered (routing built)");
        try
        {
            await db.ExecuteScalarAsync<int>("SELECT 1", ct: cancellationToken);
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex) || ex is System.Data.Common.DbException or InvalidOperationException)
        {
            if (DatabaseUnavailable.Is(ex)) outage.Seen(ex, "readiness check");
            return HealthCheckResult.Unhealthy("Database unreachable", ex);
        }
        outage.Answered();
        StartupTimeline.Mark("readiness database round trip");
        var pending = migrator.Pending();
        return pending.Count == 0
            ? HealthCheckResult.Healthy($"{db.Dialect.Provider}: schema current")
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: {string.Join(", ", pending)}");
    }
}
