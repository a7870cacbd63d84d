using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Features.Involvements;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Demo;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Mail;
using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Rights;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Jobs;
using Frontlijn.Web.Infrastructure.Mediator;
using Frontlijn.Web.Infrastructure.Realtime;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.Json;

namespace Frontlijn.Web.Infrastructure;

/// <summary>Registers everything the service needs; Program.cs only composes.</summary>
public static class FrontlijnServices
{
    public static WebApplicationBuilder AddFrontlijn(this WebApplicationBuilder builder, bool validateAuth = true)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        var database = DatabaseSettings.FromConfiguration(configuration);
        var auth = AuthSettings.FromConfiguration(configuration, builder.Environment, validateAuth);
        if (validateAuth && auth.Mode == AuthMode.Demo) DemoMode.ValidateListening(configuration);
        DapperTypeHandlers.Register();
        StartupTimeline.Mark("settings read, Dapper handlers");

        services.AddSingleton(database);
        services.AddSingleton(auth);
        services.AddSingleton(SqlDialect.For(database.Provider));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Migrator>();
        if (database.Provider == DatabaseProvider.Sqlite) services.AddHostedService<SqliteCheckpointer>();
        services.AddSingleton<DemoSeeder>();
        services.AddScoped<DbSession>();
        services.AddScoped<AfterCommit>();
        services.AddScoped<AfterUnitOfWork>();
        services.AddScoped<Frontlijn.Web.Features.StandIns.StandInLookup>();
        // Built on first use, so `migrate` runs without the key; PrepareAsync resolves it before serving (fail fast).
        services.AddSingleton(sp => BsnHasher.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddScoped<AccessLogWriter>();
        services.AddScoped<Notifier>();
        services.AddScoped<HouseholdAccess>();
        services.AddScoped<CoachAssigner>();

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.GenerateTypesAsInternal = true;
            // Order matters: log/trace everything, refuse invalid input before a transaction, then the unit of work.
            options.PipelineBehaviors =
            [
                typeof(LoggingBehavior<,>),
                typeof(ValidationBehavior<,>),
                typeof(UnitOfWorkBehavior<,>),
            ];
        });
        // By name, not by scanning the assembly (Validators.cs: the scan loads every type of the service at start-up).
        services.AddFrontlijnValidators();
        // Messages in Dutch, property names as the API spells them (camelCase).
        ValidatorOptions.Global.LanguageManager.Culture = new System.Globalization.CultureInfo("nl");
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : char.ToLowerInvariant(member.Name[0]) + member.Name[1..];

        StartupTimeline.Mark("mediator and validators registered");
        var residents = ResidentSettings.FromConfiguration(configuration, auth);
        services.AddFrontlijnAuth(auth, residents, TokenCacheSettings.FromConfiguration(configuration));
        services.AddFrontlijnUserCache(configuration);
        services.AddFrontlijnSessions(configuration);
        services.AddFrontlijnDataProtection();
        StartupTimeline.Mark("auth, user cache, sessions, data protection registered");
        services.AddFrontlijnPages();
        StartupTimeline.Mark("Razor Pages registered");
        services.AddFrontlijnRealtime(configuration);
        services.AddFrontlijnJobs(configuration, database);
        services.AddFrontlijnOpenApi(configuration);
        StartupTimeline.Mark("SignalR, jobs, OpenAPI registered");
        services.AddRequests(configuration);
        services.AddInvolvements(configuration);
        services.AddReports();
        Features.Objectives.ObjectivesSetup.AddObjectives(services);
        services.AddPlans(configuration);
        services.AddRights(configuration);
        services.AddWebhooks(configuration);
        services.AddSignalRateLimit(configuration);
        // Outside the building (issue 13): e-mail, reply links.
        services.AddMail(configuration);
        services.AddReplyLinks(configuration);

        StartupTimeline.Mark("feature services registered");
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Detail ??= problem.Status switch
            {
                401 => "U bent niet aangemeld: stuur een geldige Bearer-token mee.",
                403 => "U bent aangemeld, maar uw rol mag dit niet.",
                404 => "Deze resource bestaat niet of valt buiten uw bevoegdheid.",
                405 => "Deze HTTP-methode wordt op dit pad niet ondersteund.",
                413 => ProblemExceptionHandler.TooLarge,
                415 => "Dit inhoudstype wordt niet ondersteund; stuur application/json.",
                _ => problem.Title,
            };
        });
        // 503 + Retry-After while the database is unreachable (Database:RetryAfterSeconds); docs/features/database-outages.md.
        services.AddSingleton(DatabaseOutage.Create);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = WebConventions.MaxRequestBodyBytes);

        services.AddHostedService<StartupTimeline.HostedPhases>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddFrontlijnTelemetry(configuration);
        StartupTimeline.Mark("health checks and telemetry registered");
        // Behind a TLS-terminating proxy (ForwardedHeaders:Enabled=true) the scheme and client address come from
        // X-Forwarded-Proto/-For, so HSTS is sent and the access log records the real origin.
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor |
                                 Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            // Only the proxies named here are trusted (loopback by default); anyone else could forge the origin that
            // the access log records. ForwardedHeaders:KnownNetworks = ["10.0.0.0/8", ...].
            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>Migrations, the demo admin and (Development, empty database) the demo data, before serving.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        var configuration = app.Configuration;
        // Refuse to serve without Security:BsnHashKey (outside Development on SQLite) now, not at the first BSN.
        app.Services.GetRequiredService<BsnHasher>();
        // Likewise without DataProtection:KeyEncryptionKey: the session cookies' keys are encrypted with it.
        app.Services.GetRequiredService<KeyEncryptionKey>();
        // And with an impossible Database:RetryAfterSeconds.
        app.Services.GetRequiredService<DatabaseOutage>();
        StartupTimeline.Mark("keys and settings checked");
        if (configuration.GetValue("Database:MigrateOnStartup", true))
        {
            app.Services.GetRequiredService<Migrator>().Migrate();
            StartupTimeline.Mark("migrations checked");
        }
        await app.ProtectPlaintextWebhookSecretsAsync();
        StartupTimeline.Mark("webhook secrets pass");
        var auth = app.Services.GetRequiredService<AuthSettings>();
        var seeder = app.Services.GetRequiredService<DemoSeeder>();
        if (auth.Mode == AuthMode.Demo)
        {
            await seeder.EnsureAdminAsync(CancellationToken.None);
        }
        if (auth.BootstrapAdmin is { Length: > 0 } bootstrap)
        {
            await seeder.EnsureAdminAsync(CancellationToken.None, bootstrap, bootstrap);
        }
        if (app.Environment.IsDevelopment() && configuration.GetValue("Demo:Seed", true))
        {
            await seeder.SeedDemoDataAsync(CancellationToken.None);
        }
        StartupTimeline.Mark("admin and demo seeding");
    }
}
