using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Webhooks;

/// <summary>
/// The outbox and its delivery against a real receiver. Jobs do not run by themselves in tests (Hangfire's state is
/// process-wide), so each test runs the delivery sweep itself, moving the fake clock between runs as time would.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class WebhookDeliveryTests(ProviderApps apps)
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String("frontlijn-test-webhook-secret-32b"u8.ToArray());

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Event_ArrivesAsASignedCloudEvent_WithIdsOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var organisationId = await CreateOrganisationAsync(app, receiver.Url);
        var requestId = Guid.CreateVersion7();

        var eventId = await EnqueueAsync(app, organisationId, "nl.frontlijn.request.sent", requestId,
            new { requestId, organisationId, status = "sent", dueAt = new DateTimeOffset(2026, 3, 9, 23, 59, 59, TimeSpan.FromHours(1)) });
        var result = await SweepAsync(app);

        Assert.Equal(1, result.Delivered);
        Assert.Empty(receiver.Problems);
        var cloudEvent = Assert.Single(receiver.Events).Value;
        Assert.Equal(eventId.ToString(), cloudEvent["id"]!.GetValue<string>());
        Assert.Equal("urn:nld:frontlijn:dev", cloudEvent["source"]!.GetValue<string>());
        Assert.Equal("nl.frontlijn.request.sent", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(requestId.ToString(), cloudEvent["subject"]!.GetValue<string>());
        Assert.Equal("sent", cloudEvent["data"]!["status"]!.GetValue<string>());
        Assert.Equal(requestId.ToString(), cloudEvent["data"]!["requestId"]!.GetValue<string>());

        var delivered = await app.ClientFor("admin").GetAsync("/api/v1/webhook-deliveries?status=delivered").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(eventId.ToString(), Assert.Single(delivered["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(1, delivered["items"]![0]!["attempts"]!.GetValue<int>());

        // Delivered is delivered: another sweep sends nothing.
        Assert.Equal(0, (await SweepAsync(app)).Attempted);
        Assert.Single(receiver.Arrivals);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Outbox_IsPartOfTheChange_RolledBackChangeAnnouncesNothing_NoWebhookNoRow(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var organisationId = await CreateOrganisationAsync(app, receiver.Url);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            await db.BeginAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<WebhookOutbox>()
                .EnqueueAsync(organisationId, "nl.frontlijn.request.sent", Guid.CreateVersion7(), new { status = "sent" }, CancellationToken.None);
            await db.RollbackAsync();
        }
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_outbox"));

        // An organisation without a webhook endpoint gets no outbox rows at all.
        var withoutWebhook = (await app.ClientFor("admin").PostJson("/api/v1/organisations", new
        {
            name = "Maatschappelijk Werk", kind = "maatschappelijk-werk", services = Array.Empty<object>(),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        Assert.Null(await EnqueueAsync(app, withoutWebhook, "nl.frontlijn.request.sent", Guid.CreateVersion7(), new { status = "sent" }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_outbox"));
        Assert.Equal(0, (await SweepAsync(app)).Attempted);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ReceiverDown_ThenBack_EveryEventArrives_ExactlyOncePerId_NoneLost(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var organisationId = await CreateOrganisationAsync(app, receiver.Url);
        await receiver.StopAsync();

        var sent = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var requestId = Guid.CreateVersion7();
            sent.Add((await EnqueueAsync(app, organisationId, "nl.frontlijn.request.acknowledged", requestId,
                new { requestId, status = "acknowledged", version = i }))!.Value);
        }

        // Down: every attempt fails and is rescheduled with a growing wait; nothing is given up.
        Assert.Equal(new DeliverWebhooks.RunResult(12, 0, 0), await SweepAsync(app));
        Assert.Equal(0, (await SweepAsync(app)).Attempted); // the first retry waits ~30 s
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DeliverWebhooks.RunResult(12, 0, 0), await SweepAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(new DeliverWebhooks.RunResult(12, 0, 0), await SweepAsync(app));
        Assert.Equal(12, await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_outbox WHERE status = 'pending' AND attempts = 3"));

        // Back, but the first three events it processes are answered 500: those arrive again and are de-duplicated.
        await receiver.RestartAsync();
        receiver.FailAfterProcessing(3);
        app.Clock.Advance(TimeSpan.FromMinutes(12));
        var back = await SweepAsync(app);
        Assert.Equal(12, back.Attempted);
        Assert.Equal(9, back.Delivered);
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(new DeliverWebhooks.RunResult(3, 3, 0), await SweepAsync(app));

        Assert.Empty(receiver.Problems);
        Assert.Equal(sent.Order(), receiver.Events.Keys.Order());
        Assert.Equal(12, receiver.Arrivals.Distinct().Count());
        Assert.Equal(15, receiver.Arrivals.Count);
        Assert.Equal(12, await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_outbox WHERE status = 'delivered'"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TwoNodesSweepingAtOnce_SendEachEventOnce(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var organisationId = await CreateOrganisationAsync(app, receiver.Url);
        for (var i = 0; i < 20; i++)
        {
            await EnqueueAsync(app, organisationId, "nl.frontlijn.request.answered", Guid.CreateVersion7(), new { status = "answered" });
        }

        var results = await Task.WhenAll(SweepAsync(app), SweepAsync(app), SweepAsync(app));

        Assert.Equal(20, results.Sum(r => r.Delivered));
        Assert.Equal(20, receiver.Arrivals.Count);
        Assert.Equal(20, receiver.Events.Count);
        Assert.Empty(receiver.Problems);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AfterTheRetryWindow_DeliveryIsFailed_ListedForTheAdmin_AndCanBeOfferedAgain(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var organisationId = await CreateOrganisationAsync(app, receiver.Url);
        await receiver.StopAsync();
        var started = app.Clock.GetUtcNow();
        var eventId = (await EnqueueAsync(app, organisationId, "nl.frontlijn.request.overdue", Guid.CreateVersion7(), new { status = "sent" }))!.Value;

        var failed = 0;
        for (var step = 0; step < 100 && failed == 0; step++)
        {
            failed = (await SweepAsync(app)).Failed;
            app.Clock.Advance(TimeSpan.FromMinutes(30));
        }
        Assert.Equal(1, failed);

        var admin = app.ClientFor("admin");
        var list = await admin.GetAsync("/api/v1/webhook-deliveries?status=failed").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, list["total"]!.GetValue<int>());
        var delivery = list["items"]![0]!;
        Assert.Equal(eventId.ToString(), delivery["id"]!.GetValue<string>());
        Assert.Equal("failed", delivery["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(delivery["lastError"]!.GetValue<string>()));
        var failedAt = delivery["failedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(failedAt - started >= TimeSpan.FromHours(24), $"gave up after {failedAt - started}");
        Assert.True(delivery["attempts"]!.GetValue<int>() >= 8, $"only {delivery["attempts"]} attempts");
        // Given up means given up: the sweep leaves it alone.
        app.Clock.Advance(TimeSpan.FromHours(8));
        Assert.Equal(0, (await SweepAsync(app)).Attempted);

        // Only the admin sees deliveries; bad filters are refused.
        await app.ClientFor(null).GetAsync("/api/v1/webhook-deliveries?status=failed").ExpectAsync(HttpStatusCode.Unauthorized);
        await admin.GetAsync("/api/v1/webhook-deliveries?status=lost").ExpectAsync(HttpStatusCode.BadRequest);

        // The receiver is fixed; the admin offers the event again and it arrives under its original id.
        await receiver.RestartAsync();
        var retried = await admin.PostJson($"/api/v1/webhook-deliveries/{eventId}/retry", new { }).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending", retried["status"]!.GetValue<string>());
        Assert.Equal(1, (await SweepAsync(app)).Delivered);
        Assert.Equal(eventId, Assert.Single(receiver.Events).Key);
        Assert.Empty(receiver.Problems);
        var after = await admin.GetAsync("/api/v1/webhook-deliveries?status=failed").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, after["total"]!.GetValue<int>());

        await admin.PostJson($"/api/v1/webhook-deliveries/{eventId}/retry", new { }).ExpectAsync(HttpStatusCode.Conflict);
        await admin.PostJson($"/api/v1/webhook-deliveries/{Guid.CreateVersion7()}/retry", new { }).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task WebhookDeliveries_AreForAdminsOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        foreach (var username in new[] { s.Coach, s.TeamLead, s.BackOffice })
        {
            await app.ClientFor(username).GetAsync("/api/v1/webhook-deliveries").ExpectAsync(HttpStatusCode.Forbidden);
            await app.ClientFor(username).PostJson($"/api/v1/webhook-deliveries/{Guid.CreateVersion7()}/retry", new { })
                .ExpectAsync(HttpStatusCode.Forbidden);
        }
    }

    private static async Task<Guid> CreateOrganisationAsync(TestApp app, Uri webhookUrl)
    {
        var created = await app.ClientFor("admin").PostJson("/api/v1/organisations", new
        {
            name = "GGZ Friesland", kind = "ggz", webhookUrl = webhookUrl.ToString(), webhookSecret = Secret,
            services = new[] { new { code = "ggz-consult", name = "Consultatie" } },
        }).ExpectAsync(HttpStatusCode.Created);
        return created.Id();
    }

    /// <summary>Writes an event as a change would: inside a unit of work, committed, then the after-commit actions.</summary>
    private static async Task<Guid?> EnqueueAsync(TestApp app, Guid organisationId, string type, Guid subject, object data)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        await db.BeginAsync(CancellationToken.None);
        var id = await scope.ServiceProvider.GetRequiredService<WebhookOutbox>()
            .EnqueueAsync(organisationId, type, subject, data, CancellationToken.None);
        await db.CommitAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<AfterCommit>().RunAsync(CancellationToken.None);
        return id;
    }

    /// <summary>One run of the recurring delivery job, in its own scope as Hangfire would run it.</summary>
    private static async Task<DeliverWebhooks.RunResult> SweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeliverWebhooks>().RunAsync(CancellationToken.None);
    }
}
