using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Visits;

/// <summary>
/// <c>GET /api/v1/visits/{id}</c> (the phone page's outcome form): whoever may record a visit's outcome may read it —
/// its team and its planner — and everyone else gets 404; every read and refused read at a household's address is
/// access-logged; the answer never names the household, and where a concern's signal went is told only once.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class VisitReadTests(ProviderApps apps)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OneVisit_IsReadByItsTeamAndPlanner_OthersGet404_AndEveryReadIsLogged(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 5)).Id();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Amsterdam).DateTime);

        // Fatima (team Zuid) plans a visit in Oost's neighbourhood: it is Oost's, and she keeps sight of it.
        var planned = await app.ClientFor(s.OtherCoach).PostJson("/api/v1/visits", new
        {
            address = Address(postalCode: "8925 AB", houseNumber: 5), plannedOn = today, reason = "Buren maken zich zorgen",
        }).ExpectAsync(HttpStatusCode.Created);
        var id = planned.Id();
        foreach (var reader in new[] { s.OtherCoach, s.SecondCoach, s.TeamLead })
        {
            var visit = await app.ClientFor(reader).GetAsync($"/api/v1/visits/{id}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(id, visit.Id());
            Assert.Equal(s.TeamId, visit.Id("teamId"));
            Assert.Equal("8925AB", visit["address"]!["postalCode"]!.GetValue<string>());
            Assert.Equal("Buren maken zich zorgen", visit["reason"]!.GetValue<string>());
            Assert.Equal(s.OtherCoachId, visit["plannedBy"]!.Id());
            Assert.Null(visit["householdId"]);
            Assert.Null(visit["outcome"]);
        }
        // Team Zuid's lead did not plan it and is not of its team; an unknown id is the same 404.
        await app.ClientFor(s.OtherTeamLead).GetAsync($"/api/v1/visits/{id}").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.Coach).GetAsync($"/api/v1/visits/{Guid.NewGuid()}").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.BackOffice).GetAsync($"/api/v1/visits/{id}").ExpectAsync(HttpStatusCode.Forbidden);

        async Task<int> Logged(Guid actor, string result) => await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE object_type = 'visit' AND action = 'read' AND object_id = @id " +
            "AND household_id = @household AND actor_id = @actor AND result = @result", new { id, household, actor, result });
        foreach (var reader in new[] { s.OtherCoachId, s.SecondCoachId, s.TeamLeadId })
        {
            Assert.Equal(1, await Logged(reader, "success"));
        }
        Assert.Equal(1, await Logged(s.OtherTeamLeadId, "denied"));

        // After a concern: the recording's answer said where the signal went; a later read names only the signal.
        var recorded = await app.ClientFor(s.SecondCoach).PostJson($"/api/v1/visits/{id}/outcome", new { result = "concern", note = "Niemand doet open" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("coach", recorded["outcome"]!["routedTo"]!["kind"]!.GetValue<string>());
        var read = await app.ClientFor(s.SecondCoach).GetAsync($"/api/v1/visits/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(recorded["outcome"]!.Id("signalId"), read["outcome"]!.Id("signalId"));
        Assert.Equal("Niemand doet open", read["outcome"]!["note"]!.GetValue<string>());
        Assert.Null(read["outcome"]!["routedTo"]);
    }
}
