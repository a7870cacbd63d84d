using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Signals;

/// <summary>
/// The shared triage queue is per municipality: a signal no neighbourhood covers, in a city that is a municipality of
/// the installation, is for the team leads whose team covers a neighbourhood of that municipality only.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class SharedQueueTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnUncoveredAddress_InLeeuwarden_IsInTheSharedQueueOfLeeuwardensTeamLeadsOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        // PC4 8911 is in no neighbourhood; Sanne's team covers a neighbourhood of municipality Leeuwarden, Joost's of Enschede.
        var answer = await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals",
            ASignal(Address(postalCode: "8911AA", houseNumber: 4, street: "Nieuwestad", city: "leeuwarden"))).ExpectAsync(HttpStatusCode.Created);
        var signal = answer.Id("signalId");
        Assert.Equal("Gedeelde triagewachtrij", answer["routedTo"]!["displayName"]!.GetValue<string>());

        var sanne = await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(signal, sanne["items"]!.AsArray().Single()!.Id());
        Assert.True(sanne["items"]![0]!["sharedQueue"]!.GetValue<bool>());
        var joost = await app.ClientFor(s.OtherTeamLead).GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, joost["total"]!.GetValue<int>());
        Assert.Equal(1, await InboxAsync(app, s.TeamLeadId));
        Assert.Equal(0, await InboxAsync(app, s.OtherTeamLeadId));
        await app.ClientFor(s.OtherTeamLead).PostJson($"/api/v1/signals/{signal}/triage",
            new { coachId = s.OtherCoachId, neighbourhoodId = s.OtherNeighbourhoodId }).ExpectAsync(HttpStatusCode.NotFound);

        await app.ClientFor(s.TeamLead).PostJson($"/api/v1/signals/{signal}/triage",
            new { coachId = s.CoachId, neighbourhoodId = s.NeighbourhoodId }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.TeamId, await app.ScalarAsync<Guid>("SELECT team_id FROM signals WHERE id = @signal", new { signal }));
    }

    private static Task<int> InboxAsync(TestApp app, Guid recipient) => app.ScalarAsync<int>(
        "SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @recipient AND type = 'nl.frontlijn.signal.routed'", new { recipient });
}
