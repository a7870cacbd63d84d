using Hangfire;

namespace Frontlijn.Web.Features.Involvements;

public static class InvolvementsSetup
{
    public static IServiceCollection AddInvolvements(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(InvolvementSettings.FromConfiguration(configuration));
        services.AddScoped<InvolvementRecorder>();
        services.AddScoped<InvolvementThreshold>();
        services.AddScoped<InvolvementDecay>();
        return services;
    }

    public static RouteGroupBuilder MapInvolvements(this RouteGroupBuilder api)
    {
        RegisterInvolvement.Map(api);
        ListInvolvements.Map(api);
        EndInvolvement.Map(api);
        return api;
    }

    /// <summary>Inactivity is counted in months: once a night (03:15) is plenty.</summary>
    public static void ScheduleInvolvementJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<InvolvementDecay>(InvolvementDecay.RecurringJobId, job => job.RunAsync(CancellationToken.None), "15 3 * * *");
}
