using Frontlijn.Web.Features.Requests;
using Hangfire;

namespace Frontlijn.Web.Features.Objectives;

public static class ObjectivesSetup
{
    public static IServiceCollection AddObjectives(this IServiceCollection services) => services
        .AddScoped<ObjectiveAccess>().AddScoped<ObjectiveProgress>().AddScoped<ObjectiveBehindAlerts>();

    public static RouteGroupBuilder MapObjectives(this RouteGroupBuilder api)
    {
        SetTeamObjective.Map(api);
        ListTeamObjectives.Map(api);
        return api;
    }

    /// <summary>A month is judged once it is complete: daily, early in the Amsterdam morning, is soon enough.</summary>
    public static void ScheduleObjectiveJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<ObjectiveBehindAlerts>(ObjectiveBehindAlerts.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            Cron.Daily(6, 30), new RecurringJobOptions { TimeZone = WorkingDays.Amsterdam });
}
