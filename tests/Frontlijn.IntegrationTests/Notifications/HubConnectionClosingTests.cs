using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Sessions;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Notifications;

/// <summary>
/// A hub connection authenticates once, at connect, and joins its user's, team's and organisation's groups. These
/// tests hold real SignalR clients over Kestrel and check that whatever ends that identity closes the connection
/// (the client's Closed event, and pushes to the old groups that do not reach it): sign-out, deactivation, a change
/// of team or organisation, on this node and on another (Redis), the token's or the cookie's expiry; and that other
/// connections (another user, another session of the same user, a change of name only) stay open.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HubConnectionClosingTests(ProviderApps apps)
{
    // Bounds, not timing assertions: the close itself happens before the change's response (checked on the registry).
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(15);

    /// <summary>A real client of the hub that records its pushes and its Closed event.</summary>
    private sealed class WatchedHub : IAsyncDisposable
    {
        private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
        private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HubConnection Connection { get; }

        private WatchedHub(HubConnection connection)
        {
            Connection = connection;
            connection.On<JsonElement>(NotificationsHub.Method, m => _received.Writer.TryWrite(m.GetProperty("type").GetString()!));
            connection.Closed += e =>
            {
                _closed.TrySetResult(e);
                return Task.CompletedTask;
            };
        }

        public static async Task<WatchedHub> ConnectAsync(HubConnection connection)
        {
            var hub = new WatchedHub(connection);
            await connection.StartAsync();
            // Ready answers only after OnConnectedAsync: the connection is in its groups and registered.
            await connection.InvokeAsync<string>("Ready");
            return hub;
        }

        public static Task<WatchedHub> BearerAsync(TestApp app, string username) => ConnectAsync(app.HubFor(username));

        /// <summary>A browser's connection: the session cookie, no token (as the pages' script connects).</summary>
        public static Task<WatchedHub> CookieAsync(TestApp app, CookieBrowser browser) => ConnectAsync(new HubConnectionBuilder()
            .WithUrl(new Uri(app.ServerAddress, NotificationsHub.Path),
                o => o.Headers["Cookie"] = string.Join("; ", browser.Cookies.Select(c => $"{c.Key}={c.Value}")))
            .Build());

        public bool IsClosed => _closed.Task.IsCompleted;

        public async Task ClosedAsync(TimeSpan? bound = null)
        {
            var finished = await Task.WhenAny(_closed.Task, Task.Delay(bound ?? CloseBound));
            Assert.True(finished == _closed.Task, "The hub connection was not closed by the server.");
            Assert.Equal(HubConnectionState.Disconnected, Connection.State);
        }

        public async Task ReceivesAsync(string type)
        {
            using var cts = new CancellationTokenSource(CloseBound);
            while (true)
            {
                string received;
                try
                {
                    received = await _received.Reader.ReadAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"No '{type}' push arrived.");
                    throw;
                }
                if (received == type) return;
            }
        }

        public void DidNotReceive(string type)
        {
            while (_received.Reader.TryRead(out var received))
            {
                Assert.NotEqual(type, received);
            }
        }

        /// <summary>Still open and served: an invocation round-trips.</summary>
        public async Task IsOpenAsync()
        {
            Assert.False(IsClosed, "The hub connection was closed.");
            Assert.Equal(HubConnectionState.Connected, Connection.State);
            await Connection.InvokeAsync<string>("Ready");
        }

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
    }

    private static Task PushAsync(TestApp app, string group, string type) =>
        app.Services.GetRequiredService<IHubContext<NotificationsHub>>().Clients.Group(group)
            .SendAsync(NotificationsHub.Method, new { type });

    private static int OpenConnections(TestApp app, Guid userId) =>
        app.Services.GetRequiredService<HubConnectionRegistry>().CountOf(userId);

    private static async Task<CookieBrowser> SignedInAsync(TestApp app, string username)
    {
        var browser = new CookieBrowser(app);
        await browser.SignInAsync(username);
        return browser;
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SigningOut_ClosesThatSessionsConnection_NotTheSameUsersTokenConnection_NorAnotherUsers(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        using var browser = await SignedInAsync(app, s.Coach);
        await using var annaCookie = await WatchedHub.CookieAsync(app, browser);
        await using var annaToken = await WatchedHub.BearerAsync(app, s.Coach);
        await using var bram = await WatchedHub.BearerAsync(app, s.SecondCoach);
        Assert.Equal(2, OpenConnections(app, s.CoachId));

        await browser.SignOutAsync();

        // Closed before the sign-out answered: only the token's connection is left of hers.
        Assert.Equal(1, OpenConnections(app, s.CoachId));
        await annaCookie.ClosedAsync();
        await PushAsync(app, NotificationsHub.UserGroup(s.CoachId), "test.after-sign-out");
        await annaToken.ReceivesAsync("test.after-sign-out");
        annaCookie.DidNotReceive("test.after-sign-out");
        await annaToken.IsOpenAsync();
        await bram.IsOpenAsync();
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DeactivationThroughTheApi_ClosesEveryConnectionOfTheUser_AndTheyCannotReconnect(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        using var browser = await SignedInAsync(app, s.Coach);
        await using var annaCookie = await WatchedHub.CookieAsync(app, browser);
        await using var annaToken = await WatchedHub.BearerAsync(app, s.Coach);
        await using var bram = await WatchedHub.BearerAsync(app, s.SecondCoach);

        await UserPatchTests.Patch(app.ClientFor("admin"), s.CoachId, """{"active":false}""").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(0, OpenConnections(app, s.CoachId));
        await annaCookie.ClosedAsync();
        await annaToken.ClosedAsync();
        await PushAsync(app, NotificationsHub.TeamGroup(s.TeamId), "test.team-after-deactivation");
        await bram.ReceivesAsync("test.team-after-deactivation");
        annaToken.DidNotReceive("test.team-after-deactivation");
        annaCookie.DidNotReceive("test.team-after-deactivation");
        await bram.IsOpenAsync();

        // The token is still valid, but a deactivated user is refused at connect.
        await using var again = app.HubFor(s.Coach);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ATeamOrOrganisationChange_ClosesTheConnection_SoTheOldGroupsPushesNoLongerReachIt_ANameChangeDoesNot(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        await using var anna = await WatchedHub.BearerAsync(app, s.Coach);
        await using var bram = await WatchedHub.BearerAsync(app, s.SecondCoach);
        await using var pieter = await WatchedHub.BearerAsync(app, s.BackOffice);
        var pieterId = (await admin.GetAsync("/api/v1/users?pageSize=100").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray()
            .Single(u => u!["username"]!.GetValue<string>() == s.BackOffice)!["id"]!.GetValue<Guid>();

        // A new name changes nothing of what the connection may receive: it stays.
        await UserPatchTests.Patch(admin, s.CoachId, """{"displayName":"Anna de Vries"}""").ExpectAsync(HttpStatusCode.OK);
        await anna.IsOpenAsync();

        await UserPatchTests.Patch(admin, s.CoachId, $$"""{"teamId":"{{s.OtherTeamId}}"}""").ExpectAsync(HttpStatusCode.OK);
        await anna.ClosedAsync();
        await PushAsync(app, NotificationsHub.TeamGroup(s.TeamId), "test.old-team");
        await bram.ReceivesAsync("test.old-team");
        anna.DidNotReceive("test.old-team");

        // Reconnected, she is in her new team's group and not in the old one's.
        await using var annaAgain = await WatchedHub.BearerAsync(app, s.Coach);
        await PushAsync(app, NotificationsHub.TeamGroup(s.TeamId), "test.old-team-again");
        await PushAsync(app, NotificationsHub.TeamGroup(s.OtherTeamId), "test.new-team");
        await annaAgain.ReceivesAsync("test.new-team");
        await bram.ReceivesAsync("test.old-team-again");
        annaAgain.DidNotReceive("test.old-team-again");

        await UserPatchTests.Patch(admin, pieterId, $$"""{"organisationId":"{{s.OtherOrganisationId}}"}""").ExpectAsync(HttpStatusCode.OK);
        await pieter.ClosedAsync();
        await PushAsync(app, NotificationsHub.OrganisationGroup(s.OrganisationId), "test.old-organisation");
        pieter.DidNotReceive("test.old-organisation");
        await bram.IsOpenAsync();
        await annaAgain.IsOpenAsync();
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ATokensExpiry_ClosesItsConnection_ALongerTokensStaysOpen(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var settings = app.Services.GetRequiredService<AuthSettings>();
        // On the system clock, like every test token (the bearer handler validates lifetimes on it); the handler's
        // one minute of clock skew would still accept it, the connection must not outlive its exp all the same.
        var shortToken = DemoTokens.Issue(settings, s.Coach, TimeProvider.System, TimeSpan.FromSeconds(4));
        await using var anna = await WatchedHub.ConnectAsync(new HubConnectionBuilder()
            .WithUrl(new Uri(app.ServerAddress, NotificationsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(shortToken))
            .Build());
        await using var bram = await WatchedHub.BearerAsync(app, s.SecondCoach);

        await anna.ClosedAsync();
        await bram.IsOpenAsync();
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheSessionsAbsoluteLimit_ClosesTheCookieConnection(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        using var browser = await SignedInAsync(app, s.Coach);
        await using var anna = await WatchedHub.CookieAsync(app, browser);
        await using var bram = await WatchedHub.BearerAsync(app, s.SecondCoach);
        await anna.IsOpenAsync();

        // Auth:SessionHours is 10 by default; the cookie (and its session) end then, on the service's clock.
        app.Clock.Advance(app.Services.GetRequiredService<SessionSettings>().Absolute + TimeSpan.FromMinutes(1));

        await anna.ClosedAsync();
        await bram.IsOpenAsync();
    }

    // The database round of the sweep (every 10 s) plus slack for a loaded machine.
    private static readonly TimeSpan SweepBound = HubExpirySweep.DatabaseInterval * 3;

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheSessionsIdleTimeout_ClosesTheCookieConnection_WithoutARequest(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        using var browser = await SignedInAsync(app, s.Coach);
        await using var anna = await WatchedHub.CookieAsync(app, browser);
        await using var annaToken = await WatchedHub.BearerAsync(app, s.Coach);

        // No request from that browser for longer than Auth:IdleMinutes (30): the session has lapsed.
        app.Clock.Advance(app.Services.GetRequiredService<SessionSettings>().Idle + TimeSpan.FromMinutes(1));

        await anna.ClosedAsync(SweepBound);
        // The same user's token connection is not a session: it stays.
        await annaToken.IsOpenAsync();
        // And the browser's next request agrees: the session is over.
        using var next = await browser.GetAsync("/api/v1/caseload");
        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AChangeOutsideTheService_ClosesTheConnectionWithinTheSweep_OthersStayOpen(string provider)
    {
        // An operator's SQL is announced to nobody; the sweep compares every connection's team, organisation, role and
        // active status with the users table.
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        await using var anna = await WatchedHub.BearerAsync(app, s.Coach);
        await using var bram = await WatchedHub.BearerAsync(app, s.SecondCoach);
        await using var sanne = await WatchedHub.BearerAsync(app, s.TeamLead);

        await app.ScalarAsync<object?>("UPDATE users SET team_id = @team WHERE id = @id", new { team = s.OtherTeamId, id = s.CoachId });
        await app.ScalarAsync<object?>("UPDATE users SET deactivated_at = @now WHERE id = @id",
            new { now = app.Clock.GetUtcNow(), id = s.TeamLeadId });

        await anna.ClosedAsync(SweepBound);
        await sanne.ClosedAsync(SweepBound);
        await PushAsync(app, NotificationsHub.TeamGroup(s.TeamId), "test.old-team");
        await bram.ReceivesAsync("test.old-team");
        anna.DidNotReceive("test.old-team");
        await bram.IsOpenAsync();
    }

    [Theory, MemberData(nameof(Providers.WithRedis), MemberType = typeof(Providers))]
    public async Task TwoNodes_DeactivationAndSignOutThroughNodeA_CloseTheConnectionsOnNodeB_BeforeTheyAnswer(string provider)
    {
        var redis = Providers.RedisConfiguration;
        Assert.False(string.IsNullOrWhiteSpace(redis),
            "CI=true requires Redis: set FRONTLIJN_TEST_REDIS (scripts/test.sh starts a server and sets it).");
        var settings = new Dictionary<string, string> { ["Redis:Configuration"] = redis! };
        await using var nodeA = await TestApp.StartAsync(provider, settings);
        await using var nodeB = TestApp.StartNode(nodeA);
        await nodeA.ResetAsync();
        var s = await Scenario.CreateAsync(nodeA);

        // The browser signed in on node A, its hub connection went to node B (a load balancer without affinity).
        using var browserA = await SignedInAsync(nodeA, s.SecondCoach);
        using var browserB = browserA.CopyTo(nodeB.ServerAddress);
        await using var bramCookieOnB = await WatchedHub.CookieAsync(nodeB, browserB);
        await using var bramTokenOnB = await WatchedHub.BearerAsync(nodeB, s.SecondCoach);
        await using var annaOnB = await WatchedHub.BearerAsync(nodeB, s.Coach);
        await using var sanneOnB = await WatchedHub.BearerAsync(nodeB, s.TeamLead);
        Assert.Equal(2, OpenConnections(nodeB, s.SecondCoachId));

        await browserA.SignOutAsync();
        // Node A waited for node B's confirmation before it answered.
        Assert.Equal(1, OpenConnections(nodeB, s.SecondCoachId));
        await bramCookieOnB.ClosedAsync();
        await bramTokenOnB.IsOpenAsync();

        await UserPatchTests.Patch(nodeA.ClientFor("admin"), s.CoachId, """{"active":false}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, OpenConnections(nodeB, s.CoachId));
        await annaOnB.ClosedAsync();
        // A push through node A to the team still reaches the others on node B over the backplane, and not her.
        await PushAsync(nodeA, NotificationsHub.TeamGroup(s.TeamId), "test.team-after-deactivation");
        await sanneOnB.ReceivesAsync("test.team-after-deactivation");
        await bramTokenOnB.ReceivesAsync("test.team-after-deactivation");
        annaOnB.DidNotReceive("test.team-after-deactivation");
        await sanneOnB.IsOpenAsync();
    }
}
