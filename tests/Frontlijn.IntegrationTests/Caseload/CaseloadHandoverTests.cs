using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Sessions;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Caseload;

/// <summary>
/// POST /users/{id}/caseload-handover: the team lead hands over a leaving coach's whole caseload in one step (round
/// robin, within maxCaseload, all or nothing), through the same assignment as PUT /households/{id}/coach; after it
/// the coach can be deactivated.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class CaseloadHandoverTests(ProviderApps apps)
{
    private const string CoachAssigned = "nl.frontlijn.household.coach-assigned";

    private static async Task<Guid> CoachAsync(HttpClient admin, string username, Guid teamId, int maxCaseload) =>
        (await admin.PostJson("/api/v1/users", new { username, displayName = username, role = "coach", teamId, maxCaseload })
            .ExpectAsync(HttpStatusCode.Created)).Id();

    /// <summary>Households registered by the coach (so theirs), one minute apart so their assignments have an order.</summary>
    private static async Task<List<Guid>> RegisterAsync(TestApp app, HttpClient coach, Guid neighbourhoodId, int count, int firstNumber = 1)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await coach.RegisterHouseholdAsync(neighbourhoodId, houseNumber: firstNumber + i, familyName: $"Familie{firstNumber + i}")).Id());
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        return ids;
    }

    private static async Task<Guid> CoachOfAsync(HttpClient lead, Guid household) =>
        (await lead.GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK))["coach"]!.Id();

    /// <summary>What one handover leaves behind for a household, in numbers that a second path would have to match.</summary>
    private static async Task<int[]> TrailAsync(TestApp app, Guid household, Guid leadId, Guid from, Guid to, string toName) =>
    [
        await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household AND actor_id = @leadId",
            new { household, leadId }),
        await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND actor_id = @leadId AND action = 'assign' AND object_type = 'coach-assignment' AND result = 'success'",
            new { household, leadId }),
        await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE household_id = @household AND recipient_id = @to AND type = @type AND title = 'U bent de nieuwe contactpersoon van een huishouden.'",
            new { household, to, type = CoachAssigned }),
        await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE household_id = @household AND recipient_id = @from AND type = @type AND title = @title",
            new { household, from, type = CoachAssigned, title = $"Een huishouden uit uw caseload is overgedragen aan {toName}." }),
        await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments WHERE household_id = @household AND to_at IS NOT NULL AND coach_id = @from",
            new { household, from }),
        await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments WHERE household_id = @household AND to_at IS NULL AND coach_id = @to",
            new { household, to }),
    ];

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Handover_SpreadsRoundRobin_LikeSingleHandovers_ThenTheCoachCanBeDeactivated(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var lead = app.ClientFor(s.TeamLead);
        var carla = await CoachAsync(admin, "coach.carla", s.TeamId, 20);
        var anna = app.ClientFor(s.Coach);
        var households = await RegisterAsync(app, anna, s.NeighbourhoodId, 5);
        // One more, closed: not part of the open caseload, and it stays with Anna in its history.
        var closed = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 99, familyName: "Dijkstra")).Id();
        await anna.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(14));
        await anna.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Eindevaluatie" }).ExpectAsync(HttpStatusCode.OK);
        // A control household of Anna's, handed over to Bram the single way (PUT /households/{id}/coach) first.
        var control = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 50, familyName: "Controle")).Id();
        await lead.AssignCoachAsync(control, s.SecondCoachId, reason: "Coach vertrekt");

        var refused = await UserPatchTests.Patch(admin, s.CoachId, """{"active": false}""").ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(5, refused["openHouseholds"]!.GetValue<int>());

        var result = await lead.PostJson($"/api/v1/users/{s.CoachId}/caseload-handover",
            new { toCoachIds = new[] { s.SecondCoachId, carla }, reason = "Coach vertrekt" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("round-robin", result["distribution"]!.GetValue<string>());
        // Oldest assignment first, alternating in the order the team lead gave: Bram, Carla, Bram, Carla, Bram.
        Guid[] expected = [s.SecondCoachId, carla, s.SecondCoachId, carla, s.SecondCoachId];
        var handedOver = result["handedOver"]!.AsArray();
        Assert.Equal(households, handedOver.Select(h => h!.Id("householdId")));
        Assert.Equal(expected, handedOver.Select(h => h!["coach"]!.Id()));
        // The same trail as the single handover of the control household: access log, notifications, history rows
        // (counted before the reads below, which the access log records too).
        var single = await TrailAsync(app, control, s.TeamLeadId, s.CoachId, s.SecondCoachId, s.SecondCoach);
        Assert.True(single[0] >= 1 && single[1..].All(n => n == 1), $"single handover trail: {string.Join(", ", single)}");
        Assert.Equal(single, await TrailAsync(app, households[0], s.TeamLeadId, s.CoachId, s.SecondCoachId, s.SecondCoach));
        Assert.Equal(single, await TrailAsync(app, households[1], s.TeamLeadId, s.CoachId, carla, "coach.carla"));
        for (var i = 0; i < households.Count; i++)
        {
            Assert.Equal(expected[i], await CoachOfAsync(lead, households[i]));
            var history = (await lead.GetAsync($"/api/v1/households/{households[i]}/coach-history").ExpectAsync(HttpStatusCode.OK)).AsArray();
            Assert.Equal([s.CoachId, expected[i]], history.Select(h => h!.Id("coachId")));
            Assert.Equal("Coach vertrekt", history[1]!["reason"]!.GetValue<string>());
        }
        Assert.Equal(s.CoachId, await app.ScalarAsync<Guid>(
            "SELECT coach_id FROM coach_assignments WHERE household_id = @closed", new { closed }));


        // Now deactivation, 409 before, goes through.
        var deactivated = await UserPatchTests.Patch(admin, s.CoachId, """{"active": false}""").ExpectAsync(HttpStatusCode.OK);
        Assert.False(deactivated["active"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Handover_WhenNotAllFit_Is409ListingWhatDoesNot_AndNothingChanges(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app, maxCaseload: 3);
        var admin = app.ClientFor("admin");
        var lead = app.ClientFor(s.TeamLead);
        var anna = await RegisterAsync(app, app.ClientFor(s.Coach), s.NeighbourhoodId, 3);
        await RegisterAsync(app, app.ClientFor(s.SecondCoach), s.NeighbourhoodId, 1, firstNumber: 20);
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments");
        var notificationsBefore = await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox");

        // Bram has 1 of 3: room for two of Anna's three (the oldest two), not the third.
        var refused = await lead.PostJson($"/api/v1/users/{s.CoachId}/caseload-handover",
            new { toCoachIds = new[] { s.SecondCoachId }, reason = "Coach vertrekt" }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("1 van de 3", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, refused["openHouseholds"]!.GetValue<int>());
        Assert.Equal([anna[2]], refused["notPlacedHouseholdIds"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())));
        var free = refused["freePlaces"]!.AsArray().Single()!;
        Assert.Equal(s.SecondCoachId, free.Id("coachId"));
        Assert.Equal(2, free["freePlaces"]!.GetValue<int>());

        Assert.Equal(before, await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments"));
        Assert.Equal(notificationsBefore, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox"));
        foreach (var household in anna) Assert.Equal(s.CoachId, await CoachOfAsync(lead, household));

        // With room for all three it goes through, all to Bram.
        await UserPatchTests.Patch(admin, s.SecondCoachId, """{"maxCaseload": 4}""").ExpectAsync(HttpStatusCode.OK);
        var done = await lead.PostJson($"/api/v1/users/{s.CoachId}/caseload-handover",
            new { toCoachIds = new[] { s.SecondCoachId }, reason = "Coach vertrekt" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, done["handedOver"]!.AsArray().Count);
        foreach (var household in anna) Assert.Equal(s.SecondCoachId, await CoachOfAsync(lead, household));

        // Nothing left: a second handover hands over nothing.
        var empty = await lead.PostJson($"/api/v1/users/{s.CoachId}/caseload-handover",
            new { toCoachIds = new[] { s.SecondCoachId }, reason = "Nog eens" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(empty["handedOver"]!.AsArray());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BadHandovers_AreRefused_PerTheRefusalRule_AndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var lead = app.ClientFor(s.TeamLead);
        var households = await RegisterAsync(app, app.ClientFor(s.Coach), s.NeighbourhoodId, 2);
        var gone = await CoachAsync(admin, "coach.weg", s.TeamId, 20);
        await UserPatchTests.Patch(admin, gone, """{"active": false}""").ExpectAsync(HttpStatusCode.OK);
        var path = $"/api/v1/users/{s.CoachId}/caseload-handover";
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments");

        async Task<JsonNode> Bad(object body) => await lead.PostJson(path, body).ExpectAsync(HttpStatusCode.BadRequest);
        var empty = await Bad(new { toCoachIds = Array.Empty<Guid>(), reason = "" });
        Assert.NotNull(empty["errors"]!["toCoachIds"]);
        Assert.NotNull(empty["errors"]!["reason"]);
        Assert.NotNull((await Bad(new { toCoachIds = new[] { s.CoachId }, reason = "Zelf" }))["errors"]!["toCoachIds"]);
        // Another team's coach, a deactivated coach, a team lead, nobody: not an active coach of this team.
        foreach (var target in new[] { s.OtherCoachId, gone, s.TeamLeadId, Guid.NewGuid() })
        {
            Assert.NotNull((await Bad(new { toCoachIds = new[] { s.SecondCoachId, target }, reason = "Coach vertrekt" }))["errors"]!["toCoachIds"]);
        }
        await lead.PostRaw(path, """{"toCoachIds": "geen lijst", "reason": "x"}""").ExpectAsync(HttpStatusCode.BadRequest);

        var valid = new { toCoachIds = new[] { s.SecondCoachId }, reason = "Coach vertrekt" };
        // 404: another team's coach, or no coach at all, for this team lead; 403: roles that never may.
        await app.ClientFor(s.OtherTeamLead).PostJson(path, new { toCoachIds = new[] { s.OtherCoachId }, reason = "x" })
            .ExpectAsync(HttpStatusCode.NotFound);
        await lead.PostJson($"/api/v1/users/{s.OtherCoachId}/caseload-handover", valid).ExpectAsync(HttpStatusCode.NotFound);
        await lead.PostJson($"/api/v1/users/{s.TeamLeadId}/caseload-handover", valid).ExpectAsync(HttpStatusCode.NotFound);
        await lead.PostJson($"/api/v1/users/{Guid.NewGuid()}/caseload-handover", valid).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.Coach).PostJson(path, valid).ExpectAsync(HttpStatusCode.Forbidden);
        await admin.PostJson(path, valid).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(null).PostJson(path, valid).ExpectAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(before, await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments"));
        foreach (var household in households) Assert.Equal(s.CoachId, await CoachOfAsync(lead, household));
    }
}
