namespace Frontlijn.Web.Features.Caseload;

public static class CaseloadEndpoints
{
    public static RouteGroupBuilder MapCaseload(this RouteGroupBuilder api)
    {
        GetCaseload.Map(api);
        GetTeamCaseload.Map(api);
        HandOverCaseload.Map(api);
        return api;
    }
}
