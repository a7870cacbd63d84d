using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The signed-in Frontlijn user of this scope, read from the claims that <see cref="UserClaimsTransformation"/> added.
/// Work without an HTTP request (the demo seeder) names its actor explicitly with <see cref="ActAs"/>, so handlers
/// apply the same rules and write the same access log whoever calls them.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal? _actingAs;

    private ClaimsPrincipal Principal => _actingAs ?? accessor.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>Acts as this user for the rest of the scope. Refused inside an HTTP request: there the token decides.</summary>
    public void ActAs(Guid id, string role, Guid? teamId, Guid? organisationId, string displayName)
    {
        if (accessor.HttpContext is not null)
        {
            throw new InvalidOperationException("Inside an HTTP request the caller is the signed-in user.");
        }
        var identity = new ClaimsIdentity("acting", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(FrontlijnClaims.UserId, id.ToString()));
        identity.AddClaim(new Claim(FrontlijnClaims.DisplayName, displayName));
        identity.AddClaim(new Claim(ClaimTypes.Role, role));
        if (teamId is { } team) identity.AddClaim(new Claim(FrontlijnClaims.TeamId, team.ToString()));
        if (organisationId is { } org) identity.AddClaim(new Claim(FrontlijnClaims.OrganisationId, org.ToString()));
        _actingAs = new ClaimsPrincipal(identity);
    }

    public bool IsKnown => Principal.HasClaim(c => c.Type == FrontlijnClaims.UserId);

    public Guid Id => Guid.TryParse(Principal.FindFirstValue(FrontlijnClaims.UserId), out var id)
        ? id
        : throw ProblemException.Forbidden("U bent geen bekende gebruiker van Frontlijn.");

    public string Role => Principal.FindFirstValue(ClaimTypes.Role) ?? "";

    public string DisplayName => Principal.FindFirstValue(FrontlijnClaims.DisplayName) ?? "";

    public Guid? TeamId => Guid.TryParse(Principal.FindFirstValue(FrontlijnClaims.TeamId), out var id) ? id : null;

    public Guid? OrganisationId => Guid.TryParse(Principal.FindFirstValue(FrontlijnClaims.OrganisationId), out var id) ? id : null;

    /// <summary>A signed-in resident (a household member, not a user): <see cref="IsKnown"/> is false for them.</summary>
    public bool IsResident => IsInRole(Roles.Resident) && ResidentMemberId is not null;

    public Guid? ResidentMemberId => Guid.TryParse(Principal.FindFirstValue(ResidentClaims.MemberId), out var id) ? id : null;

    public Guid? ResidentHouseholdId => Guid.TryParse(Principal.FindFirstValue(ResidentClaims.HouseholdId), out var id) ? id : null;

    public bool IsInRole(string role) => string.Equals(Role, role, StringComparison.Ordinal);
}
