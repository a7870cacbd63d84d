using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Households;

[Collection(IntegrationGroup.Name)]
public sealed class HouseholdTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RegisterHousehold_MakesTheRegisteringCoachItsContact_AndMasksTheBsn(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);

        var created = await coach.RegisterHouseholdAsync(s.NeighbourhoodId, bsn: Bsn1);

        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.Equal(s.CoachId, created["coach"]!.Id());
        Assert.Equal("8925AB", created["address"]!["postalCode"]!.GetValue<string>());
        Assert.Equal("*****2333", created["members"]![0]!["bsn"]!.GetValue<string>());
        Assert.Null(created["members"]![1]!["bsn"]);
        var read = await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/households/{created.Id()}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.Coach, read["coach"]!["displayName"]!.GetValue<string>());
        Assert.Equal(2, read["members"]!.AsArray().Count);
        var history = await coach.GetAsync($"/api/v1/households/{created.Id()}/coach-history").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(history.AsArray());
        Assert.Null(history[0]!["to"]);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RegisterHousehold_ByTeamLead_WaitsForACoach_UntilOneIsAssigned(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var lead = app.ClientFor(s.TeamLead);

        var created = await lead.RegisterHouseholdAsync(s.NeighbourhoodId);
        Assert.Equal("registered", created["status"]!.GetValue<string>());
        Assert.Null(created["coach"]);
        var waiting = await lead.GetAsync("/api/v1/households?status=registered").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.Id(), waiting["items"]![0]!.Id());

        var assigned = await lead.AssignCoachAsync(created.Id(), s.SecondCoachId);
        Assert.Equal("active", assigned["status"]!.GetValue<string>());
        var read = await lead.GetAsync($"/api/v1/households/{created.Id()}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.SecondCoachId, read["coach"]!.Id());
        var inbox = await app.ClientFor(s.SecondCoach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("nl.frontlijn.household.coach-assigned", inbox["items"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(created.Id(), inbox["items"]![0]!.Id("householdId"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Households_AreNeedToKnow_OtherTeamsBackOfficeAndAdminGet404(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        foreach (var outsider in new[] { s.OtherCoach, s.OtherTeamLead, s.BackOffice, "admin" })
        {
            var client = app.ClientFor(outsider);
            // Another team: 404 (do not reveal existence); back office and admin never browse households: 403 by role.
            var refused = outsider == s.BackOffice || outsider == "admin" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            await client.GetAsync($"/api/v1/households/{household}").ExpectAsync(refused);
            await client.GetAsync($"/api/v1/households/{household}/coach-history").ExpectAsync(refused);
        }
        await app.ClientFor(s.BackOffice).GetAsync("/api/v1/households").ExpectAsync(HttpStatusCode.Forbidden);
        var otherTeam = await app.ClientFor(s.OtherCoach).GetAsync("/api/v1/households").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, otherTeam["total"]!.GetValue<int>());
        // Unknown and hidden look the same.
        await app.ClientFor(s.OtherCoach).GetAsync($"/api/v1/households/{Guid.NewGuid()}").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.OtherTeamLead).AssignCoachAsync(household, s.OtherCoachId, HttpStatusCode.NotFound);
        await app.ClientFor(s.OtherTeamLead).PostJson($"/api/v1/households/{household}/closure", new { reason = "x" })
            .ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.BackOffice).PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, houseNumber: 99))
            .ExpectAsync(HttpStatusCode.Forbidden);

        // The refused reads are in the access log too (8), and so are the two refused changes (assign, closure):
        // written after their transactions were rolled back.
        Assert.Equal(8, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND result = 'denied' AND action = 'read'", new { household }));
        Assert.Equal(2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND result = 'denied' AND action = 'update'", new { household }));
        Assert.Equal(s.CoachId, await app.ScalarAsync<Guid>(
            "SELECT coach_id FROM coach_assignments WHERE household_id = @household AND to_at IS NULL", new { household }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidInput_Is400_ListingEveryField_AndWritesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);

        var problem = await coach.PostJson("/api/v1/households", new
        {
            address = new { street = "", houseNumber = 0, postalCode = "89255", city = "" },
            members = new object[]
            {
                new { givenName = "", familyName = "", dateOfBirth = "2999-01-01", bsn = "123456789", role = "boss" },
            },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "neighbourhoodId", "address.street", "address.houseNumber", "address.postalCode", "address.city",
            "members[0].givenName", "members[0].familyName", "members[0].dateOfBirth", "members[0].bsn", "members[0].role",
        }, fields);
        Assert.DoesNotContain("123456789", problem.ToJsonString(), StringComparison.Ordinal);

        await coach.PostJson("/api/v1/households", new { neighbourhoodId = s.NeighbourhoodId, address = Address(), members = Array.Empty<object>() })
            .ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostJson("/api/v1/households", AHousehold(s.OtherNeighbourhoodId)).ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostJson("/api/v1/households", AHousehold(Guid.NewGuid())).ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostRaw("/api/v1/households", "{\"neighbourhoodId\": \"nope\"}").ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostRaw("/api/v1/households", "{\"address\": ").ExpectAsync(HttpStatusCode.BadRequest);
        await coach.GetAsync("/api/v1/households?status=lost").ExpectAsync(HttpStatusCode.BadRequest);

        foreach (var table in new[] { "households", "household_members", "coach_assignments", "access_log", "notifications" })
        {
            Assert.Equal(0, await app.ScalarAsync<int>($"SELECT COUNT(*) FROM {table}"));
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SecondHouseholdOnOneAddress_Is409_PointingToTheContactOnlyForThoseWhoMayKnow(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var existing = await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, postalCode: "8925AB", houseNumber: 3);

        var sameTeam = await app.ClientFor(s.SecondCoach)
            .PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, postalCode: "8925 ab", houseNumber: 3, familyName: "Anders"))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(existing.Id(), sameTeam.Id("householdId"));
        Assert.Contains(s.Coach, sameTeam["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Another team may register in its own neighbourhood only; the 409 is then about the signal route, without ids.
        var admin = app.ClientFor("admin");
        await admin.PostJson("/api/v1/teams", new { name = "Team Overlap", neighbourhoodIds = new[] { s.NeighbourhoodId } })
            .ExpectAsync(HttpStatusCode.Created);
        var overlapTeam = (await admin.GetAsync("/api/v1/teams?pageSize=10").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray()
            .Single(t => t!["name"]!.GetValue<string>() == "Team Overlap")!.Id();
        await admin.PostJson("/api/v1/users", new { username = "coach.olaf", displayName = "Olaf", role = "coach", teamId = overlapTeam })
            .ExpectAsync(HttpStatusCode.Created);
        var otherTeam = await app.ClientFor("coach.olaf")
            .PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, houseNumber: 3)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Null(otherTeam["householdId"]);
        Assert.Contains("signaal", otherTeam["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM households"));
        // A suffix makes it another address.
        await app.ClientFor(s.Coach).PostJson("/api/v1/households", new
        {
            neighbourhoodId = s.NeighbourhoodId, address = Address(houseNumber: 3, houseNumberSuffix: "a"),
            members = new[] { new { givenName = "A", familyName = "B", dateOfBirth = "1990-01-01", role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Closure_GoesThroughClosing_ThenClosed_EndingTheAssignment_AndFreeingTheAddress(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        await app.ClientFor(s.SecondCoach).PostJson($"/api/v1/households/{household}/closure", new { reason = "Niet van mij" })
            .ExpectAsync(HttpStatusCode.Forbidden);
        await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "" }).ExpectAsync(HttpStatusCode.BadRequest);

        var closing = await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Doelen bereikt" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("closing", closing["status"]!.GetValue<string>());
        Assert.Equal(s.CoachId, closing["coach"]!.Id());

        app.Clock.Advance(TimeSpan.FromDays(14));
        var closed = await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Eindevaluatie gedaan" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Null(closed["coach"]);
        Assert.NotNull(closed["closedAt"]);
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM coach_assignments WHERE household_id = @household AND to_at IS NULL", new { household }));

        await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Nog eens" }).ExpectAsync(HttpStatusCode.Conflict);
        await app.ClientFor(s.TeamLead).AssignCoachAsync(household, s.SecondCoachId, HttpStatusCode.Conflict);
        // The address is free again for a new period of care.
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId);
        var caseload = await coach.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, caseload["total"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Bsn_NeverAppearsInAResponse_Notification_OrTheAccessLog(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        await using var listener = await NotificationListener.ConnectAsync(app, s.Coach);

        var seen = new List<string>();
        var household = await coach.RegisterHouseholdAsync(s.NeighbourhoodId, bsn: Bsn1);
        seen.Add(household.ToJsonString());
        var signal = await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 77),
            members: [new { familyName = "Bosma", bsn = Bsn1 }])).ExpectAsync(HttpStatusCode.Created);
        seen.Add(signal.ToJsonString());
        // Found by the BSN hash although the address differs: the back office is told the coach, nothing more.
        Assert.Equal("coach", signal["routedTo"]!["kind"]!.GetValue<string>());
        seen.Add((await listener.NextAsync("nl.frontlijn.signal.routed")).GetRawText());
        seen.Add((await coach.GetAsync($"/api/v1/households/{household.Id()}").ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        seen.Add((await coach.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        seen.Add((await coach.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        var lead = app.ClientFor(s.TeamLead);
        seen.Add((await lead.GetAsync($"/api/v1/households/{household.Id()}/access-log").ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        seen.Add((await lead.GetAsync("/api/v1/signals?status=routed").ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        seen.Add((await coach.PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, bsn: Bsn1))
            .ExpectAsync(HttpStatusCode.Conflict)).ToJsonString());

        Assert.All(seen, body => Assert.DoesNotContain(Bsn1, body, StringComparison.Ordinal));
        Assert.Contains(seen, body => body.Contains("*****2333", StringComparison.Ordinal));
        // Stored only as hash + last four: no text column anywhere holds the number.
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM household_members WHERE bsn_hash = @bsn OR bsn_last4 = @bsn", new { bsn = Bsn1 }));
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE title LIKE @pattern", new { pattern = "%" + Bsn1 + "%" }));
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE action LIKE @p OR object_type LIKE @p OR origin LIKE @p", new { p = "%" + Bsn1 + "%" }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AccessLog_RecordsEveryReadAndChange_ForTheTeamLeadAndAdminOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await coach.GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.OtherCoach).GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.NotFound);

        var log = await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/households/{household}/access-log").ExpectAsync(HttpStatusCode.OK);
        var entries = log["items"]!.AsArray().Select(e => (
            Action: e!["action"]!.GetValue<string>(), Type: e["objectType"]!.GetValue<string>(),
            Result: e["result"]!.GetValue<string>(), Actor: e["actorId"]?.GetValue<string>())).ToList();
        Assert.Contains(("create", "household", "success", s.CoachId.ToString()), entries);
        Assert.Contains(("assign", "coach-assignment", "success", s.CoachId.ToString()), entries);
        Assert.Contains(("read", "household", "success", s.CoachId.ToString()), entries);
        Assert.Contains(("read", "household", "denied", s.OtherCoachId.ToString()), entries);
        Assert.All(log["items"]!.AsArray(), e => Assert.False(string.IsNullOrEmpty(e!["origin"]!.GetValue<string>())));

        await app.ClientFor("admin").GetAsync($"/api/v1/households/{household}/access-log").ExpectAsync(HttpStatusCode.OK);
        await coach.GetAsync($"/api/v1/households/{household}/access-log").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.OtherTeamLead).GetAsync($"/api/v1/households/{household}/access-log").ExpectAsync(HttpStatusCode.NotFound);
    }
}
