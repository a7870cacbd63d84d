using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Signals;

[Collection(IntegrationGroup.Name)]
public sealed class SignalTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Signal_ForAKnownAddress_ReachesThatHouseholdsCoach_OverSignalR(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 5)).Id();
        await using var anna = await NotificationListener.ConnectAsync(app, s.Coach);

        var routed = await app.ClientFor(s.OtherBackOffice)
            .PostJson("/api/v1/signals", ASignal(Address(postalCode: "8925AB", houseNumber: 5))).ExpectAsync(HttpStatusCode.Created);

        // The sender is an outsider who named an address only: told the team, not the household (no oracle).
        Assert.Null(routed["householdId"]);
        Assert.Equal("team", routed["routedTo"]!["kind"]!.GetValue<string>());
        Assert.Equal(household, await app.ScalarAsync<Guid>("SELECT household_id FROM signals WHERE id = @id", new { id = routed.Id("signalId") }));
        var pushed = await anna.NextAsync("nl.frontlijn.signal.routed");
        Assert.Equal(household.ToString(), pushed.GetProperty("householdId").GetString());
        // Nothing waits in triage: the contact has it.
        var queue = await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, queue["total"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Signal_MatchesByBsn_ElseAddress_ElseFamilyNameAndDateOfBirth(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var byBsn = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1, bsn: Bsn2)).Id();
        var byName = (await app.ClientFor(s.SecondCoach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2, familyName: "Wolters")).Id();
        var sender = app.ClientFor(s.BackOffice);

        var bsn = await sender.PostJson("/api/v1/signals", ASignal(Address(postalCode: "7544AA", houseNumber: 90),
            members: [new { familyName = "Onbekend", bsn = Bsn2 }])).ExpectAsync(HttpStatusCode.Created);
        // An outsider who knows the person (BSN, or name + date of birth) is told the coach, never the household.
        Assert.Equal("coach", bsn["routedTo"]!["kind"]!.GetValue<string>());
        Assert.Equal(s.Coach, bsn["routedTo"]!["displayName"]!.GetValue<string>());
        Assert.Equal(byBsn, await HouseholdOfAsync(app, bsn));

        var name = await sender.PostJson("/api/v1/signals", ASignal(Address(postalCode: "8924XY", houseNumber: 200),
            members: [new { familyName = " wolters ", dateOfBirth = "1984-05-12" }])).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(s.SecondCoach, name["routedTo"]!["displayName"]!.GetValue<string>());
        Assert.Equal(byName, await HouseholdOfAsync(app, name));

        var none = await sender.PostJson("/api/v1/signals", ASignal(Address(postalCode: "8924XY", houseNumber: 201),
            members: [new { familyName = "Wolters", dateOfBirth = "1999-05-12" }])).ExpectAsync(HttpStatusCode.Created);
        Assert.Null(none["householdId"]);
        Assert.Equal("team", none["routedTo"]!["kind"]!.GetValue<string>());
        Assert.Equal("Frontlijnteam Oost", none["routedTo"]!["teamName"]!.GetValue<string>()); // PC4 8924 is in the team's neighbourhood
        Assert.Null(await HouseholdOfAsync(app, none));
    }

    private static Task<Guid?> HouseholdOfAsync(TestApp app, System.Text.Json.Nodes.JsonNode answer) =>
        app.ScalarAsync<Guid?>("SELECT household_id FROM signals WHERE id = @id", new { id = answer.Id("signalId") });

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task UnknownAddress_WaitsInTheTeamsQueue_AndTriageRegistersTheHouseholdWithACoach(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var signal = (await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 40),
            members: [new { givenName = "Piet", familyName = "Hoekstra", dateOfBirth = "1950-02-02", bsn = Bsn1, role = "head" }]))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");
        var lead = app.ClientFor(s.TeamLead);

        var queue = await lead.GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK);
        var item = queue["items"]!.AsArray().Single()!;
        Assert.Equal(signal, item.Id());
        Assert.False(item["sharedQueue"]!.GetValue<bool>());
        Assert.Equal("*****2333", item["members"]![0]!["bsn"]!.GetValue<string>());
        var leadInbox = await lead.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("nl.frontlijn.signal.routed", leadInbox["items"]![0]!["type"]!.GetValue<string>());
        // Other teams do not see it, other roles may not look.
        var otherQueue = await app.ClientFor(s.OtherTeamLead).GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, otherQueue["total"]!.GetValue<int>());
        await app.ClientFor(s.Coach).GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.OtherTeamLead).PostJson($"/api/v1/signals/{signal}/triage", new { coachId = s.OtherCoachId })
            .ExpectAsync(HttpStatusCode.NotFound);
        await lead.PostJson($"/api/v1/signals/{signal}/triage", new { }).ExpectAsync(HttpStatusCode.BadRequest);

        var triaged = await lead.PostJson($"/api/v1/signals/{signal}/triage", new { coachId = s.SecondCoachId })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.True(triaged["newHousehold"]!.GetValue<bool>());
        var household = triaged.Id("householdId");
        var detail = await lead.GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", detail["status"]!.GetValue<string>());
        Assert.Equal(s.SecondCoachId, detail["coach"]!.Id());
        Assert.Equal("Hoekstra", detail["members"]![0]!["familyName"]!.GetValue<string>());
        Assert.Equal("*****2333", detail["members"]![0]!["bsn"]!.GetValue<string>());
        var bram = await app.ClientFor(s.SecondCoach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["nl.frontlijn.household.coach-assigned", "nl.frontlijn.signal.routed"],
            bram["items"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()));

        Assert.Equal(0, (await lead.GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());
        await lead.PostJson($"/api/v1/signals/{signal}/triage", new { coachId = s.CoachId }).ExpectAsync(HttpStatusCode.Conflict);
        // The next signal about the same person now reaches the new contact directly (matched by BSN).
        var next = await app.ClientFor(s.OtherBackOffice).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 41),
            members: [new { familyName = "Hoekstra", bsn = Bsn1 }])).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(s.SecondCoach, next["routedTo"]!["displayName"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SignalForAHouseholdWithoutCoach_WaitsLinked_AndTriageAssignsWithoutADuplicate(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var lead = app.ClientFor(s.TeamLead);
        var household = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 8)).Id();

        var signal = await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 8)))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("team", signal["routedTo"]!["kind"]!.GetValue<string>());
        var queued = (await lead.GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.OK))["items"]![0]!;
        Assert.Equal(household, queued.Id("householdId"));

        var triaged = await lead.PostJson($"/api/v1/signals/{signal.Id("signalId")}/triage", new { coachId = s.CoachId, reason = "Dichtbij" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.False(triaged["newHousehold"]!.GetValue<bool>());
        Assert.Equal(household, triaged.Id("householdId"));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM households"));
        Assert.Equal("active", await app.ScalarAsync<string>("SELECT status FROM households WHERE id = @household", new { household }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Triage_NeverCreatesASecondHouseholdOnAnAddress(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var signal = (await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 60)))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");
        // Meanwhile a coach registers the household at that address.
        await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 60);

        var lead = app.ClientFor(s.TeamLead);
        var conflict = await lead.PostJson($"/api/v1/signals/{signal}/triage", new { coachId = s.SecondCoachId })
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.NotNull(conflict["householdId"]);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM households"));
        // Linking it to the existing household (whose coach stays the contact) is the way.
        var linked = await lead.PostJson($"/api/v1/signals/{signal}/triage", new { householdId = conflict.Id("householdId") })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.CoachId, linked["coach"]!.Id());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AddressNoNeighbourhoodCovers_OfNoKnownMunicipality_GoesToTheSharedQueue_EveryTeamLeadSeesIt(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var signal = await app.ClientFor(s.Coach).PostJson("/api/v1/signals", ASignal(Address(postalCode: "1011AB", houseNumber: 1, city: "Amsterdam")))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Null(signal["routedTo"]!["teamName"]);
        // Amsterdam is no municipality of any neighbourhood here: every team lead sees it, so it is never lost.

        foreach (var lead in new[] { s.TeamLead, s.OtherTeamLead })
        {
            var queue = await app.ClientFor(lead).GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK);
            Assert.True(queue["items"]![0]!["sharedQueue"]!.GetValue<bool>());
            var inbox = await app.ClientFor(lead).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
            Assert.Single(inbox["items"]!.AsArray());
        }
        // No neighbourhood of the team covers 1011: the team lead names one.
        var joost = app.ClientFor(s.OtherTeamLead);
        var problem = await joost.PostJson($"/api/v1/signals/{signal.Id("signalId")}/triage", new { coachId = s.OtherCoachId })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("neighbourhoodId", problem["errors"]!.AsObject().Select(e => e.Key));
        var triaged = await joost.PostJson($"/api/v1/signals/{signal.Id("signalId")}/triage",
            new { coachId = s.OtherCoachId, neighbourhoodId = s.OtherNeighbourhoodId }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.OtherCoachId, triaged["coach"]!.Id());
        // It now belongs to Joost's team: Sanne no longer sees it.
        Assert.Equal(0, (await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals?status=triaged").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidSignal_Is400_ListingEveryField_AndWritesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var problem = await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", new
        {
            address = new { houseNumber = 1, postalCode = "ABCD12" },
            members = new[] { new { familyName = "", bsn = "111222334" } },
            concern = "",
            domains = new[] { "geld" },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string>
        {
            "address.street", "address.postalCode", "address.city", "members[0].familyName", "members[0].bsn", "concern", "domains[0]",
        }, problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet());
        Assert.DoesNotContain("111222334", problem.ToJsonString(), StringComparison.Ordinal);
        await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", new { concern = "x" }).ExpectAsync(HttpStatusCode.BadRequest);
        await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals?status=open").ExpectAsync(HttpStatusCode.BadRequest);
        await app.ClientFor(null).PostJson("/api/v1/signals", ASignal(Address())).ExpectAsync(HttpStatusCode.Unauthorized);

        foreach (var table in new[] { "signals", "signal_members", "access_log", "notifications" })
        {
            Assert.Equal(0, await app.ScalarAsync<int>($"SELECT COUNT(*) FROM {table}"));
        }
    }
}
