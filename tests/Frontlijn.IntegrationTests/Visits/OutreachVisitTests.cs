using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Visits;

/// <summary>SPEC "The seed's other practices": outreach visits (achter de voordeur) and the signal a concern raises.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class OutreachVisitTests(ProviderApps apps)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static DateOnly Today(TestApp app) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Amsterdam).DateTime);

    private static object AVisit(object address, DateOnly plannedOn, string reason = "Melding van buren: post stapelt zich op") =>
        new { address, plannedOn, reason };

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Concern_AtTheAddressOfAHouseholdInCare_ReachesThatHouseholdsCoach_WithTheVisitorAsSender(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 5)).Id();
        await using var anna = await NotificationListener.ConnectAsync(app, s.Coach);
        var bram = app.ClientFor(s.SecondCoach);

        var visit = await bram.PostJson("/api/v1/visits", AVisit(Address(postalCode: "8925 AB", houseNumber: 5), Today(app)))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(s.TeamId, visit.Id("teamId"));
        Assert.Null(visit["outcome"]);
        Assert.Null(visit["householdId"]); // the list and the answer never tell who lives there

        var recorded = await bram.PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result = "concern", note = "Deur niet open, brievenbus vol" })
            .ExpectAsync(HttpStatusCode.OK);
        var signalId = recorded["outcome"]!.Id("signalId");
        Assert.Equal("concern", recorded["outcome"]!["result"]!.GetValue<string>());
        Assert.Equal(s.SecondCoachId, recorded["outcome"]!["recordedBy"]!.Id());

        // Routed like any signal: to the household's coach, sent by the visitor, nothing waits in triage.
        var pushed = await anna.NextAsync("nl.frontlijn.signal.routed");
        Assert.Equal(household.ToString(), pushed.GetProperty("householdId").GetString());
        Assert.Equal(household, await app.ScalarAsync<Guid>("SELECT household_id FROM signals WHERE id = @id", new { id = signalId }));
        Assert.Equal(s.CoachId, await app.ScalarAsync<Guid>("SELECT coach_id FROM signals WHERE id = @id", new { id = signalId }));
        Assert.Equal(s.SecondCoachId, await app.ScalarAsync<Guid>("SELECT sender_id FROM signals WHERE id = @id", new { id = signalId }));
        Assert.Equal("routed", await app.ScalarAsync<string>("SELECT status FROM signals WHERE id = @id", new { id = signalId }));
        Assert.Contains("brievenbus vol", await app.ScalarAsync<string>("SELECT concern FROM signals WHERE id = @id", new { id = signalId }),
            StringComparison.Ordinal);
        var inbox = await app.ClientFor(s.Coach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(inbox["items"]!.AsArray(), n => n!["type"]!.GetValue<string>() == "nl.frontlijn.signal.routed");
        var queue = await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, queue["total"]!.GetValue<int>());

        // Every touch of the visit is logged against the household it is at: the plan, the outcome, the list.
        var listed = await bram.GetAsync("/api/v1/visits").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(signalId, listed["items"]!.AsArray().Single()!["outcome"]!.Id("signalId"));
        foreach (var action in new[] { "create", "update", "list" })
        {
            Assert.Equal(1, await app.ScalarAsync<int>(
                "SELECT COUNT(*) FROM access_log WHERE object_type = 'visit' AND action = @action AND household_id = @household AND actor_id = @actor",
                new { action, household, actor = s.SecondCoachId }));
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Concern_AtAnUnknownAddress_LandsInTheTriageQueue_OfTheTeamCoveringTheAddress(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);

        var visit = await coach.PostJson("/api/v1/visits", AVisit(Address(postalCode: "8924XY", houseNumber: 40), Today(app).AddDays(1)))
            .ExpectAsync(HttpStatusCode.Created);
        var recorded = await coach.PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result = "concern" }).ExpectAsync(HttpStatusCode.OK);
        var signalId = recorded["outcome"]!.Id("signalId");
        Assert.Equal("team", recorded["outcome"]!["routedTo"]!["kind"]!.GetValue<string>());

        var lead = app.ClientFor(s.TeamLead);
        var item = (await lead.GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Single()!;
        Assert.Equal(signalId, item.Id());
        Assert.False(item["matched"]!.GetValue<bool>());
        Assert.Equal(s.CoachId, item["sender"]!.Id());
        Assert.Equal("8924XY", item["address"]!["postalCode"]!.GetValue<string>());
        Assert.Equal(40, item["address"]!["houseNumber"]!.GetValue<int>());
        // No note: the visit's reason is the concern.
        Assert.Contains("post stapelt zich op", item["concern"]!.GetValue<string>(), StringComparison.Ordinal);
        var leadInbox = await lead.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("nl.frontlijn.signal.routed", leadInbox["items"]![0]!["type"]!.GetValue<string>());

        // Outcomes other than a concern raise nothing.
        var quiet = await coach.PostJson("/api/v1/visits", AVisit(Address(postalCode: "8924XY", houseNumber: 42), Today(app)))
            .ExpectAsync(HttpStatusCode.Created);
        var talked = await coach.PostJson($"/api/v1/visits/{quiet.Id()}/outcome", new { result = "talked", note = "Alles goed" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Null(talked["outcome"]!["signalId"]);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BadInput_Answers400AtTheField_AndChangesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var visit = await coach.PostJson("/api/v1/visits", AVisit(Address(houseNumber: 7), Today(app))).ExpectAsync(HttpStatusCode.Created);
        var before = await CountsAsync(app);

        var problem = await coach.PostJson("/api/v1/visits", new
        {
            address = new { street = "", houseNumber = 0, postalCode = "0000 A", city = "" }, reason = "",
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "address.street", "address.houseNumber", "address.postalCode", "address.city", "plannedOn", "reason" },
            problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet());
        await coach.PostJson("/api/v1/visits", AVisit(Address(), Today(app).AddYears(3))).ExpectAsync(HttpStatusCode.BadRequest);
        var badResult = await coach.PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result = "maybe" }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("result", badResult["errors"]!.AsObject().Select(e => e.Key));
        await coach.PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { note = "geen uitkomst" }).ExpectAsync(HttpStatusCode.BadRequest);
        await coach.GetAsync("/api/v1/visits?on=gisteren").ExpectAsync(HttpStatusCode.BadRequest);
        await coach.GetAsync("/api/v1/visits?pageSize=0").ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await CountsAsync(app));
        Assert.Null(await app.ScalarAsync<string?>("SELECT result FROM visits WHERE id = @id", new { id = visit.Id() }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnotherTeamsVisit_Is404_AndNotListed_WhileTheTeamListsItsVisitsByDay(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 9);
        var today = Today(app);
        var coach = app.ClientFor(s.Coach);
        var visit = await coach.PostJson("/api/v1/visits", AVisit(Address(houseNumber: 9), today)).ExpectAsync(HttpStatusCode.Created);
        var tomorrow = await coach.PostJson("/api/v1/visits", AVisit(Address(houseNumber: 11), today.AddDays(1))).ExpectAsync(HttpStatusCode.Created);
        // An address in team Zuid's neighbourhood belongs to team Zuid, whoever plans it.
        var zuid = await coach.PostJson("/api/v1/visits", AVisit(Address(postalCode: "7544 AA", houseNumber: 3, city: "Enschede"), today))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(s.OtherTeamId, zuid.Id("teamId"));

        foreach (var outsider in new[] { s.OtherCoach, s.OtherTeamLead })
        {
            var refused = await app.ClientFor(outsider).PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result = "concern" })
                .ExpectAsync(HttpStatusCode.NotFound);
            Assert.Equal(404, refused["status"]!.GetValue<int>());
            var theirs = await app.ClientFor(outsider).GetAsync("/api/v1/visits").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal([zuid.Id()], theirs["items"]!.AsArray().Select(v => v!.Id()));
        }
        await app.ClientFor(s.OtherCoach).PostJson($"/api/v1/visits/{Guid.NewGuid()}/outcome", new { result = "talked" })
            .ExpectAsync(HttpStatusCode.NotFound);
        Assert.Null(await app.ScalarAsync<string?>("SELECT result FROM visits WHERE id = @id", new { id = visit.Id() }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE object_type = 'visit' AND result = 'denied' AND actor_id = @actor", new { actor = s.OtherCoachId }));

        // The own team (a team mate, the team lead) sees and records them; the planner keeps sight of the Zuid visit.
        var day = await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/visits?on={today:yyyy-MM-dd}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([visit.Id()], day["items"]!.AsArray().Select(v => v!.Id()));
        var all = await coach.GetAsync("/api/v1/visits?pageSize=2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, all["total"]!.GetValue<int>());
        Assert.Equal(2, all["items"]!.AsArray().Count);
        var next = await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/visits?on={today.AddDays(1):yyyy-MM-dd}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([tomorrow.Id()], next["items"]!.AsArray().Select(v => v!.Id()));
        await app.ClientFor(s.SecondCoach).PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result = "no-answer" })
            .ExpectAsync(HttpStatusCode.OK);
        // Recorded once: a second recording is too late and changes nothing.
        await app.ClientFor(s.TeamLead).PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result = "concern" })
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("no-answer", await app.ScalarAsync<string>("SELECT result FROM visits WHERE id = @id", new { id = visit.Id() }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));
    }

    private static async Task<string> CountsAsync(TestApp app)
    {
        var counts = new List<int>();
        foreach (var table in new[] { "visits", "signals", "access_log", "notifications" })
        {
            counts.Add(await app.ScalarAsync<int>($"SELECT COUNT(*) FROM {table}"));
        }
        return string.Join(',', counts);
    }
}
