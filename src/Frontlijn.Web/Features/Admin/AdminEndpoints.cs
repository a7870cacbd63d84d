using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;

namespace Frontlijn.Web.Features.Admin;

public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder api)
    {
        CreateNeighbourhood.Map(api);
        ListNeighbourhoods.Map(api);
        GetNeighbourhood.Map(api);
        PatchNeighbourhood.Map(api);
        CreateTeam.Map(api);
        ListTeams.Map(api);
        GetTeam.Map(api);
        PatchTeam.Map(api);
        CreateOrganisation.Map(api);
        ListOrganisations.Map(api);
        GetOrganisation.Map(api);
        PatchOrganisation.Map(api);
        PutService.Map(api);
        CreateUser.Map(api);
        ListUsers.Map(api);
        GetUser.Map(api);
        PatchUser.Map(api);
        return api;
    }
}
