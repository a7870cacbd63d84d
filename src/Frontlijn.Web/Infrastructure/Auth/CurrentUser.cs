using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>The signed-in Frontlijn user of this scope, read from the claims that <see cref="UserClaimsTransformation"/> added.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsKnown => Principal.HasClaim(c => c.Type == FrontlijnClaims.UserId);

    public Guid Id => Guid.TryParse(Principal.FindFirstValue(FrontlijnClaims.UserId), out var id)
        ? id
        : throw ProblemException.Forbidden("U bent geen bekende gebruiker van Frontlijn.");

    public string Role => Principal.FindFirstValue(ClaimTypes.Role) ?? "";

    public string DisplayName => Principal.FindFirstValue(FrontlijnClaims.DisplayName) ?? "";

    public Guid? TeamId => Guid.TryParse(Principal.FindFirstValue(FrontlijnClaims.TeamId), out var id) ? id : null;

    public Guid? OrganisationId => Guid.TryParse(Principal.FindFirstValue(FrontlijnClaims.OrganisationId), out var id) ? id : null;

    public bool IsInRole(string role) => string.Equals(Role, role, StringComparison.Ordinal);
}
