using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Notifications;

[Collection(IntegrationGroup.Name)]
public sealed class NotificationTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Inbox_CatchesUpAfterACursor_OldestFirst(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var lead = app.ClientFor(s.TeamLead);
        var households = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            var household = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: i)).Id();
            await lead.AssignCoachAsync(household, s.SecondCoachId);
            households.Add(household);
        }
        var bram = app.ClientFor(s.SecondCoach);

        var first = await bram.GetAsync("/api/v1/notifications?limit=2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(households[..2], first["items"]!.AsArray().Select(n => n!.Id("householdId")));
        Assert.True(first["hasMore"]!.GetValue<bool>());
        var cursor = first["nextCursor"]!.GetValue<long>();
        Assert.Equal(first["items"]![1]!["cursor"]!.GetValue<long>(), cursor);

        var rest = await bram.GetAsync($"/api/v1/notifications?after={cursor}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([households[2]], rest["items"]!.AsArray().Select(n => n!.Id("householdId")));
        Assert.False(rest["hasMore"]!.GetValue<bool>());
        var last = rest["nextCursor"]!.GetValue<long>();
        var nothing = await bram.GetAsync($"/api/v1/notifications?after={last}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(nothing["items"]!.AsArray());
        Assert.Equal(last, nothing["nextCursor"]!.GetValue<long>());

        // Every inbox is private.
        var anna = await app.ClientFor(s.Coach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(anna["items"]!.AsArray());
        await bram.GetAsync("/api/v1/notifications?after=-1").ExpectAsync(HttpStatusCode.BadRequest);
        await bram.GetAsync("/api/v1/notifications?limit=500").ExpectAsync(HttpStatusCode.BadRequest);
        await bram.GetAsync("/api/v1/notifications?after=abc").ExpectAsync(HttpStatusCode.BadRequest);
        await app.ClientFor(null).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MarkRead_OnlyOwnNotifications(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var lead = app.ClientFor(s.TeamLead);
        var household = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await lead.AssignCoachAsync(household, s.SecondCoachId);
        var bram = app.ClientFor(s.SecondCoach);
        var notification = (await bram.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK))["items"]![0]!.Id();

        await app.ClientFor(s.Coach).PostAsync($"/api/v1/notifications/{notification}/read", null).ExpectAsync(HttpStatusCode.NotFound);
        await bram.PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null).ExpectAsync(HttpStatusCode.NotFound);
        await bram.PostAsync($"/api/v1/notifications/{notification}/read", null).ExpectAsync(HttpStatusCode.NoContent);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await bram.PostAsync($"/api/v1/notifications/{notification}/read", null).ExpectAsync(HttpStatusCode.NoContent);

        var read = (await bram.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK))["items"]![0]!;
        Assert.Equal(app.Clock.GetUtcNow().AddHours(-1), read["readAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Push_CarriesTheContractShape_AndMatchesTheInbox(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        await using var bram = await NotificationListener.ConnectAsync(app, s.SecondCoach);
        var lead = app.ClientFor(s.TeamLead);
        var household = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await lead.AssignCoachAsync(household, s.SecondCoachId);

        var pushed = await bram.NextAsync("nl.frontlijn.household.coach-assigned");
        var inbox = (await app.ClientFor(s.SecondCoach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK))["items"]![0]!;
        Assert.Equal(inbox.Id().ToString(), pushed.GetProperty("id").GetString());
        Assert.Equal(household.ToString(), pushed.GetProperty("householdId").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pushed.GetProperty("requestId").ValueKind);
        Assert.Equal(inbox["title"]!.GetValue<string>(), pushed.GetProperty("title").GetString());
        Assert.Equal(inbox["cursor"]!.GetValue<long>(), pushed.GetProperty("cursor").GetInt64());
        Assert.True(pushed.TryGetProperty("createdAt", out _));
        // The title names no household member.
        Assert.DoesNotContain("Bosma", pushed.GetProperty("title").GetString(), StringComparison.Ordinal);
    }
}
