namespace Frontlijn.Web.Infrastructure.Auth;

public static class Roles
{
    public const string Coach = "coach";
    public const string BackOffice = "back-office";
    public const string TeamLead = "team-lead";
    public const string Admin = "admin";

    /// <summary>A household member aged 16 or older, signed in with a citizen login. Not a user: never in <see cref="All"/>.</summary>
    public const string Resident = "resident";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Coach, BackOffice, TeamLead, Admin,
    };
}

/// <summary>Claims we add from our own users table; the identity provider only says who someone is.</summary>
public static class FrontlijnClaims
{
    public const string UserId = "frontlijn:uid";
    public const string TeamId = "frontlijn:team";
    public const string OrganisationId = "frontlijn:org";
    public const string DisplayName = "frontlijn:name";
}

/// <summary>Authorization policy names (one per role, plus "any known user").</summary>
public static class Policies
{
    public const string KnownUser = "known-user";
    public const string Admin = "role:admin";
    public const string TeamLead = "role:team-lead";
    public const string CoachOrTeamLead = "role:coach-or-team-lead";
    public const string Coach = "role:coach";
    public const string BackOffice = "role:back-office";

    /// <summary>Those who take part in requests: the household's coach and team lead, and the addressed back office.</summary>
    public const string RequestParticipant = "role:request-participant";

    /// <summary>Those who change a request: the household's coach (withdraws) and the addressed back office.</summary>
    public const string CoachOrBackOffice = "role:coach-or-back-office";

    /// <summary>The access log of a household: its team lead and the functional administrator.</summary>
    public const string TeamLeadOrAdmin = "role:team-lead-or-admin";

    /// <summary>A resident, about their own household only (/api/v1/me/..., /mijn).</summary>
    public const string Resident = "role:resident";
}
