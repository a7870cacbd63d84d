using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Platform;

[Collection(IntegrationGroup.Name)]
public sealed class PlatformTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Health_IsLiveAndReady_WhenTheSchemaIsCurrent(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var client = app.ClientFor(null);
        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Responses_CarryApiVersionAndSecurityHeaders(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var response = await app.ClientFor("admin").GetAsync("/api/v1/teams");
        Assert.Equal("1.0.0", response.Headers.GetValues("API-Version").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task HangfireDashboard_IsForAdminsOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        using var anonymous = await app.ClientFor(null).GetAsync("/hangfire");
        using var coach = await app.ClientFor(s.Coach).GetAsync("/hangfire");
        using var admin = await app.ClientFor("admin").GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, coach.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Hangfire", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task NotificationsHub_RefusesAnonymousClients(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(app.ServerAddress, NotificationsHub.Path)).Build();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task NotificationsHub_PutsEachConnectionInItsUserTeamAndOrganisationGroups(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var hubContext = app.Services.GetRequiredService<IHubContext<NotificationsHub>>();

        await using var coach = app.HubFor(s.Coach);
        await using var colleague = app.HubFor(s.SecondCoach);
        await using var backOffice = app.HubFor(s.BackOffice);
        var coachInbox = Inbox(coach);
        var colleagueInbox = Inbox(colleague);
        var backOfficeInbox = Inbox(backOffice);
        await Task.WhenAll(coach.StartAsync(), colleague.StartAsync(), backOffice.StartAsync());
        await Task.WhenAll(coach.InvokeAsync<string>("Ready"), colleague.InvokeAsync<string>("Ready"), backOffice.InvokeAsync<string>("Ready"));

        await hubContext.Clients.Group(NotificationsHub.UserGroup(s.CoachId)).SendAsync(NotificationsHub.Method, "to-coach");
        await hubContext.Clients.Group(NotificationsHub.TeamGroup(s.TeamId)).SendAsync(NotificationsHub.Method, "to-team");
        await hubContext.Clients.Group(NotificationsHub.OrganisationGroup(s.OrganisationId)).SendAsync(NotificationsHub.Method, "to-org");

        Assert.Equal(["to-coach", "to-team"], await Take(coachInbox, 2));
        Assert.Equal(["to-team"], await Take(colleagueInbox, 1));
        Assert.Equal(["to-org"], await Take(backOfficeInbox, 1));
        // Nothing else arrives: the colleague did not get the coach's personal message.
        await hubContext.Clients.Group(NotificationsHub.UserGroup(s.SecondCoachId)).SendAsync(NotificationsHub.Method, "marker");
        Assert.Equal(["marker"], await Take(colleagueInbox, 1));
    }

    private static System.Threading.Channels.Channel<string> Inbox(HubConnection hub)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<string>();
        hub.On<string>(NotificationsHub.Method, message => channel.Writer.TryWrite(message));
        return channel;
    }

    private static async Task<string[]> Take(System.Threading.Channels.Channel<string> inbox, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var messages = new List<string>();
        while (messages.Count < count)
        {
            messages.Add(await inbox.Reader.ReadAsync(timeout.Token));
        }
        return [.. messages];
    }
}
