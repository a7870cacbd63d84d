using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// Ready = the database answers, every migration of this build has been applied and (checked until it first succeeds)
/// the data-protection key ring can be read and used — the keys of session cookies and antiforgery tokens, stored
/// encrypted in the database. ASP.NET Core's own hosted service loaded the key ring at start-up and only logged when it
/// could not (StartupDeferral removes it); here a key ring that cannot be used keeps the node out of service. Once
/// loaded, data protection refreshes it itself. An unreachable database is
/// Unhealthy (503 with Retry-After, see <see cref="DatabaseOutage.WriteHealthAsync"/>), never an exception; a probe
/// that reaches the database again ends the outage in the log and lets the pool start afresh.
/// </summary>
public sealed class DatabaseReadyCheck(DbSession db, Migrator migrator, DatabaseOutage outage, IDataProtectionProvider dataProtection,
    KeyRingState keyRing) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StartupTimeline.Mark("readiness check entered");
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
        if (pending.Count > 0) return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: {string.Join(", ", pending)}");
        if (!keyRing.Usable)
        {
            try
            {
                // Reads (or, on a new database, creates) and decrypts the key ring; a round trip proves the keys work.
                var protector = dataProtection.CreateProtector("Frontlijn.Readiness");
                if (protector.Unprotect(protector.Protect([42]))[0] != 42) return HealthCheckResult.Unhealthy("Data-protection keys unusable");
            }
            catch (Exception ex) when (DatabaseUnavailable.Is(ex) || ex is System.Data.Common.DbException or InvalidOperationException
                                           or System.Security.Cryptography.CryptographicException)
            {
                if (DatabaseUnavailable.Is(ex)) outage.Seen(ex, "readiness check");
                return HealthCheckResult.Unhealthy("Data-protection keys unusable", ex);
            }
            keyRing.Usable = true;
            StartupTimeline.Mark("readiness key ring loaded");
        }
        return HealthCheckResult.Healthy($"{db.Dialect.Provider}: schema current");
    }
}

/// <summary>Whether the key ring has been loaded once (per process; the health check itself is transient).</summary>
public sealed class KeyRingState
{
    private volatile bool _usable;

    public bool Usable
    {
        get => _usable;
        set => _usable = value;
    }
}
