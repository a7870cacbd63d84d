using Hangfire;

namespace Frontlijn.Web.Features.Requests;

public static class RequestsSetup
{
    public static IServiceCollection AddRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(CalendarSettings.FromConfiguration(configuration));
        services.AddSingleton<WorkingDays>();
        return services;
    }

    public static RouteGroupBuilder MapRequests(this RouteGroupBuilder api) => api;

    public static void ScheduleRequestJobs(this IRecurringJobManager jobs)
    {
        // The due-date sweeps arrive with the requests themselves (phase 2).
        _ = jobs;
    }
}
