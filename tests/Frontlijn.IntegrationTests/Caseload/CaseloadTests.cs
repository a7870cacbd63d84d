using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Caseload;

[Collection(IntegrationGroup.Name)]
public sealed class CaseloadTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Coach_SeesOwnHouseholds_Paged_AndSortedByStatusOrRegistration(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var anna = app.ClientFor(s.Coach);
        var first = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1)).Id();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var second = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2)).Id();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var third = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3)).Id();
        await app.ClientFor(s.SecondCoach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 4);
        await anna.PostJson($"/api/v1/households/{first}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);

        var page1 = await anna.GetAsync("/api/v1/caseload?pageSize=2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, page1["total"]!.GetValue<int>());
        Assert.Equal([first, second], page1["items"]!.AsArray().Select(i => i!.Id("householdId")));
        var page2 = await anna.GetAsync("/api/v1/caseload?pageSize=2&page=2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([third], page2["items"]!.AsArray().Select(i => i!.Id("householdId")));
        var item = page1["items"]![0]!;
        Assert.Equal("closing", item["status"]!.GetValue<string>());
        Assert.Equal(0, item["openRequests"]!.GetValue<int>());
        Assert.Null(item["nextDueAt"]);
        Assert.Equal("8925AB", item["address"]!["postalCode"]!.GetValue<string>());

        var byStatus = await anna.GetAsync("/api/v1/caseload?sort=status").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([second, third, first], byStatus["items"]!.AsArray().Select(i => i!.Id("householdId")));
        await anna.GetAsync("/api/v1/caseload?sort=nextDue").ExpectAsync(HttpStatusCode.OK);
        await anna.GetAsync("/api/v1/caseload?sort=name").ExpectAsync(HttpStatusCode.BadRequest);
        await anna.GetAsync("/api/v1/caseload?pageSize=0").ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TeamLead_SeesEveryCoachOfTheTeam_AgainstTheirMaximum(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app, maxCaseload: 2);
        var anna = app.ClientFor(s.Coach);
        await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1);
        await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2);
        await app.ClientFor(s.TeamLead).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3);

        var view = await app.ClientFor(s.TeamLead).GetAsync("/api/v1/caseload/coaches").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.TeamId, view.Id("teamId"));
        Assert.Equal(1, view["unassignedHouseholds"]!.GetValue<int>());
        var coaches = view["items"]!.AsArray().ToDictionary(c => c!.Id("coachId"));
        // Both coaches, in no particular order (two UUIDv7 ids made in the same millisecond have no fixed order).
        Assert.Equal(new[] { s.CoachId, s.SecondCoachId }.Order(), coaches.Keys.Order());
        Assert.Equal(2, coaches[s.CoachId]!["openHouseholds"]!.GetValue<int>());
        Assert.True(coaches[s.CoachId]!["full"]!.GetValue<bool>());
        Assert.Equal(0, coaches[s.SecondCoachId]!["openHouseholds"]!.GetValue<int>());
        Assert.Equal(2, coaches[s.SecondCoachId]!["available"]!.GetValue<int>());

        // A full coach cannot register more either: the caseload rule holds for self-assignment too.
        await anna.PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, houseNumber: 9)).ExpectAsync(HttpStatusCode.Conflict);
        await anna.GetAsync("/api/v1/caseload/coaches").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.TeamLead).GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.BackOffice).GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.Forbidden);
    }
}
