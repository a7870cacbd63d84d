using Hangfire;

namespace Frontlijn.Web.Features.Webhooks;

public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WebhookSettings.FromConfiguration(configuration));
        services.AddSingleton(WebhookAddressPolicy.FromConfiguration(configuration));
        services.AddSingleton<WebhookSecretStore>();
        services.AddSingleton<WebhookDeliveryTrigger>();
        services.AddScoped<WebhookOutbox>();
        services.AddScoped<DeliverWebhooks>();
        services.AddHttpClient(DeliverWebhooks.HttpClientName, client =>
            {
                client.Timeout = DeliverWebhooks.HttpTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Frontlijn-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A receiver answers; it does not send us elsewhere (a redirect could point into our own network).
                AllowAutoRedirect = false,
                // Every connection goes through the address check; through a proxy the check would judge the proxy,
                // not the receiver, so no proxy (HTTPS_PROXY and friends are ignored for webhooks).
                UseProxy = false,
                ConnectCallback = WebhookConnector.Create(sp.GetRequiredService<WebhookAddressPolicy>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookConnector))),
                // A pooled connection was checked when it was made; re-resolve (and re-check) at least this often.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
                // Receivers see no cookies of other receivers.
                UseCookies = false,
            });
        return services;
    }

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        ListWebhookDeliveries.Map(api);
        RetryWebhookDelivery.Map(api);
        AddWebhookSecret.Map(api);
        ListWebhookSecrets.Map(api);
        RemoveWebhookSecret.Map(api);
        return api;
    }

    /// <summary>
    /// Secrets written before migration 0009 sit in plaintext in <c>organisations.webhook_secret</c>: encrypt and move
    /// them before serving (idempotent; a no-op once done, and on every installation created after 0009).
    /// </summary>
    public static async Task ProtectPlaintextWebhookSecretsAsync(this WebApplication app)
    {
        var moved = await app.Services.GetRequiredService<WebhookSecretStore>()
            .ProtectPlaintextSecretsAsync(app.Services, app.Services.GetRequiredService<TimeProvider>(), CancellationToken.None);
        if (moved > 0)
        {
            app.Logger.LogInformation("Encrypted and moved {Count} plaintext webhook secret(s) to webhook_secrets", moved);
        }
    }

    /// <summary>Hangfire's cron resolution is a minute; the after-commit kick covers the seconds in between.</summary>
    public static void ScheduleWebhookJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<DeliverWebhooks>(DeliverWebhooks.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
}
