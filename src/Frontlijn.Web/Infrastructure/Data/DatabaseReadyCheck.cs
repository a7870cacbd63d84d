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
                keyRing.Load(dataProtection);
            }
            catch (Exception ex) when (KeyRingState.IsLoadFailure(ex))
            {
                if (DatabaseUnavailable.Is(ex)) outage.Seen(ex, "readiness check");
                return HealthCheckResult.Unhealthy("Data-protection keys unusable", ex);
            }
        }
        return HealthCheckResult.Healthy($"{db.Dialect.Provider}: schema current");
    }
}

/// <summary>
/// Whether the key ring has been loaded once (per process; the health check itself is transient). PrepareAsync loads
/// it before Kestrel starts, as ASP.NET Core's hosted service did: a request must never be the one that creates the
/// first key, because on SQLite it would write the key on a second connection while its own transaction holds the
/// write lock (a request that protects a webhook secret waited 30 s for itself). If that load fails, the readiness
/// check retries it and answers 503 until it succeeds.
/// </summary>
public sealed class KeyRingState
{
    private volatile bool _usable;

    public bool Usable => _usable;

    /// <summary>Reads (or, on a new database, creates) and decrypts the key ring; a round trip proves the keys work.</summary>
    public void Load(IDataProtectionProvider dataProtection)
    {
        var protector = dataProtection.CreateProtector("Frontlijn.Readiness");
        if (protector.Unprotect(protector.Protect([42]))[0] != 42)
        {
            throw new System.Security.Cryptography.CryptographicException("Data-protection round trip returned other data.");
        }
        _usable = true;
        StartupTimeline.Mark("key ring loaded");
    }

    public static bool IsLoadFailure(Exception ex) =>
        DatabaseUnavailable.Is(ex) || ex is System.Data.Common.DbException or InvalidOperationException
            or System.Security.Cryptography.CryptographicException;
}
