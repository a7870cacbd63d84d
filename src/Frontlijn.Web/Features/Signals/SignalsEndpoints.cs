namespace Frontlijn.Web.Features.Signals;

public static class SignalsEndpoints
{
    public static RouteGroupBuilder MapSignals(this RouteGroupBuilder api)
    {
        SubmitSignal.Map(api);
        ListSignals.Map(api);
        TriageSignal.Map(api);
        return api;
    }
}
