using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Residents;

/// <summary>
/// The resident's own API (SPEC "The household's rights": /api/v1/me/...), on SQLite and PostgreSQL, with residents'
/// demo tokens (issuer frontlijn-demo-residents, sub = BSN) over real HTTP and the coach's real SignalR client.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ResidentApiTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MyHousehold_HoldsTheCoach_ThePlan_Organisations_OpenRequestsOnly_AndConsents_AndIsLoggedAsTheResidentsRead(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        var coachView = await world.App.ClientFor(world.Scenario.Coach).GetAsync($"/api/v1/requests/{world.OpenRequestId}").ExpectAsync(HttpStatusCode.OK);

        var me = await world.Resident(world.SandraBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(world.HouseholdId, me.Id("householdId"));
        Assert.Equal("coach.anna", me["contact"]!["name"]!.GetValue<string>()); // Scenario: display name = username
        Assert.Equal("Frontlijnteam Oost", me["contact"]!["teamName"]!.GetValue<string>());
        var goal = Assert.Single(me["plan"]!["goals"]!.AsArray())!;
        Assert.Equal(world.GoalId, goal.Id());
        Assert.Equal("De vaste lasten worden op tijd betaald.", goal["description"]!.GetValue<string>());
        Assert.Equal("Aanmelden bij budgetbeheer", Assert.Single(goal["actions"]!.AsArray())!["description"]!.GetValue<string>());
        Assert.Null(me["plan"]!["agreement"]);
        Assert.Contains("Huisartsenpraktijk Heechterp", me["organisations"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        // Only the open request (the withdrawn one is not open), with the service's name and the due date the coach sees.
        var request = Assert.Single(me["openRequests"]!.AsArray())!;
        Assert.Equal(world.OpenRequestId, request.Id());
        Assert.Equal("Schuldhulp Leeuwarden", request["organisationName"]!.GetValue<string>());
        Assert.Equal("Intake", request["serviceName"]!.GetValue<string>());
        Assert.Equal("sent", request["status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse(coachView["dueAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(request["dueAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(request["question"]);
        var consents = me["consents"]!.AsArray();
        Assert.Equal(new[] { world.PietConsentId, world.SandraConsentId }.Order(), consents.Select(c => c!.Id()).Order());
        var mine = consents.Single(c => c!.Id() == world.SandraConsentId)!;
        Assert.True(mine["mine"]!.GetValue<bool>());
        Assert.True(mine["valid"]!.GetValue<bool>());
        Assert.Equal("Sandra Bosma", mine["givenBy"]!.GetValue<string>());
        Assert.False(consents.Single(c => c!.Id() == world.PietConsentId)!["mine"]!.GetValue<bool>());
        // No BSN anywhere in the answer.
        var text = me.ToJsonString();
        Assert.DoesNotContain(world.SandraBsn, text, StringComparison.Ordinal);
        Assert.DoesNotContain(world.SandraBsn[^4..], text, StringComparison.Ordinal);

        Assert.Equal(1, await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_member_id = @member AND actor_id IS NULL AND action = 'read' AND object_type = 'household' AND household_id = @household AND result = 'success'",
            new { member = world.SandraId, household = world.HouseholdId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OnlyMembersAged16OrOlder_WhoHaveNotLeft_AreResidents(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        // Lotte turns 16 today (the app's clock, in Amsterdam), Joris tomorrow, Tim is 13.
        await world.Resident(world.LotteBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);
        await world.Resident(world.JorisBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);
        await world.Resident(world.TimBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);
        // A valid BSN that is nobody's, and a staff demo token whose sub is a resident's BSN, are no resident either.
        await world.Resident(Bsn.Valid(99)).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);
        await world.App.ClientFor(world.SandraBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);

        world.App.Clock.Advance(TimeSpan.FromDays(1));
        await world.Resident(world.JorisBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);

        // Piet leaves the household: from that day on he is no resident of it.
        await world.Resident(world.PietBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(world.App.Clock.GetUtcNow());
        await world.App.ClientFor(world.Scenario.Coach).PostJson(
            $"/api/v1/households/{world.HouseholdId}/members/{world.PietId}/departure", new { on = today, reason = "Verhuisd" })
            .ExpectAsync(HttpStatusCode.OK);
        await world.Resident(world.PietBsn).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task WithdrawingAConsent_MarksItWithdrawnByTheMember_NotifiesTheCoachLive_AndOnlyTheirOwn(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        var sandra = world.Resident(world.SandraBsn);
        await using var coach = await NotificationListener.ConnectAsync(world.App, world.Scenario.Coach);

        // Another household's consent: 404, unchanged, and the attempt is in that household's log.
        await sandra.DeleteAsync($"/api/v1/me/consents/{world.OtherConsentId}").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM consents WHERE id = @id AND withdrawn_on IS NOT NULL", new { id = world.OtherConsentId }));
        Assert.Equal(1, await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @h AND actor_member_id = @m AND result = 'denied'",
            new { h = world.OtherHouseholdId, m = world.SandraId }));
        // Piet's consent is Piet's to withdraw.
        await sandra.DeleteAsync($"/api/v1/me/consents/{world.PietConsentId}").ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM consents WHERE id = @id AND withdrawn_on IS NOT NULL", new { id = world.PietConsentId }));

        var withdrawn = await sandra.DeleteAsync($"/api/v1/me/consents/{world.SandraConsentId}").ExpectAsync(HttpStatusCode.OK);
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(world.App.Clock.GetUtcNow());
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), withdrawn["withdrawnOn"]!.GetValue<string>());
        Assert.False(withdrawn["valid"]!.GetValue<bool>());
        var pushed = await coach.NextAsync("nl.frontlijn.consent.withdrawn");
        Assert.Equal(world.HouseholdId.ToString(), pushed.GetProperty("householdId").GetString());
        Assert.Equal(1, await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM consents WHERE id = @id AND withdrawn_by_member_id = @m AND withdrawn_by IS NULL", new { id = world.SandraConsentId, m = world.SandraId }));

        // The coach sees it as withdrawn; a request under it now needs a new consent or a legal basis.
        var list = await world.App.ClientFor(world.Scenario.Coach).GetAsync($"/api/v1/households/{world.HouseholdId}/consents").ExpectAsync(HttpStatusCode.OK);
        var items = list is JsonArray array ? array : list["items"]!.AsArray();
        Assert.False(items.Single(c => c!.Id() == world.SandraConsentId)!["valid"]!.GetValue<bool>());
        await world.App.ClientFor(world.Scenario.Coach).PostJson("/api/v1/requests", new
        {
            householdId = world.HouseholdId, organisationId = world.Scenario.OrganisationId, serviceCode = "schuldhulp-intake",
            question = "Nog een vraag", urgency = "normal",
        }).ExpectAsync(HttpStatusCode.Conflict);

        // Twice is a conflict, not a second withdrawal.
        await sandra.DeleteAsync($"/api/v1/me/consents/{world.SandraConsentId}").ExpectAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheHouseholdsVoice_NotesOnItsOwnGoals_AndAgreementWithThePlan(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        var sandra = world.Resident(world.SandraBsn);
        await using var coach = await NotificationListener.ConnectAsync(world.App, world.Scenario.Coach);

        var note = await sandra.PostJson($"/api/v1/me/plan/goals/{world.GoalId}/notes", new { text = "  Ik wil eerst de huur regelen.  " })
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Ik wil eerst de huur regelen.", note["text"]!.GetValue<string>());
        Assert.Equal("Sandra Bosma", note["writtenBy"]!.GetValue<string>());
        await coach.NextAsync("nl.frontlijn.plan.household-note-added");
        var bad = await sandra.PostJson($"/api/v1/me/plan/goals/{world.GoalId}/notes", new { text = " " }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["text"]);
        await sandra.PostJson($"/api/v1/me/plan/goals/{world.GoalId}/notes", new { text = new string('x', 2001) }).ExpectAsync(HttpStatusCode.BadRequest);
        await sandra.PostJson($"/api/v1/me/plan/goals/{world.OtherGoalId}/notes", new { text = "Niet van mij" }).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM plan_goal_notes"));

        await sandra.PutJson("/api/v1/me/plan/agreement", new { }).ExpectAsync(HttpStatusCode.BadRequest);
        var agreement = await sandra.PutJson("/api/v1/me/plan/agreement", new { agrees = false }).ExpectAsync(HttpStatusCode.OK);
        Assert.False(agreement["agrees"]!.GetValue<bool>());
        await coach.NextAsync("nl.frontlijn.plan.household-agreement-changed");
        await sandra.PutJson("/api/v1/me/plan/agreement", new { agrees = true }).ExpectAsync(HttpStatusCode.OK);
        // Piet's answer is his own.
        await world.Resident(world.PietBsn).PutJson("/api/v1/me/plan/agreement", new { agrees = false }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM plan_agreements WHERE household_id = @h", new { h = world.HouseholdId }));

        var me = await sandra.GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);
        Assert.True(me["plan"]!["agreement"]!["agrees"]!.GetValue<bool>());
        var notes = me["plan"]!["goals"]![0]!["notes"]!.AsArray();
        Assert.Equal("Ik wil eerst de huur regelen.", Assert.Single(notes)!["text"]!.GetValue<string>());

        // A household without a plan has nothing to agree with.
        var noPlanBsn = Bsn.Valid(70);
        await world.App.ClientFor(world.Scenario.OtherCoach).PostJson("/api/v1/households", new
        {
            neighbourhoodId = world.Scenario.OtherNeighbourhoodId,
            address = Builders.Address("7544 gh", 33, "Lindenhof", "Enschede"),
            members = new object[] { new { givenName = "Anouk", familyName = "Mulder", dateOfBirth = "1990-06-01", bsn = noPlanBsn, role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created);
        await world.Resident(noPlanBsn).PutJson("/api/v1/me/plan/agreement", new { agrees = true }).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheAccessLog_ShowsWhoLooked_ByTeamOrOrganisationAndRole_WithoutNames_AndNotTheResidentsOwnReads(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        var since = world.App.Clock.GetUtcNow();
        world.App.Clock.Advance(TimeSpan.FromMinutes(5));
        await world.App.ClientFor(world.Scenario.TeamLead).GetAsync($"/api/v1/households/{world.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
        await world.App.ClientFor(world.Scenario.BackOffice).GetAsync($"/api/v1/requests/{world.OpenRequestId}").ExpectAsync(HttpStatusCode.OK);
        var sandra = world.Resident(world.SandraBsn);
        await sandra.GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);

        var log = await sandra.GetAsync("/api/v1/me/access-log?pageSize=200").ExpectAsync(HttpStatusCode.OK);
        var items = log["items"]!.AsArray();
        var professionalsRows = await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @h AND actor_id IS NOT NULL", new { h = world.HouseholdId });
        Assert.Equal(professionalsRows, log["total"]!.GetValue<int>());
        Assert.Equal(Math.Min(200, professionalsRows), items.Count);
        var newest = items.Where(i => DateTimeOffset.Parse(i!["occurredAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > since).ToList();
        Assert.Contains(newest, i => i!["team"]?.GetValue<string>() == "Frontlijnteam Oost" && i["role"]!.GetValue<string>() == "team-lead"
                                     && i["action"]!.GetValue<string>() == "read" && i["objectType"]!.GetValue<string>() == "household");
        Assert.Contains(newest, i => i!["organisation"]?.GetValue<string>() == "Schuldhulp Leeuwarden" && i["role"]!.GetValue<string>() == "back-office");
        Assert.All(items, i => Assert.Null(i!["professional"]));
        Assert.DoesNotContain("lead.sanne", log.ToJsonString(), StringComparison.Ordinal);
        // Reading the log is logged too, as the resident's.
        Assert.Equal(1, await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_member_id = @m AND object_type = 'access-log'", new { m = world.SandraId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheResidentsOwnWindow_NamesProfessionals_OnlyWithShowNames(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string> { ["Residents:ShowNames"] = "true" });
        var world = await ResidentWorld.CreateAsync(app);
        await app.ClientFor(world.Scenario.TeamLead).GetAsync($"/api/v1/households/{world.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
        var log = await world.Resident(world.SandraBsn).GetAsync("/api/v1/me/access-log").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(log["items"]!.AsArray(), i => i!["professional"]?.GetValue<string>() == "lead.sanne");
    }
}
