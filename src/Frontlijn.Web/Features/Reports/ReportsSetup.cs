namespace Frontlijn.Web.Features.Reports;

public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services) =>
        services.AddScoped<ReportScope>().AddScoped<HouseholdOutcome.Builder>().AddScoped<HouseholdLabels>();

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        ProvidersPerHousehold.Map(api);
        HouseholdOutcome.Map(api);
        SignOffOutcome.Map(api);
        TeamReport.Map(api);
        CoordinationReport.Map(api);
        CostReport.Map(api);
        NeighbourhoodReport.Map(api);
        return api;
    }
}
