using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The token says who someone is; our users table says what they may. Every claim that could pass for one of ours
/// (Frontlijn's own <c>frontlijn:*</c> names, <c>role</c>, <c>roles</c>, the .NET role and name URIs) is removed from
/// what the identity provider sent, always: a token that carries <c>frontlijn:uid</c> or <c>role: admin</c> grants
/// nothing. Then, for an active user the <see cref="UserDirectory"/> finds, our claims are added. A token for someone
/// who is not (or no longer) a Frontlijn user authenticates but gets no role, so every endpoint refuses it.
/// </summary>
public sealed class UserClaimsTransformation(UserDirectory directory, ResidentDirectory residents) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity) return principal;
        // Called on every AuthenticateAsync with the handler's own (untransformed) principal: never trust a principal
        // because it already has our claims, they could only have come from the token.
        if (residents.IsResidentPrincipal(principal))
        {
            return await ResidentAsync(principal, identity);
        }
        var user = await directory.ResolveAsync(principal);

        var enriched = new ClaimsIdentity(identity.Claims.Where(c => !IsReserved(c.Type) || IsOwnSessionId(c)), identity.AuthenticationType,
            ClaimTypes.Name, ClaimTypes.Role);
        if (user is { IsActive: true })
        {
            enriched.AddClaim(new Claim(FrontlijnClaims.UserId, user.Id.ToString()));
            enriched.AddClaim(new Claim(FrontlijnClaims.DisplayName, user.DisplayName));
            enriched.AddClaim(new Claim(ClaimTypes.Role, user.Role));
            if (user.TeamId is { } team) enriched.AddClaim(new Claim(FrontlijnClaims.TeamId, team.ToString()));
            if (user.OrganisationId is { } org) enriched.AddClaim(new Claim(FrontlijnClaims.OrganisationId, org.ToString()));
        }
        return new ClaimsPrincipal(enriched);
    }

    /// <summary>
    /// A resident: their member and household from our tables (never from the token), role <see cref="Roles.Resident"/>,
    /// and no <see cref="FrontlijnClaims.UserId"/>, so every staff policy refuses them. The BSN (<c>sub</c>) is not kept.
    /// </summary>
    private async Task<ClaimsPrincipal> ResidentAsync(ClaimsPrincipal principal, ClaimsIdentity identity)
    {
        var resident = await residents.ResolveAsync(principal);
        var enriched = new ClaimsIdentity(
            identity.Claims.Where(c => c.Type == ResidentClaims.SessionId && c.Issuer == ClaimsIdentity.DefaultIssuer),
            identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        if (resident is not null)
        {
            enriched.AddClaim(new Claim(ResidentClaims.MemberId, resident.MemberId.ToString()));
            enriched.AddClaim(new Claim(ResidentClaims.HouseholdId, resident.HouseholdId.ToString()));
            enriched.AddClaim(new Claim(FrontlijnClaims.DisplayName, resident.DisplayName));
            enriched.AddClaim(new Claim(ClaimTypes.Role, Roles.Resident));
        }
        return new ClaimsPrincipal(enriched);
    }

    /// <summary>Claim types only Frontlijn itself may set.</summary>
    public static bool IsReserved(string type) =>
        type.StartsWith("frontlijn:", StringComparison.OrdinalIgnoreCase)
        || string.Equals(type, "role", StringComparison.OrdinalIgnoreCase)
        || string.Equals(type, "roles", StringComparison.OrdinalIgnoreCase)
        || type.StartsWith("http://schemas.microsoft.com/ws/2008/06/identity/claims/", StringComparison.OrdinalIgnoreCase)
        || type.StartsWith("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The server-side session id that our own sign-in put into the cookie (issuer LOCAL AUTHORITY, never a token's
    /// issuer): sign-out and a new sign-in need it to end the session in auth_sessions. The same claim in a token is
    /// stripped like every other reserved one.
    /// </summary>
    private static bool IsOwnSessionId(Claim claim) =>
        claim.Type == SessionStore.SessionIdClaim && claim.Issuer == ClaimsIdentity.DefaultIssuer;

    /// <summary>Usernames are stored lower-case; in demo mode <c>sub</c> is the username.</summary>
    public static string? Username(ClaimsPrincipal principal) =>
        (principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("sub"))?.Trim().ToLowerInvariant();
}
