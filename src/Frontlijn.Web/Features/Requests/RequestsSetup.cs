using Frontlijn.Web.Features.Consents;
using Frontlijn.Web.Features.Involvements;
using Hangfire;

namespace Frontlijn.Web.Features.Requests;

public static class RequestsSetup
{
    public static IServiceCollection AddRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(CalendarSettings.FromConfiguration(configuration));
        services.AddSingleton<WorkingDays>();
        services.AddSingleton(RequestSettings.FromConfiguration(configuration));
        services.AddSingleton(LegalBases.FromConfiguration(configuration));
        services.AddSingleton(ConsentSettings.FromConfiguration(configuration));
        services.AddScoped<RequestAccess>();
        services.AddScoped<RequestStatusChanger>();
        services.AddScoped<RequestDeadlines>();
        return services;
    }

    public static RouteGroupBuilder MapRequests(this RouteGroupBuilder api)
    {
        SendRequest.Map(api);
        ListRequests.Map(api);
        AssignRequest.Map(api);
        GetRequest.Map(api);
        ChangeRequestStatus.Map(api);
        ListStatusChanges.Map(api);
        PostRequestMessage.Map(api);
        ListRequestMessages.Map(api);
        SetEscalationContact.Map(api);
        api.MapConsents();
        return api;
    }

    /// <summary>Hangfire's finest cron is a minute; a due date is a day, so a minute late is on time.</summary>
    public static void ScheduleRequestJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<RequestDeadlines>(RequestDeadlines.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
}
