using System.Security.Cryptography;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// Webhook secrets at rest: <c>webhook_secrets.protected_secret</c> holds the ASP.NET Core Data Protection payload of
/// the <c>whsec_</c> secret under its own purpose string, so neither a database dump nor a backup reveals a secret, and
/// a payload made for another purpose (a cookie, an antiforgery token) cannot be passed off as one. The key ring is the
/// installation's (shared by every node, itself encrypted at rest). A secret is only ever unprotected to sign a
/// delivery; the API and the pages never return one, except the single answer to "generate a secret for me".
/// </summary>
public sealed class WebhookSecretStore(IDataProtectionProvider dataProtection)
{
    /// <summary>The Data Protection purpose; a new version gets a new string (old payloads stay readable under the old one).</summary>
    public const string Purpose = "Frontlijn.Webhooks.Secret.v1";

    /// <summary>Standard Webhooks: a secret of 24 to 64 random bytes; we generate 32.</summary>
    public const int GeneratedBytes = 32;

    public const string Prefix = "whsec_";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes));

    /// <summary>Standard Webhooks form: <c>whsec_</c> and 24 to 64 bytes in base64.</summary>
    public static bool IsStandardSecret(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[Prefix.Length..], buffer, out var written) && written is >= 24 and <= 64;
    }

    internal const string InsertSql = """
        INSERT INTO webhook_secrets (id, organisation_id, protected_secret, created_at)
        VALUES (@id, @organisationId, @protectedSecret, @now)
        """;

    /// <summary>Oldest first, so the signature header lists the secrets in the order they were added.</summary>
    internal const string ActiveSql = """
        SELECT protected_secret
        FROM webhook_secrets
        WHERE organisation_id = @organisationId AND removed_at IS NULL
        ORDER BY created_at, id
        """;

    /// <summary>Stores <paramref name="secret"/> protected, inside the caller's unit of work; returns the new id.</summary>
    public async Task<Guid> AddAsync(DbSession db, Guid organisationId, string secret, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(now);
        await db.ExecuteAsync(InsertSql, new { id, organisationId, protectedSecret = Protect(secret), now }, ct);
        return id;
    }

    /// <summary>Every active secret of the organisation, in plaintext, for signing one delivery.</summary>
    public async Task<IReadOnlyList<string>> ActiveAsync(DbSession db, Guid organisationId, CancellationToken ct) =>
        (await db.QueryAsync<string>(ActiveSql, new { organisationId }, ct)).Select(Unprotect).ToList();

    internal const string PlaintextSql = "SELECT id, webhook_secret FROM organisations WHERE webhook_secret IS NOT NULL";

    // Conditional on the value still being there, so two nodes starting at once move each secret once.
    internal const string ClearPlaintextSql =
        "UPDATE organisations SET webhook_secret = NULL WHERE id = @id AND webhook_secret = @webhookSecret";

    private sealed record PlaintextRow
    {
        public Guid Id { get; init; }
        public string WebhookSecret { get; init; } = "";
    }

    /// <summary>
    /// Start-up step for installations from before migration 0009, where <c>organisations.webhook_secret</c> held the
    /// plaintext: each one is protected, moved to <c>webhook_secrets</c> and erased from the old column, one transaction
    /// per organisation. Afterwards the old column is always NULL (nothing writes it any more).
    /// </summary>
    public async Task<int> ProtectPlaintextSecretsAsync(IServiceProvider services, TimeProvider time, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var rows = (await db.QueryAsync<PlaintextRow>(PlaintextSql, ct: ct)).ToList();
        var moved = 0;
        foreach (var row in rows)
        {
            await db.BeginAsync(ct);
            if (await db.ExecuteAsync(ClearPlaintextSql, new { row.Id, row.WebhookSecret }, ct) == 1)
            {
                await AddAsync(db, row.Id, row.WebhookSecret, time.GetUtcNow(), ct);
                moved++;
            }
            await db.CommitAsync(ct);
        }
        return moved;
    }
}
