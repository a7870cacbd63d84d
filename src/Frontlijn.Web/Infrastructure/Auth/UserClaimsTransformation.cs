using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The token says who someone is (<c>sub</c>); our users table says what they may. A token for a username that is not
/// a Frontlijn user authenticates but gets no role, so every endpoint refuses it.
/// </summary>
public sealed class UserClaimsTransformation(DbSession db) : IClaimsTransformation
{
    internal const string FindUserSql = """
        SELECT id, role, team_id, organisation_id, display_name
        FROM users
        WHERE username = @username
        """;

    private sealed record UserRow
    {
        public Guid Id { get; init; }
        public string Role { get; init; } = "";
        public Guid? TeamId { get; init; }
        public Guid? OrganisationId { get; init; }
        public string DisplayName { get; init; } = "";
    }

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity ||
            principal.HasClaim(c => c.Type == FrontlijnClaims.UserId))
        {
            return principal;
        }
        var username = Username(principal);
        if (username is null) return principal;

        var user = await db.QuerySingleOrDefaultAsync<UserRow>(FindUserSql, new { username });
        if (user is null) return principal;

        var enriched = new ClaimsIdentity(identity.Claims, identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        enriched.AddClaim(new Claim(FrontlijnClaims.UserId, user.Id.ToString()));
        enriched.AddClaim(new Claim(FrontlijnClaims.DisplayName, user.DisplayName));
        enriched.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        if (user.TeamId is { } team) enriched.AddClaim(new Claim(FrontlijnClaims.TeamId, team.ToString()));
        if (user.OrganisationId is { } org) enriched.AddClaim(new Claim(FrontlijnClaims.OrganisationId, org.ToString()));
        return new ClaimsPrincipal(enriched);
    }

    /// <summary>Usernames are stored lower-case; <c>sub</c> is the username (demo) or preferred_username (OIDC).</summary>
    public static string? Username(ClaimsPrincipal principal) =>
        (principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("sub")
            ?? principal.FindFirstValue(ClaimTypes.NameIdentifier))?.Trim().ToLowerInvariant();
}
