using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Webhooks;
using Frontlijn.Web.Features.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>Everyone concerned hears of every change at once (SignalR), and nothing is lost when they were offline (inbox).</summary>
[Collection(IntegrationGroup.Name)]
public sealed class RequestNotificationTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BackOffice_HearsOfTheRequestLive_AndTheCoach_HearsTheAnswerLive(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        await using var backOffice = await NotificationListener.ConnectAsync(app, w.S.BackOffice);
        await using var coach = await NotificationListener.ConnectAsync(app, w.S.Coach);
        await using var otherBackOffice = await NotificationListener.ConnectAsync(app, w.S.OtherBackOffice);

        var id = (await w.SendAsync()).Id();
        var sent = await backOffice.NextAsync("nl.frontlijn.request.sent");
        Assert.Equal(id.ToString(), sent.GetProperty("requestId").GetString());
        Assert.Equal(w.HouseholdId.ToString(), sent.GetProperty("householdId").GetString());
        Assert.DoesNotContain("Bosma", sent.GetProperty("title").GetString(), StringComparison.Ordinal);

        await w.ValidChangeAsync(id, "acknowledged", 1);
        await w.ValidChangeAsync(id, "answered", 2);
        Assert.Equal(id.ToString(), (await coach.NextAsync("nl.frontlijn.request.acknowledged")).GetProperty("requestId").GetString());
        Assert.Equal(id.ToString(), (await coach.NextAsync("nl.frontlijn.request.answered")).GetProperty("requestId").GetString());

        // Nobody outside the request heard anything: the other organisation's inbox is empty.
        var inbox = await app.ClientFor(w.S.OtherBackOffice).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(inbox["items"]!.AsArray());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ACoachWhoWasOffline_CatchesUpFromTheInbox_AfterReconnecting(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var id = (await w.SendAsync()).Id();
        long cursor;
        await using (var coach = await NotificationListener.ConnectAsync(app, w.S.Coach))
        {
            await w.ValidChangeAsync(id, "acknowledged", 1);
            cursor = (await coach.NextAsync("nl.frontlijn.request.acknowledged")).GetProperty("cursor").GetInt64();
        }

        // Offline: the back office asks a question and answers.
        await w.BackOffice.PostJson($"/api/v1/requests/{id}/messages", new { text = "Is er een budgetplan?" }).ExpectAsync(HttpStatusCode.Created);
        await w.ValidChangeAsync(id, "answered", 2);

        await using var back = await NotificationListener.ConnectAsync(app, w.S.Coach);
        var missed = await w.Coach.GetAsync($"/api/v1/notifications?after={cursor}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["nl.frontlijn.request.message-posted", "nl.frontlijn.request.answered"],
            missed["items"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()));
        Assert.All(missed["items"]!.AsArray(), n => Assert.Equal(id, n!.Id("requestId")));

        // Still live after reconnecting.
        await w.Coach.PostJson($"/api/v1/requests/{id}/messages", new { text = "Ja, die stuur ik mee." }).ExpectAsync(HttpStatusCode.Created);
        await w.BackOffice.PostJson($"/api/v1/requests/{id}/messages", new { text = "Dank, ontvangen." }).ExpectAsync(HttpStatusCode.Created);
        await back.NextAsync("nl.frontlijn.request.message-posted");
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClarificationThread_IsBetweenCoachAndAddressee(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var id = (await w.SendAsync()).Id();
        var path = $"/api/v1/requests/{id}/messages";

        await w.Coach.PostJson(path, new { text = "Aanvulling: er zijn twee schuldeisers." }).ExpectAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await w.BackOffice.PostJson(path, new { text = "Welke twee?" }).ExpectAsync(HttpStatusCode.Created);
        await app.ClientFor(w.S.TeamLead).PostJson(path, new { text = "Meekijken" }).ExpectAsync(HttpStatusCode.Forbidden);
        await w.Coach.PostJson(path, new { text = "" }).ExpectAsync(HttpStatusCode.BadRequest);
        await w.Coach.PostJson(path, new { text = new string('x', 4001) }).ExpectAsync(HttpStatusCode.BadRequest);

        var thread = await app.ClientFor(w.S.TeamLead).GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["coach", "back-office"], thread["items"]!.AsArray().Select(m => m!["authorRole"]!.GetValue<string>()));
        Assert.Equal("Welke twee?", thread["items"]![1]!["text"]!.GetValue<string>());
        // Each message is announced to the other side: the coach's to the back office, the back office's to the coach.
        Assert.Equal(2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE request_id = @id AND type = 'nl.frontlijn.request.message-posted'", new { id }));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM involvements WHERE household_id = @householdId",
            new { householdId = w.HouseholdId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryChange_GoesOutAsASignedWebhook_WithIdsOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var secret = "whsec_" + Convert.ToBase64String("frontlijn-request-webhook-key-32!"u8.ToArray());
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var w = await RequestWorld.CreateAsync(app);
        var ggz = (await app.ClientFor("admin").PostJson("/api/v1/organisations", new
        {
            name = "GGZ Friesland", kind = "ggz", webhookUrl = receiver.Url.ToString(), webhookSecret = secret,
            services = new[] { new { code = "ggz-consult", name = "Consultatie" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        await app.ClientFor("admin").PostJson("/api/v1/users", new { username = "ggz.eva", displayName = "Eva", role = "back-office", organisationId = ggz })
            .ExpectAsync(HttpStatusCode.Created);
        var id = (await w.SendAsync(organisationId: ggz, service: "ggz-consult", legalBasis: "zwaarwegend-belang")).Id();
        var eva = app.ClientFor("ggz.eva");
        await w.ChangeAsync(id, "acknowledged", 1, by: eva);
        await eva.PostJson($"/api/v1/requests/{id}/messages", new { text = "Wanneer kan het gesprek zijn?" }).ExpectAsync(HttpStatusCode.Created);
        await w.ChangeAsync(id, "answered", 2, by: eva, answer: "Consult op maandag, mevrouw Bosma is op de hoogte.");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DeliverWebhooks>().RunAsync(CancellationToken.None);
        }

        Assert.Empty(receiver.Problems);
        var events = receiver.Events.Values.OrderBy(e => e["time"]!.GetValue<DateTimeOffset>()).ThenBy(e => e["id"]!.GetValue<string>()).ToList();
        Assert.Equal(
            ["nl.frontlijn.request.acknowledged", "nl.frontlijn.request.answered", "nl.frontlijn.request.message-posted", "nl.frontlijn.request.sent"],
            events.Select(e => e["type"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(id.ToString(), e["subject"]!.GetValue<string>()));
        // Ids, status and dates only: no question, answer, message text or names leave Frontlijn by webhook.
        foreach (var e in events)
        {
            var json = e.ToJsonString();
            Assert.DoesNotContain("Bosma", json, StringComparison.Ordinal);
            Assert.DoesNotContain("gesprek", json, StringComparison.Ordinal);
            Assert.DoesNotContain("schuldhulp deze maand", json, StringComparison.Ordinal);
        }
        Assert.Equal(3, events.Single(e => e["type"]!.GetValue<string>() == "nl.frontlijn.request.answered")["data"]!["version"]!.GetValue<int>());
        // The organisation without a webhook got no outbox rows.
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_outbox WHERE organisation_id = @organisationId",
            new { organisationId = w.S.OrganisationId }));
    }
}
