using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Scenarios;

/// <summary>
/// The promise of Frontlijn end to end, through the public contract only (HTTP + SignalR, as the SPEC writes it):
/// a back office that worries about an address reaches the household's one contact, and is told who that is.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class OneContactScenarioTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BackOfficeSignal_ReachesTheCoachOfTheHousehold_AndTheSenderLearnsTheContact(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var admin = app.ClientFor("admin");
        var wijk = await admin.PostJson("/api/v1/neighbourhoods", new
        {
            code = "LW-HS", name = "Heechterp-Schieringen", municipality = "Leeuwarden", postalCodes = new[] { "8924", "8925" },
        }).ExpectAsync(HttpStatusCode.Created);
        var team = await admin.PostJson("/api/v1/teams", new { name = "Frontlijnteam Leeuwarden-Oost", neighbourhoodIds = new[] { wijk.Id() } })
            .ExpectAsync(HttpStatusCode.Created);
        var woningcorporatie = await admin.PostJson("/api/v1/organisations", new
        {
            name = "Woningcorporatie Elkien", kind = "woningcorporatie",
            services = new[] { new { code = "huurachterstand", name = "Huurachterstand", responseDays = 5, urgentResponseDays = 1 } },
        }).ExpectAsync(HttpStatusCode.Created);
        await admin.PostJson("/api/v1/users", new { username = "coach.anna", displayName = "Anna de Vries", role = "coach", teamId = team.Id(), maxCaseload = 20 })
            .ExpectAsync(HttpStatusCode.Created);
        await admin.PostJson("/api/v1/users", new { username = "woning.lisa", displayName = "Lisa Dijkstra", role = "back-office", organisationId = woningcorporatie.Id() })
            .ExpectAsync(HttpStatusCode.Created);

        var coach = app.ClientFor("coach.anna");
        var household = await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = wijk.Id(),
            address = new { street = "Heechterp", houseNumber = 12, postalCode = "8925 AB", city = "Leeuwarden" },
            members = new[] { new { givenName = "Sandra", familyName = "Bosma", dateOfBirth = "1984-05-12", bsn = "111222333", role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created);
        await using var annasPhone = await NotificationListener.ConnectAsync(app, "coach.anna");

        var answer = await app.ClientFor("woning.lisa").PostJson("/api/v1/signals", new
        {
            address = new { street = "Heechterp", houseNumber = 12, postalCode = "8925AB", city = "Leeuwarden" },
            concern = "Huurachterstand van drie maanden; brieven worden niet beantwoord.",
            domains = new[] { "financien", "huisvesting" },
        }).ExpectAsync(HttpStatusCode.Created);

        var notification = await annasPhone.NextAsync("nl.frontlijn.signal.routed");
        Assert.Equal(household.Id().ToString(), notification.GetProperty("householdId").GetString());
        // No oracle (SPEC second round): from an address alone the back office learns only the team responsible for
        // it, not that a household in care lives there, nor its id; the signal reached Anna all the same.
        Assert.Null(answer["matched"]);
        Assert.Null(answer["householdId"]);
        Assert.Equal("team", answer["routedTo"]!["kind"]!.GetValue<string>());
        Assert.Equal(team["name"]!.GetValue<string>(), answer["routedTo"]!["teamName"]!.GetValue<string>());
        Assert.Null(answer["routedTo"]!["coachId"]);
        // It still cannot read the household: a back office never browses households (403 by role).
        await app.ClientFor("woning.lisa").GetAsync($"/api/v1/households/{household.Id()}").ExpectAsync(HttpStatusCode.Forbidden);
    }
}
