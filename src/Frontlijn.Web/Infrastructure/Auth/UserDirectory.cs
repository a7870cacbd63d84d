using System.Runtime.ExceptionServices;
using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using System.IdentityModel.Tokens.Jwt;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// Finds the Frontlijn user behind a validated token or cookie. Demo mode: by username (<c>sub</c> of our own demo
/// tokens). OIDC mode: by the token's issuer and subject (<see cref="AuthSettings.SubjectClaim"/>), never by
/// <c>preferred_username</c>, which an identity provider may let people change. Only two cases bind an unbound user by
/// <c>preferred_username</c> (the first sign-in writes the issuer and subject, later sign-ins match on those only):
/// <see cref="AuthSettings.BindByUsername"/>, and the <see cref="AuthSettings.BootstrapAdmin"/> (so a fresh
/// installation's first admin gets in; exactly once, as the bound admin is matched by subject from then on).
/// One lookup per principal per request: the bearer handler's check and the claims transformation share it; and across
/// requests the <see cref="UserCache"/> answers for <c>Auth:UserCacheSeconds</c> unless the service changed the user.
/// </summary>
public sealed class UserDirectory(DbSession db, AuthSettings settings, ResidentDirectory residents, UserCache cache)
{
    internal const string ByUsernameSql = """
        SELECT id, role, team_id, organisation_id, display_name, deactivated_at
        FROM users
        WHERE username = @username
        """;

    internal const string BySubjectSql = """
        SELECT id, role, team_id, organisation_id, display_name, deactivated_at
        FROM users
        WHERE external_issuer = @issuer AND external_subject = @subject
        """;

    // Only a user nobody is bound to yet, and only while active; adminOnly limits it to the bootstrap admin's row.
    internal const string BindSql = """
        UPDATE users SET external_issuer = @issuer, external_subject = @subject
        WHERE username = @username AND external_subject IS NULL AND deactivated_at IS NULL
          AND (@adminOnly = 0 OR role = 'admin')
        """;

    public sealed record UserRow
    {
        public Guid Id { get; init; }
        public string Role { get; init; } = "";
        public Guid? TeamId { get; init; }
        public Guid? OrganisationId { get; init; }
        public string DisplayName { get; init; } = "";
        public DateTimeOffset? DeactivatedAt { get; init; }
        public bool IsActive => DeactivatedAt is null;
    }

    private readonly Dictionary<ClaimsPrincipal, UserRow?> _resolved = new(ReferenceEqualityComparer.Instance);

    /// <summary>The user this principal is, or null (unknown, or not yet bound). Deactivated users are returned with
    /// <see cref="UserRow.DeactivatedAt"/> set: callers refuse them.</summary>
    public async Task<UserRow?> ResolveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (_resolved.TryGetValue(principal, out var known)) return known;
        // A resident's token or cookie is never a staff user, whatever its sub or preferred_username says (a BSN could
        // be someone's username; a resident provider's account could be named like a coach).
        if (residents.IsResidentPrincipal(principal))
        {
            _resolved[principal] = null;
            return null;
        }
        if (_unavailable.TryGetValue(principal, out var failed)) ExceptionDispatchInfo.Throw(failed);
        var key = CacheKey(principal);
        if (key is not null && cache.TryGet(key, out var cached))
        {
            _resolved[principal] = cached;
            return cached;
        }
        // Taken before the read: should the user be changed (and invalidated) while we read, what we read is not kept.
        var generation = cache.Generation;
        UserRow? user;
        try
        {
            user = settings.Mode == AuthMode.Demo
                ? await ByUsernameAsync(principal, ct)
                : await BySubjectAsync(principal, ct);
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex))
        {
            // Remembered for this request, so the claims transformation fails the same way without a second attempt.
            _unavailable[principal] = ex;
            throw;
        }
        // Only users that exist: "unknown" is never remembered, so a user created or bound a moment later is found.
        if (user is not null && key is not null) cache.Store(key, user, generation);
        _resolved[principal] = user;
        return user;
    }

    /// <summary>What the lookup is by: the username (demo) or the validated issuer and subject (oidc).</summary>
    private string? CacheKey(ClaimsPrincipal principal)
    {
        if (settings.Mode == AuthMode.Demo)
        {
            return UserClaimsTransformation.Username(principal) is { } username ? "u\n" + username : null;
        }
        return ExternalIdentity(principal, settings) is var (issuer, subject) ? "s\n" + issuer + "\n" + subject : null;
    }

    private readonly Dictionary<ClaimsPrincipal, Exception> _unavailable = new(ReferenceEqualityComparer.Instance);

    private async Task<UserRow?> ByUsernameAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var username = UserClaimsTransformation.Username(principal);
        return username is null ? null : await db.QuerySingleOrDefaultAsync<UserRow>(ByUsernameSql, new { username }, ct);
    }

    private async Task<UserRow?> BySubjectAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (ExternalIdentity(principal, settings) is not var (issuer, subject)) return null;
        var user = await db.QuerySingleOrDefaultAsync<UserRow>(BySubjectSql, new { issuer, subject }, ct);
        if (user is not null) return user;

        var username = principal.FindFirstValue("preferred_username")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(username)) return null;
        var isBootstrapAdmin = settings.BootstrapAdmin is { Length: > 0 } bootstrap && bootstrap == username;
        if (!settings.BindByUsername && !isBootstrapAdmin) return null;
        try
        {
            var adminOnly = settings.BindByUsername ? 0 : 1;
            if (await db.ExecuteAsync(BindSql, new { issuer, subject, username, adminOnly }, ct) == 0) return null;
        }
        catch (System.Data.Common.DbException ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            // The same person signed in twice at once and the other request bound them: read what it wrote.
        }
        return await db.QuerySingleOrDefaultAsync<UserRow>(BySubjectSql, new { issuer, subject }, ct);
    }

    /// <summary>Issuer and subject of a principal made from a validated token (bearer) or ID token (cookie). The
    /// handlers stamp every claim with the validated issuer (<see cref="Claim.Issuer"/>), which a token cannot forge.</summary>
    public static (string Issuer, string Subject)? ExternalIdentity(ClaimsPrincipal principal, AuthSettings settings)
    {
        var subject = principal.FindFirst(settings.SubjectClaim);
        if (subject is null || string.IsNullOrWhiteSpace(subject.Value)) return null;
        var issuer = subject.Issuer is { Length: > 0 } stamped && stamped != ClaimsIdentity.DefaultIssuer
            ? stamped
            : principal.FindFirstValue("iss");
        return string.IsNullOrWhiteSpace(issuer) ? null : (issuer, subject.Value);
    }

    /// <summary>
    /// Multi-factor evidence in a validated token (RFC 8176 <c>amr</c>, or one of <see cref="AuthSettings.MfaAcr"/>).
    /// Read from the token itself, not the principal: the OIDC handler drops <c>acr</c> from the principal.
    /// </summary>
    public static bool HasMfa(SecurityToken? token, AuthSettings settings)
    {
        IEnumerable<Claim> claims = token switch
        {
            JsonWebToken jwt => jwt.Claims,
            JwtSecurityToken jwt => jwt.Claims,
            _ => [],
        };
        foreach (var claim in claims)
        {
            if (claim.Type == "amr" && AuthSettings.MfaMethods.Contains(claim.Value)) return true;
            if (claim.Type == "acr" && settings.MfaAcr.Contains(claim.Value, StringComparer.Ordinal)) return true;
        }
        return false;
    }
}
