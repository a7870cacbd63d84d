namespace Frontlijn.Web.Features.Admin.Users;

/// <summary>
/// A Frontlijn user: who they are, their role, and the team or organisation they work for. <c>active</c> is false once
/// deactivated (they cannot sign in, but stay in every history).
/// </summary>
/// <param name="ExternalSubject">The subject (<c>sub</c>, or the claim <c>Auth:SubjectClaim</c> names) of the person's
/// account at the identity provider; null while the user is not bound, and then they cannot sign in (unless
/// <c>Auth:BindByUsername</c> binds them at their first sign-in).</param>
/// <param name="ExternalIssuer">The identity provider's issuer the subject belongs to (read-only: always the configured
/// provider's).</param>
public sealed record User(
    Guid Id, string Username, string DisplayName, string Role, Guid? TeamId, Guid? OrganisationId, int MaxCaseload,
    bool Active = true, string? ExternalSubject = null, string? ExternalIssuer = null);

/// <summary>The users table as Dapper reads it (property-based, so column types may differ per provider).</summary>
internal sealed record UserRow
{
    public Guid Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public Guid? TeamId { get; init; }
    public Guid? OrganisationId { get; init; }
    public int MaxCaseload { get; init; }
    public DateTimeOffset? DeactivatedAt { get; init; }
    public string? ExternalSubject { get; init; }
    public string? ExternalIssuer { get; init; }

    public User ToUser() => new(Id, Username, DisplayName, Role, TeamId, OrganisationId, MaxCaseload,
        DeactivatedAt is null, ExternalSubject, ExternalIssuer);
}
