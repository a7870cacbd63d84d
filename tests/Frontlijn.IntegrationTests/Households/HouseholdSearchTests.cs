using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Households;

/// <summary>
/// Search in the caller's scope (SPEC "Households over time"): GET /households?q= by family name, street or postal
/// code with paging; POST /households/search {bsn} through the BSN hash. Another team's households are never found;
/// every search is access-logged, never with the number.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HouseholdSearchTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Search_ByNameStreetPostalCodeAndBsn_OnlyInTheOwnTeam(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var bosma = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1, bsn: Bsn1, familyName: "Bosma")).Id();
        var devries = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, postalCode: "8924 ab", houseNumber: 2, familyName: "de Vries")).Id();
        var bosman = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3, familyName: "Bosman")).Id();
        var percent = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 4, familyName: "Jansen")).Id();
        // Another team's household with the same family name and BSN: never found from team Oost.
        var elsewhere = (await app.ClientFor(s.OtherCoach).RegisterHouseholdAsync(s.OtherNeighbourhoodId, postalCode: "7544 ab",
            houseNumber: 1, bsn: Bsn1, familyName: "Bosma")).Id();

        async Task<Guid[]> Find(string q, HttpClient? client = null, int pageSize = 20, int page = 1)
        {
            var result = await (client ?? coach).GetAsync($"/api/v1/households?q={Uri.EscapeDataString(q)}&pageSize={pageSize}&page={page}")
                .ExpectAsync(HttpStatusCode.OK);
            return [.. result["items"]!.AsArray().Select(i => i!.Id())];
        }

        Assert.Equal([bosma, bosman], await Find("BOSMA"));
        Assert.Equal([devries], await Find("vries"));
        Assert.Equal([devries], await Find("8924 a"));
        Assert.Equal([bosma, devries, bosman, percent], await Find("heechterp"));
        Assert.Empty(await Find("%%"));
        Assert.Empty(await Find("bos_a"));
        Assert.Equal([elsewhere], await Find("bosma", app.ClientFor(s.OtherCoach)));
        // Paging as in every list: total counts all matches.
        var paged = await coach.GetAsync("/api/v1/households?q=bosm&pageSize=1&page=2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, paged["total"]!.GetValue<int>());
        Assert.Equal(bosman, Assert.Single(paged["items"]!.AsArray())!.Id());
        Assert.NotNull((await coach.GetAsync("/api/v1/households?q=b").ExpectAsync(HttpStatusCode.BadRequest))["errors"]!["q"]);

        // A member's changed name finds the household; once that member has left, it no longer does.
        var tim = (await coach.GetAsync($"/api/v1/households/{devries}").ExpectAsync(HttpStatusCode.OK))["members"]!.AsArray()
            .First(m => m!["role"]!.GetValue<string>() == "child")!.Id();
        await coach.PatchAsync($"/api/v1/households/{devries}/members/{tim}", MergePatch("""{"familyName": "Timmermans"}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([devries], await Find("timmer"));
        await coach.PostJson($"/api/v1/households/{devries}/members/{tim}/departure", new
        {
            on = Frontlijn.IntegrationTests.Requests.RequestWorld.Today(app).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            reason = "Op kamers",
        }).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await Find("timmer"));

        // By BSN: in the body, through the hash, only the own team; logged without the number.
        var found = await coach.PostJson("/api/v1/households/search", new { bsn = Bsn1 }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([bosma], found["items"]!.AsArray().Select(i => i!.Id()));
        var theirs = await app.ClientFor(s.OtherTeamLead).PostJson("/api/v1/households/search", new { bsn = Bsn1 }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([elsewhere], theirs["items"]!.AsArray().Select(i => i!.Id()));
        Assert.Empty((await coach.PostJson("/api/v1/households/search", new { bsn = Bsn2 }).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());
        var invalid = await coach.PostJson("/api/v1/households/search", new { bsn = "123456789" }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]!["bsn"]);
        await app.ClientFor(s.BackOffice).PostJson("/api/v1/households/search", new { bsn = Bsn1 }).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE action = 'search' AND household_id = @bosma AND actor_id = @coach", new { bosma, coach = s.CoachId }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE action = 'search' AND household_id IS NULL AND actor_id = @coach", new { coach = s.CoachId }));
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE action = 'search' AND household_id = @elsewhere AND actor_id = @coach", new { elsewhere, coach = s.CoachId }));
    }

    private static StringContent MergePatch(string json)
    {
        var content = new StringContent(json, System.Text.Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/merge-patch+json");
        return content;
    }
}
