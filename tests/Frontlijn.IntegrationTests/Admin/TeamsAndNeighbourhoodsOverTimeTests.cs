using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Admin.OrganisationsOverTimeTests;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Admin;

/// <summary>SPEC "Administration over time": PATCH /teams/{id} and PATCH /neighbourhoods/{id}, with the rules of creation.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class TeamsAndNeighbourhoodsOverTimeTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PatchTeam_RenamesAndReplacesItsNeighbourhoods_NewHouseholdsFollow_ExistingOnesStay(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var lead = app.ClientFor(s.TeamLead);
        var existing = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var extra = (await admin.PostJson("/api/v1/neighbourhoods",
            new { code = "LW-CA", name = "Camminghaburen", municipality = "Leeuwarden", postalCodes = new[] { "8926" } })
            .ExpectAsync(HttpStatusCode.Created)).Id();
        // Before: the team may not register a household in Camminghaburen (it does not cover it).
        await lead.PostJson("/api/v1/households", AHousehold(extra, "8926 aa", 4)).ExpectAsync(HttpStatusCode.BadRequest);

        var patched = await Patch(admin, $"/api/v1/teams/{s.TeamId}",
            $$"""{"name": "Frontlijnteam Noord-Oost", "neighbourhoodIds": ["{{extra}}", "{{extra}}"]}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Frontlijnteam Noord-Oost", patched["name"]!.GetValue<string>());
        Assert.Equal([extra], patched["neighbourhoodIds"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())).ToArray());
        var reread = await admin.GetAsync($"/api/v1/teams/{s.TeamId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(patched.ToJsonString(), reread.ToJsonString());

        // After: new households follow the new list; the household it already had stays with it.
        await lead.PostJson("/api/v1/households", AHousehold(extra, "8926 aa", 4)).ExpectAsync(HttpStatusCode.Created);
        await lead.PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, "8925 aa", 5)).ExpectAsync(HttpStatusCode.BadRequest);
        await lead.GetAsync($"/api/v1/households/{existing}").ExpectAsync(HttpStatusCode.OK);

        // A name alone leaves the neighbourhoods; several teams may cover one neighbourhood, as at creation.
        var renamed = await Patch(admin, $"/api/v1/teams/{s.OtherTeamId}", $$"""{"neighbourhoodIds": ["{{s.OtherNeighbourhoodId}}", "{{extra}}"]}""")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Wijkteam Zuid", renamed["name"]!.GetValue<string>());
        Assert.Equal(2, renamed["neighbourhoodIds"]!.AsArray().Count);
        var onlyName = await Patch(admin, $"/api/v1/teams/{s.OtherTeamId}", """{"name": "Wijkteam Zuid-West"}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, onlyName["neighbourhoodIds"]!.AsArray().Count);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PatchNeighbourhood_RenamesAndReplacesItsPostalCodes_AndSignalsFollow(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var path = $"/api/v1/neighbourhoods/{s.NeighbourhoodId}";

        var patched = await Patch(admin, path, """{"name": "Heechterp", "postalCodes": ["8925", "8911", "8911"]}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Heechterp", patched["name"]!.GetValue<string>());
        Assert.Equal("LW-HS", patched["code"]!.GetValue<string>());
        Assert.Equal(["8911", "8925"], patched["postalCodes"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray());
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM neighbourhood_postal_codes WHERE neighbourhood_id = @id AND postal_code = '8924'", new { id = s.NeighbourhoodId }));

        // A signal about an address in 8911 now goes to the team of this neighbourhood.
        var signal = await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals",
            ASignal(Address("8911 ab", 3, "Nieuwestad", "Leeuwarden"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Frontlijnteam Oost", signal["routedTo"]!["teamName"]!.GetValue<string>());

        var emptied = await Patch(admin, path, """{"postalCodes": []}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(emptied["postalCodes"]!.AsArray());
        Assert.Equal("Heechterp", emptied["name"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BadTeamAndNeighbourhoodPatches_Are4xxProblemsPerField_AndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var team = $"/api/v1/teams/{s.TeamId}";
        var neighbourhood = $"/api/v1/neighbourhoods/{s.NeighbourhoodId}";
        var teamBefore = (await admin.GetAsync(team).ExpectAsync(HttpStatusCode.OK)).ToJsonString();
        var neighbourhoodBefore = (await admin.GetAsync(neighbourhood).ExpectAsync(HttpStatusCode.OK)).ToJsonString();

        var types = await Patch(admin, team, """{"name": 1, "neighbourhoodIds": ["geen-uuid"], "members": []}""").ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "name", "neighbourhoodIds", "members" })
        {
            Assert.True(types["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {types.ToJsonString()}");
        }
        var rules = await Patch(admin, team, """{"name": "", "neighbourhoodIds": []}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(rules["errors"]!["name"]);
        Assert.NotNull(rules["errors"]!["neighbourhoodIds"]);
        await Patch(admin, team, """{"neighbourhoodIds": null}""").ExpectAsync(HttpStatusCode.BadRequest);
        var unknown = await Patch(admin, team, $$"""{"neighbourhoodIds": ["{{Guid.NewGuid()}}"]}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(unknown["errors"]!["neighbourhoodIds"]);
        await Patch(admin, team, """{"name": "Wijkteam Zuid"}""").ExpectAsync(HttpStatusCode.Conflict);
        await Patch(admin, team, """{"name": "X"}""", "application/json").ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        await Patch(admin, $"/api/v1/teams/{Guid.NewGuid()}", """{"name": "X"}""").ExpectAsync(HttpStatusCode.NotFound);
        await Patch(app.ClientFor(s.TeamLead), team, """{"name": "X"}""").ExpectAsync(HttpStatusCode.Forbidden);

        var codes = await Patch(admin, neighbourhood, """{"name": "", "postalCodes": ["892", "0925", "8925AB"]}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(codes["errors"]!["name"]);
        // Per element, as at creation: postalCodes[0], postalCodes[1], ...
        Assert.Equal(["name", "postalCodes[0]", "postalCodes[1]", "postalCodes[2]"],
            codes["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray());
        var typed = await Patch(admin, neighbourhood, """{"postalCodes": [8925], "code": "LW-X", "municipality": "Elders"}""").ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "postalCodes", "code", "municipality" })
        {
            Assert.True(typed["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {typed.ToJsonString()}");
        }
        await Patch(admin, neighbourhood, """{"postalCodes": null}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, neighbourhood, """{"name": "X"}""", "text/plain").ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        await Patch(admin, $"/api/v1/neighbourhoods/{Guid.NewGuid()}", """{"name": "X"}""").ExpectAsync(HttpStatusCode.NotFound);
        await Patch(app.ClientFor(s.Coach), neighbourhood, """{"name": "X"}""").ExpectAsync(HttpStatusCode.Forbidden);

        Assert.Equal(teamBefore, (await admin.GetAsync(team).ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        Assert.Equal(neighbourhoodBefore, (await admin.GetAsync(neighbourhood).ExpectAsync(HttpStatusCode.OK)).ToJsonString());
    }
}
