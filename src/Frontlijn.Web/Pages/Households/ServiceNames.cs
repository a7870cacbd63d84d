using Frontlijn.Web.Features.Admin.Organisations;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// A consent's purpose is a service code of the organisation (<c>schuldhulp-intake</c>); people read the service's
/// name ("Schuldhulp intake"). An unknown code (a service since renamed away) shows the code rather than nothing.
/// </summary>
public static class ServiceNames
{
    public static string For(IEnumerable<Organisation> organisations, Guid organisationId, string code) =>
        organisations.FirstOrDefault(o => o.Id == organisationId)?.Services.FirstOrDefault(s => s.Code == code)?.Name ?? code;
}
