using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>Ready = the database answers and every migration of this build has been applied.</summary>
public sealed class DatabaseReadyCheck(DbSession db, Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.ExecuteScalarAsync<int>("SELECT 1", ct: cancellationToken);
            var pending = migrator.Pending();
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{db.Dialect.Provider}: schema current")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: {string.Join(", ", pending)}");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable", ex);
        }
    }
}
