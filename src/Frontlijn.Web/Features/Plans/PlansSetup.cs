using Hangfire;

namespace Frontlijn.Web.Features.Plans;

public static class PlansSetup
{
    public static IServiceCollection AddPlans(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(PlanSettings.FromConfiguration(configuration));
        services.AddScoped<PlanAccess>();
        services.AddScoped<PlanReviewReminders>();
        return services;
    }

    public static RouteGroupBuilder MapPlans(this RouteGroupBuilder api)
    {
        GetFamilyPlan.Map(api);
        ListPlanGoals.Map(api);
        AddPlanGoal.Map(api);
        ChangeGoalStatus.Map(api);
        AddPlanAction.Map(api);
        CompletePlanAction.Map(api);
        ReviewFamilyPlan.Map(api);
        return api;
    }

    /// <summary>
    /// A review date is a day and the reminder comes two weeks ahead: once a day is enough. Early in the Amsterdam
    /// morning, so that the coach finds it at the start of the working day.
    /// </summary>
    public static void SchedulePlanJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<PlanReviewReminders>(PlanReviewReminders.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            Cron.Daily(6), new RecurringJobOptions { TimeZone = Requests.WorkingDays.Amsterdam });
}
