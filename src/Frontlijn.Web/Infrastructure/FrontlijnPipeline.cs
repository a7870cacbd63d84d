using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Admin;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Jobs;
using Frontlijn.Web.Infrastructure.Realtime;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Frontlijn.Web.Infrastructure;

public static class FrontlijnPipeline
{
    public static WebApplication UseFrontlijn(this WebApplication app)
    {
        if (app.Configuration.GetValue("ForwardedHeaders:Enabled", false))
        {
            app.UseForwardedHeaders();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseFrontlijnHeaders();
        app.UseBodySizeGuard();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi(OpenApiConventions.DocumentPath).AllowAnonymous();
        app.MapScalarApiReference("/api/reference", o => o.WithOpenApiRoutePattern(OpenApiConventions.DocumentPath)).AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/api/reference")).ExcludeFromDescription();

        var api = app.MapGroup(WebConventions.ApiBase);
        api.MapAdmin();
        api.MapHouseholds();
        api.MapSignals();
        api.MapCaseload();
        api.MapNotifications();
        api.MapAccessLog();
        api.MapRequests();
        api.MapPlans();
        api.MapAssessments();
        api.MapWebhooks();

        app.MapHub<NotificationsHub>(NotificationsHub.Path);
        app.MapFrontlijnJobs();
        return app;
    }
}
