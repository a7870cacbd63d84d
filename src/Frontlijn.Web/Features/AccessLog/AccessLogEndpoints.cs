namespace Frontlijn.Web.Features.AccessLog;

public static class AccessLogEndpoints
{
    public static RouteGroupBuilder MapAccessLog(this RouteGroupBuilder api)
    {
        GetAccessLog.Map(api);
        return api;
    }
}
