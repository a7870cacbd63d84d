using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Addresses;

/// <summary>
/// The demo data of the address view: the building the demo suggests holds households now and before, visits, and
/// another team's household that the team lead sees only as a count.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DemoAddressesTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheDemoBuilding_ShowsNowAndBefore_VisitsAndAnotherTeamAsACount(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await app.Services.GetRequiredService<DemoSeeder>().SeedDemoDataAsync(CancellationToken.None);

        var view = await app.ClientFor("teamlead.sanne").GetAsync("/api/v1/address-overview?postalCode=8925AB&houseNumber=12")
            .ExpectAsync(HttpStatusCode.OK);
        var households = view["households"]!.AsArray();
        Assert.Equal(new[] { "Bosma", "Mulder", "van der Veen" },
            households.Select(h => h!["familyName"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("closed", households.Single(h => h!["familyName"]!.GetValue<string>() == "Mulder")!["status"]!.GetValue<string>());
        Assert.Equal(2, households.Count(h => h!["status"]!.GetValue<string>() != "closed"));
        Assert.True(households.Single(h => h!["familyName"]!.GetValue<string>() == "Bosma")!["atAddress"]!.GetValue<bool>());
        Assert.Equal(1, view["otherTeamsHouseholds"]!.GetValue<int>());
        Assert.DoesNotContain("Wolters", view.ToJsonString(), StringComparison.Ordinal);
        // Every visit of the own team in the building (the address seeder's two and the visit seeder's one at the
        // Bosmas'), counted in the database, none of the other team's.
        var ownVisits = await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM visits v JOIN users u ON u.username = 'teamlead.sanne' " +
            "WHERE v.team_id = u.team_id AND v.house_number = 12 AND REPLACE(v.postal_code, ' ', '') = '8925AB'");
        Assert.True(ownVisits >= 3, $"The demo has {ownVisits} visits in the building");
        Assert.Equal(ownVisits, view["visits"]!.AsArray().Count);

        // The Enschede team lead sees their household there and counts the Leeuwarden ones.
        var theirs = await app.ClientFor("teamlead.joost").GetAsync("/api/v1/address-overview?postalCode=8925AB&houseNumber=12")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Wolters", theirs["households"]!.AsArray().Single()!["familyName"]!.GetValue<string>());
        Assert.Equal(3, theirs["otherTeamsHouseholds"]!.GetValue<int>());
    }
}
