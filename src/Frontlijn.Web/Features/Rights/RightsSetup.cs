using Hangfire;

namespace Frontlijn.Web.Features.Rights;

/// <summary>The household's rights (SPEC "The household's rights (AVG / GDPR)"): export, retention, legal hold.</summary>
public static class RightsSetup
{
    public static IServiceCollection AddRights(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(RetentionSettings.FromConfiguration(configuration));
        services.AddScoped<BuildHouseholdExport>();
        services.AddScoped<RetentionCandidates>();
        services.AddScoped<RetentionSweep>();
        return services;
    }

    public static RouteGroupBuilder MapRights(this RouteGroupBuilder api)
    {
        ExportHousehold.Map(api);
        PlaceLegalHold.Map(api);
        ListRetentionDue.Map(api);
        return api;
    }

    /// <summary>Nightly at 02:30 Amsterdam time, outside office hours; the schedule is Hangfire's, the work is in our tables.</summary>
    public static void ScheduleRightsJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<RetentionSweep>(RetentionSweep.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            "30 2 * * *", new RecurringJobOptions { TimeZone = Requests.WorkingDays.Amsterdam });
}
