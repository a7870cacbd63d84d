using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>
/// Two nodes of one installation behind a load balancer: the coach's browser is connected to node A, the back office
/// sends its signal through node B. With Redis as the SignalR backplane the push still reaches the coach.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ScaleOutTests
{
    [Theory, MemberData(nameof(Providers.WithRedis), MemberType = typeof(Providers))]
    public async Task APushFromNodeB_ReachesAClientOfNodeA_ThroughTheRedisBackplane(string provider)
    {
        var redis = Providers.RedisConfiguration;
        Assert.False(string.IsNullOrWhiteSpace(redis),
            "CI=true requires Redis: set FRONTLIJN_TEST_REDIS (scripts/test.sh starts a server and sets it).");
        var settings = new Dictionary<string, string> { ["Redis:Configuration"] = redis! };
        await using var nodeA = await TestApp.StartAsync(provider, settings);
        await using var nodeB = TestApp.StartNode(nodeA);
        await nodeA.ResetAsync();

        var s = await Scenario.CreateAsync(nodeA);
        var household = await nodeA.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId);
        await using var coach = await NotificationListener.ConnectAsync(nodeA, s.Coach);

        var sent = await nodeB.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address())).ExpectAsync(HttpStatusCode.Created);

        var pushed = await coach.NextAsync("nl.frontlijn.signal.routed");
        Assert.Equal(household.Id().ToString(), pushed.GetProperty("householdId").GetString());
        // An address alone tells an outsider only the team (SPEC "Signals: no oracle"); the coach got it all the same.
        Assert.Equal("team", sent["routedTo"]!["kind"]!.GetValue<string>());
        Assert.Null(sent["routedTo"]!["coachId"]);
    }
}
