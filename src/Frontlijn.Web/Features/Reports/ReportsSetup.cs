namespace Frontlijn.Web.Features.Reports;

public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services.AddScoped<ReportScope>();

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        ProvidersPerHousehold.Map(api);
        return api;
    }
}
