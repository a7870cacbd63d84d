using System.Globalization;
using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;

namespace Frontlijn.IntegrationTests.StandIns;

/// <summary>
/// Stand-in (waarneming): PUT/DELETE /users/{id}/stand-in by the team lead. During the period the stand-in acts on
/// the coach's households as their coach, and every access-log row of theirs about those households carries
/// on_behalf_of = the coach; after the period or DELETE, that ends.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class StandInTests(ProviderApps apps)
{
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object AnInvolvement(string name) => new { providerName = name, since = "2025-01-01" };

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AStandIn_ActsOnTheCoachsHouseholds_WithOnBehalfOf_UntilThePeriodEnds(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var request = (await w.SendAsync()).Id();
        var bram = app.ClientFor(w.S.SecondCoach);
        var involvements = $"/api/v1/households/{w.HouseholdId}/involvements";
        await bram.PostJson(involvements, AnInvolvement("Buurtteam")).ExpectAsync(HttpStatusCode.Forbidden);

        var today = RequestWorld.Today(app);
        var set = await app.ClientFor(w.S.TeamLead).PutJson($"/api/v1/users/{w.S.CoachId}/stand-in", new
        {
            standInId = w.S.SecondCoachId, from = Day(today), until = Day(today.AddDays(1)),
        }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.S.SecondCoachId, set.Id("standInId"));

        await bram.GetAsync($"/api/v1/households/{w.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
        await bram.PostJson(involvements, AnInvolvement("Buurtteam")).ExpectAsync(HttpStatusCode.Created);
        await bram.PostJson($"/api/v1/requests/{request}/messages", new { text = "Ik neem waar voor Anna." }).ExpectAsync(HttpStatusCode.Created);
        await w.SendAsync(client: bram, legalBasis: "wettelijke-taak-wgs");

        var bramsRows = await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_id = @bram AND household_id = @household AND result = 'success'",
            new { bram = w.S.SecondCoachId, household = w.HouseholdId });
        Assert.True(bramsRows >= 4, $"{bramsRows} rows");
        Assert.Equal(bramsRows, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_id = @bram AND household_id = @household AND on_behalf_of = @anna",
            new { bram = w.S.SecondCoachId, household = w.HouseholdId, anna = w.S.CoachId }));
        // Anna acting herself is on nobody's behalf; the log endpoint shows it.
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_id = @anna AND on_behalf_of IS NOT NULL", new { anna = w.S.CoachId }));
        var log = await app.ClientFor(w.S.TeamLead).GetAsync($"/api/v1/households/{w.HouseholdId}/access-log?pageSize=200")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(log["items"]!.AsArray(), e => e!["actorId"]!.GetValue<string>() == w.S.SecondCoachId.ToString() &&
                                                     e["onBehalfOf"]?.GetValue<string>() == w.S.CoachId.ToString());

        // Until is the last day included: the day after it, Bram is just a colleague again.
        app.Clock.Advance(TimeSpan.FromDays(2));
        await bram.PostJson(involvements, AnInvolvement("GGD")).ExpectAsync(HttpStatusCode.Forbidden);
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE actor_id = @bram AND on_behalf_of IS NULL",
            new { bram = w.S.SecondCoachId });
        await bram.GetAsync($"/api/v1/households/{w.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before + 1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE actor_id = @bram AND on_behalf_of IS NULL",
            new { bram = w.S.SecondCoachId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Delete_EndsTheStandInAtOnce(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var bram = app.ClientFor(w.S.SecondCoach);
        var sanne = app.ClientFor(w.S.TeamLead);
        var involvements = $"/api/v1/households/{w.HouseholdId}/involvements";
        var today = RequestWorld.Today(app);
        await sanne.PutJson($"/api/v1/users/{w.S.CoachId}/stand-in", new
        {
            standInId = w.S.SecondCoachId, from = Day(today), until = Day(today.AddDays(14)),
        }).ExpectAsync(HttpStatusCode.OK);
        await bram.PostJson(involvements, AnInvolvement("Buurtteam")).ExpectAsync(HttpStatusCode.Created);

        await sanne.DeleteAsync($"/api/v1/users/{w.S.CoachId}/stand-in").ExpectAsync(HttpStatusCode.NoContent);
        await bram.PostJson(involvements, AnInvolvement("GGD")).ExpectAsync(HttpStatusCode.Forbidden);
        await sanne.DeleteAsync($"/api/v1/users/{w.S.CoachId}/stand-in").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM stand_ins WHERE ended_at IS NOT NULL"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OnlyTheTeamLeadOfTheCoachsTeam_NamesAnActiveCoachOfThatTeam(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var today = RequestWorld.Today(app);
        object Body(Guid standIn, int from = 0, int until = 7) =>
            new { standInId = standIn, from = Day(today.AddDays(from)), until = Day(today.AddDays(until)) };
        var path = $"/api/v1/users/{s.CoachId}/stand-in";

        var otherTeam = await app.ClientFor(s.TeamLead).PutJson(path, Body(s.OtherCoachId)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("standInId", otherTeam["errors"]!.AsObject().Select(e => e.Key));
        var backwards = await app.ClientFor(s.TeamLead).PutJson(path, Body(s.SecondCoachId, from: 5, until: 1)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("until", backwards["errors"]!.AsObject().Select(e => e.Key));
        await app.ClientFor(s.TeamLead).PutJson(path, Body(s.CoachId)).ExpectAsync(HttpStatusCode.BadRequest);
        await app.ClientFor(s.OtherTeamLead).PutJson(path, Body(s.SecondCoachId)).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.Coach).PutJson(path, Body(s.SecondCoachId)).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.OtherTeamLead).DeleteAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM stand_ins"));

        // A new PUT replaces the running one: one open stand-in per coach.
        await app.ClientFor(s.TeamLead).PutJson(path, Body(s.SecondCoachId)).ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.TeamLead).PutJson(path, Body(s.SecondCoachId, from: 1, until: 3)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM stand_ins WHERE ended_at IS NULL"));
    }
}
