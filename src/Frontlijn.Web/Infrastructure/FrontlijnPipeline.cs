using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Admin;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Mail;
using Frontlijn.Web.Features.Meetings;
using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Rights;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Residents;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Features.Visits;
using Frontlijn.Web.Features.StandIns;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Jobs;
using Frontlijn.Web.Infrastructure.Realtime;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Frontlijn.Web.Infrastructure;

public static class FrontlijnPipeline
{
    public static WebApplication UseFrontlijn(this WebApplication app)
    {
        app.MarkWhenBuilt("pipeline built (every middleware constructed)");
        if (app.Configuration.GetValue("ForwardedHeaders:Enabled", false))
        {
            app.UseForwardedHeaders();
        }
        // Machines get problem+json for every error; people get a page in the layout that says what to do next.
        app.UseWhen(c => WebConventions.IsMachinePath(c.Request.Path), machine =>
        {
            machine.UseExceptionHandler();
            machine.UseStatusCodePages();
        });
        app.UseWhen(c => !WebConventions.IsMachinePath(c.Request.Path), ui =>
        {
            ui.UseExceptionHandler(ErrorModel.Path);
            ui.UseStatusCodePagesWithReExecute(ErrorModel.Path, "?code={0}");
        });
        app.UseFrontlijnHeaders();
        app.UseDemoLoopbackOnly();
        app.UseManagementPort();
        // Sessions and browsers (docs/security/sessions.md): no-store for personal data, the antiforgery cookie's name,
        // the hub's Origin check.
        app.UseNoStore();
        app.UseAntiforgeryCookieName();
        app.UseHubOriginCheck(app.Configuration);
        app.UseBodySizeGuard();
        app.UseStaticFiles(new StaticFileOptions
        {
            // File names are not fingerprinted, but every page links them with ?v=<hash> (asp-append-version).
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        // Explicit, after the error handlers, so a re-executed error page is routed again.
        app.UseRouting();
        // Before authentication: a hub connection that registers after a close of its user or session, but was
        // authenticated before it, is closed at once (Infrastructure/Realtime/HubConnections.cs).
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(NotificationsHub.Path, StringComparison.OrdinalIgnoreCase))
            {
                context.Items[HubConnectionRegistry.RequestStartedItem] = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            return next(context);
        });
        app.UseAuthentication();
        // A resident reaches the portal only: every staff page is 404 to them (Infrastructure/Auth/Residents.cs).
        app.UseResidentGate();
        app.MarkWhenBuilt("authorization middleware constructed (its policy cache reads every endpoint)");
        app.UseAuthorization();
        app.UseCookieApiAntiforgery();
        // After authentication: signals are counted per Frontlijn user (Features/Signals/SignalRateLimit.cs).
        app.UseRateLimiter();
        // After authorization: an erased household answers 410 on its endpoints (Features/Rights/ErasedHouseholdGate.cs).
        app.UseErasedHouseholdGate();
        // A SignalR connection is one HTTP request that lasts as long as the socket: the database connection that
        // authentication opened in its scope (user lookup, session check) would stay checked out of the pool for
        // hours, and 100 clients exhausted PostgreSQL's pool (found by the issue 12 load harness: 500 on negotiate).
        // The hub itself uses no database; hub invocations get scopes of their own.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase))
            {
                await context.RequestServices.GetRequiredService<DbSession>().ReleaseConnectionAsync();
            }
            await next(context);
        });

        app.MarkWhenBuilt("pipeline build started (middleware after authorization constructed)");
        StartupTimeline.Mark("middleware added");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = async (context, report) =>
            {
                await DatabaseOutage.WriteHealthAsync(context, report);
                if (report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                {
                    StartupTimeline.Ready(context.RequestServices);
                    StartupMemory.ReleaseOnceAfterReady();
                }
            },
        }).AllowAnonymous();
        StartupTimeline.Mark("health checks mapped");
        app.MapFrontlijnMetrics();
        StartupTimeline.Mark("metrics endpoint mapped");
        app.MapOpenApi(OpenApiConventions.DocumentPath).AllowAnonymous();
        app.MapScalarApiReference("/api/reference", o => o.WithOpenApiRoutePattern(OpenApiConventions.DocumentPath).WithNonce().DisableDefaultFonts()).AllowAnonymous();
        StartupTimeline.Mark("OpenAPI and Scalar mapped");
        app.MapRazorPages();
        StartupTimeline.Mark("Razor Pages mapped");

        var api = app.MapGroup(WebConventions.ApiBase);
        api.MapAdmin();
        api.MapHouseholds();
        api.MapSignals();
        api.MapStandIns();
        api.MapCaseload();
        api.MapNotifications();
        api.MapAccessLog();
        api.MapRequests();
        api.MapInvolvements();
        api.MapReports();
        Features.Addresses.AddressOverview.Map(api);
        Features.Objectives.ObjectivesSetup.MapObjectives(api);
        api.MapPlans();
        api.MapAssessments();
        api.MapWebhooks();
        api.MapRights();
        api.MapReplyLinks();
        api.MapMeetings();
        api.MapVisits();
        SetUserEmail.Map(api);
        api.MapResidents();

        StartupTimeline.Mark("API endpoints mapped");
        app.MapHub<NotificationsHub>(NotificationsHub.Path);
        StartupTimeline.Mark("hub mapped");
        app.MapFrontlijnJobs();
        return app;
    }
}
