using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Rights;
using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;

namespace Frontlijn.Web.Infrastructure.Jobs;

/// <summary>
/// Hangfire runs our sweeps and deliveries. It holds no business state: jobs take ids, are idempotent, and recurring
/// sweeps find due work in our own tables. That is why the embedded default can use in-memory storage: a restart
/// loses a schedule, never a fact.
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddFrontlijnJobs(
        this IServiceCollection services, IConfiguration configuration, DatabaseSettings database)
    {
        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            // One method per storage: the JIT loads a method's referenced assemblies when it compiles it, so only
            // the configured provider's Hangfire storage (and its database client) is ever loaded (start-up, memory).
            switch (database.Provider)
            {
                case DatabaseProvider.Sqlite:
                    UseInMemory(config);
                    break;
                case DatabaseProvider.Postgres:
                    UsePostgres(config, database.ConnectionString);
                    break;
                case DatabaseProvider.SqlServer:
                    UseSqlServer(config, database.ConnectionString);
                    break;
            }
        });
        // Tests and the `migrate`/`token` verbs run without a job server; `Jobs:Enabled=false` turns it off.
        if (configuration.GetValue("Jobs:Enabled", true))
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
                o.ServerName = $"frontlijn-{Environment.MachineName}-{Environment.ProcessId}";
            });
        }
        return services;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UseInMemory(IGlobalConfiguration config) => config.UseInMemoryStorage();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UsePostgres(IGlobalConfiguration config, string connectionString) =>
        config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString),
            new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true });

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UseSqlServer(IGlobalConfiguration config, string connectionString) =>
        config.UseSqlServerStorage(connectionString,
            new SqlServerStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true });

    public static WebApplication MapFrontlijnJobs(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboardFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        });
        // Recurring sweeps are registered only where a job server runs; the schedule lives in Hangfire's storage,
        // the work they find lives in our tables.
        if (app.Configuration.GetValue("Jobs:Enabled", true))
        {
            var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
            recurring.ScheduleWebhookJobs();
            recurring.ScheduleRequestJobs();
            recurring.ScheduleInvolvementJobs();
            recurring.SchedulePlanJobs();
            Features.Objectives.ObjectivesSetup.ScheduleObjectiveJobs(recurring);
            recurring.ScheduleRightsJobs();
            recurring.ScheduleReplyLinkJobs();
            Features.Mail.NotificationDigest.Schedule(recurring);
        }
        return app;
    }

    private sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin);
        }
    }
}
