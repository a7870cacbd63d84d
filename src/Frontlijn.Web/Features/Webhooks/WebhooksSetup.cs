using Hangfire;

namespace Frontlijn.Web.Features.Webhooks;

public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WebhookSettings.FromConfiguration(configuration));
        services.AddSingleton<WebhookDeliveryTrigger>();
        services.AddScoped<WebhookOutbox>();
        services.AddScoped<DeliverWebhooks>();
        services.AddHttpClient(DeliverWebhooks.HttpClientName, client =>
            {
                client.Timeout = DeliverWebhooks.HttpTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Frontlijn-Webhooks/1.0");
            })
            // A receiver answers; it does not send us elsewhere (a redirect could point into our own network).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            });
        return services;
    }

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        ListWebhookDeliveries.Map(api);
        RetryWebhookDelivery.Map(api);
        return api;
    }

    /// <summary>Hangfire's cron resolution is a minute; the after-commit kick covers the seconds in between.</summary>
    public static void ScheduleWebhookJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<DeliverWebhooks>(DeliverWebhooks.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
}
