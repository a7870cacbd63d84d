using Frontlijn.Web.Infrastructure.Auth;

namespace Frontlijn.Web.Pages;

/// <summary>The roles as people in a Dutch municipality call them.</summary>
public static class RoleLabels
{
    public static string For(string role) => role switch
    {
        Roles.Coach => "Wijkcoach",
        Roles.BackOffice => "Backoffice",
        Roles.TeamLead => "Teamleider",
        Roles.Admin => "Beheerder",
        _ => role,
    };

    /// <summary>The order in which roles are listed (who people look for first).</summary>
    public static readonly IReadOnlyList<string> Ordered = [Roles.Coach, Roles.TeamLead, Roles.BackOffice, Roles.Admin];
}
