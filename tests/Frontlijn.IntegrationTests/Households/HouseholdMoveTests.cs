using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Households;

/// <summary>
/// A move (SPEC "Households over time"): PATCH /households/{id} with a new address, validated as at registration.
/// Within the team nothing else changes; into another team's neighbourhood the household lands in that team's triage
/// queue while its coach stays the contact — until that team's lead triages it with a coach of their own.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HouseholdMoveTests(ProviderApps apps)
{
    private static Task<HttpResponseMessage> Patch(HttpClient client, Guid id, string json, string contentType = "application/merge-patch+json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PatchAsync($"/api/v1/households/{id}", content);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Move_WithinTheTeam_AndIntoAnotherTeam_ThroughItsTriage(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var otherLead = app.ClientFor(s.OtherTeamLead);
        var id = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 7, familyName: "Buren");
        var signalsBefore = await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals");

        // Refusals and bad input change nothing.
        var within = """{"address": {"street": "Schieringerweg", "houseNumber": 5, "houseNumberSuffix": "a", "postalCode": "8924 xy", "city": "Leeuwarden"}}""";
        await Patch(app.ClientFor(s.SecondCoach), id, within).ExpectAsync(HttpStatusCode.Forbidden);
        await Patch(otherLead, id, within).ExpectAsync(HttpStatusCode.NotFound);
        await Patch(coach, id, within, "application/json").ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        var bad = await Patch(coach, id, """{"address": {"street": "", "houseNumber": 5, "postalCode": "8924", "city": "Leeuwarden"}}""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["address.postalCode"]);
        Assert.NotNull(bad["errors"]!["address.street"]);
        await Patch(coach, id, """{"teamId": "x"}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(coach, id, $$"""{"neighbourhoodId": "{{Guid.CreateVersion7()}}"}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(coach, id, """{"address": {"street": "Heechterp", "houseNumber": 7, "postalCode": "8925AB", "city": "Leeuwarden"}}""")
            .ExpectAsync(HttpStatusCode.Conflict);
        var still = await coach.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("8925AB", still["address"]!["postalCode"]!.GetValue<string>());
        Assert.Equal(12, still["address"]!["houseNumber"]!.GetValue<int>());

        // Within the team: the address changes (normalised as at registration), nothing else.
        var moved = await Patch(coach, id, within).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((await coach.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK))["version"]!.GetValue<int>(),
            moved["version"]!.GetValue<int>());
        Assert.Equal("8924XY", moved["address"]!["postalCode"]!.GetValue<string>());
        Assert.Equal("A", moved["address"]!["houseNumberSuffix"]!.GetValue<string>());
        Assert.Equal(s.TeamId, moved.Id("teamId"));
        Assert.Equal(signalsBefore, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));
        // The old address is free again.
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId);

        // Into team Zuid's neighbourhood: still team Oost's, Anna still the contact; a triage item for Zuid.
        var away = await Patch(app.ClientFor(s.TeamLead), id, $$"""
            {"address": {"street": "Velvetstraat", "houseNumber": 3, "postalCode": "7544 cd", "city": "Enschede"},
             "neighbourhoodId": "{{s.OtherNeighbourhoodId}}"}
            """).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.TeamId, away.Id("teamId"));
        Assert.Equal(s.OtherNeighbourhoodId, away.Id("neighbourhoodId"));
        Assert.Equal(s.CoachId, away["coach"]!.Id());
        await otherLead.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.NotFound);
        var queue = (await otherLead.GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var item = Assert.Single(queue)!;
        Assert.Equal(id, item.Id("householdId"));
        Assert.Equal(s.CoachId, item.Id("coachId"));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @lead AND household_id = @id AND type = 'nl.frontlijn.signal.routed'",
            new { lead = s.OtherTeamLeadId, id }));
        Assert.Empty((await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());

        // Zuid's lead takes over with a coach of Zuid; without one it is refused (and nothing changes).
        var triage = $"/api/v1/signals/{item.Id()}/triage";
        await otherLead.PostJson(triage, new { reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.BadRequest);
        await coach.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK);
        var taken = await otherLead.PostJson(triage, new { coachId = s.OtherCoachId, reason = "Verhuisd naar Velve-Lindenhof" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.OtherCoachId, taken["coach"]!.Id());
        var there = await app.ClientFor(s.OtherCoach).GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(s.OtherTeamId, there.Id("teamId"));
        Assert.Equal(s.OtherCoachId, there["coach"]!.Id());
        await coach.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.NotFound);
        var history = (await otherLead.GetAsync($"/api/v1/households/{id}/coach-history").ExpectAsync(HttpStatusCode.OK)).AsArray();
        Assert.Equal([s.CoachId, s.OtherCoachId], history.Select(h => h!.Id("coachId")));
        Assert.NotNull(history[0]!["to"]);
    }

    /// <summary>
    /// A second move into the same other team before its triage (first to the wrong house number, then the right one)
    /// keeps ONE item in that team's queue, with the latest address, and its team lead is told once; the triage of
    /// that one item hands the household over. A move to a third address after the triage is a new item again.
    /// </summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SecondMove_IntoTheSameOtherTeam_KeepsOneTriageItem_WithTheLatestAddress(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var otherLead = app.ClientFor(s.OtherTeamLead);
        var id = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        static string Move(Guid neighbourhood, int number) => $$"""
            {"address": {"street": "Velvetstraat", "houseNumber": {{number}}, "postalCode": "7544 cd", "city": "Enschede"},
             "neighbourhoodId": "{{neighbourhood}}"}
            """;

        await Patch(coach, id, Move(s.OtherNeighbourhoodId, 3)).ExpectAsync(HttpStatusCode.OK);
        await Patch(coach, id, Move(s.OtherNeighbourhoodId, 33)).ExpectAsync(HttpStatusCode.OK);
        await Patch(app.ClientFor(s.TeamLead), id, Move(s.OtherNeighbourhoodId, 35)).ExpectAsync(HttpStatusCode.OK);

        var queue = (await otherLead.GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var item = Assert.Single(queue)!;
        Assert.Equal(id, item.Id("householdId"));
        Assert.Equal(s.CoachId, item.Id("coachId"));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals WHERE household_id = @id", new { id }));
        Assert.Equal(35, await app.ScalarAsync<int>("SELECT house_number FROM signals WHERE household_id = @id", new { id }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @lead AND household_id = @id AND type = 'nl.frontlijn.signal.routed'",
            new { lead = s.OtherTeamLeadId, id }));

        // The one item hands it over; after that, a move back into Oost is a new item for Oost's queue.
        await otherLead.PostJson($"/api/v1/signals/{item.Id()}/triage", new { coachId = s.OtherCoachId, reason = "Verhuisd" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Empty((await otherLead.GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());
        await Patch(app.ClientFor(s.OtherCoach), id, $$"""
            {"address": {"street": "Heechterp", "houseNumber": 40, "postalCode": "8925 ab", "city": "Leeuwarden"},
             "neighbourhoodId": "{{s.NeighbourhoodId}}"}
            """).ExpectAsync(HttpStatusCode.OK);
        var back = Assert.Single((await app.ClientFor(s.TeamLead).GetAsync("/api/v1/signals?status=untriaged")
            .ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal(id, back.Id("householdId"));
        Assert.Equal(s.OtherCoachId, back.Id("coachId"));
        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals WHERE household_id = @id", new { id }));
    }
}
