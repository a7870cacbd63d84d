using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.AccessLog;

/// <summary>
/// Every refused read and change of household data is in the household's access log with result denied. A refused
/// change is rolled back, but its log row is written after the rollback and stays.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class RefusalLoggingTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ARefusedChangeOfAnotherTeamsHousehold_IsInItsAccessLogAsDenied_AndDidNotHappen(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId);
        var id = household.Id();
        var head = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "head")!.Id();
        var fatima = app.ClientFor(s.OtherCoach);

        await fatima.PostJson($"/api/v1/households/{id}/involvements", new { providerName = "Buurtteam", since = "2025-01-01" })
            .ExpectAsync(HttpStatusCode.NotFound);
        await fatima.PostJson($"/api/v1/households/{id}/consents", new
        {
            organisationId = s.OrganisationId, purpose = "schuldhulp-intake", givenByMemberId = head, givenOn = "2026-03-01", validUntil = "2027-03-01",
        }).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.OtherTeamLead).PostJson($"/api/v1/households/{id}/closure", new { reason = "Verhuisd" })
            .ExpectAsync(HttpStatusCode.NotFound);

        // Nothing changed ...
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM involvements"));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM consents"));
        Assert.Equal("active", await app.ScalarAsync<string>("SELECT status FROM households WHERE id = @id", new { id }));
        // ... and the team lead reads each attempt, by its actor, in the household's log.
        var denied = await DeniedAsync(app, s.TeamLead, id);
        Assert.Equal(
            [(s.OtherCoachId, "update", "consent"), (s.OtherTeamLeadId, "update", "household"), (s.OtherCoachId, "update", "involvement")],
            denied.Select(e => (e!.Id("actorId"), e!["action"]!.GetValue<string>(), e!["objectType"]!.GetValue<string>()))
                .OrderBy(e => e.Item3, StringComparer.Ordinal).ToList());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ARefusedRead_IsLoggedAsDenied(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var id = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        await app.ClientFor(s.OtherCoach).GetAsync($"/api/v1/households/{id}/consents").ExpectAsync(HttpStatusCode.NotFound);
        // A back office may never read involvements: the endpoint policy refuses the role (403), and logs it as well.
        await app.ClientFor(s.BackOffice).GetAsync($"/api/v1/households/{id}/involvements").ExpectAsync(HttpStatusCode.Forbidden);

        var denied = await DeniedAsync(app, s.TeamLead, id);
        var pieter = await UserIdAsync(app, s.BackOffice);
        Assert.Equal([(s.OtherCoachId, "read", "consent"), (pieter, "read", "involvement")],
            denied.Select(e => (e!.Id("actorId"), e!["action"]!.GetValue<string>(), e!["objectType"]!.GetValue<string>()))
                .OrderBy(e => e.Item3, StringComparer.Ordinal).ToList());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ACoachOfTheSameTeam_WhoIsNotTheHouseholdsCoach_IsRefusedOnConsentsInvolvementsAndTheThread_AndThatIsLogged(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await Requests.RequestWorld.CreateAsync(app);
        var request = (await w.SendAsync()).Id();
        var involvement = (await w.Coach.PostJson($"/api/v1/households/{w.HouseholdId}/involvements",
            new { providerName = "Buurtteam", since = "2025-01-01" }).ExpectAsync(HttpStatusCode.Created)).Id();
        var bram = app.ClientFor(w.S.SecondCoach);
        var sanne = app.ClientFor(w.S.TeamLead);

        foreach (var client in new[] { bram, sanne })
        {
            await client.PostJson($"/api/v1/households/{w.HouseholdId}/involvements", new { providerName = "GGD", since = "2025-01-01" })
                .ExpectAsync(HttpStatusCode.Forbidden);
            await client.PostJson($"/api/v1/households/{w.HouseholdId}/involvements/{involvement}/end", new { })
                .ExpectAsync(HttpStatusCode.Forbidden);
            await client.PostJson($"/api/v1/requests/{request}/messages", new { text = "Ik kijk even mee." })
                .ExpectAsync(HttpStatusCode.Forbidden);
        }
        await bram.PostJson($"/api/v1/households/{w.HouseholdId}/consents", new
        {
            organisationId = w.S.OtherOrganisationId, purpose = "huurachterstand", givenByMemberId = w.HeadMemberId,
            givenOn = "2026-03-01", validUntil = "2027-03-01",
        }).ExpectAsync(HttpStatusCode.Forbidden);
        await bram.DeleteAsync($"/api/v1/households/{w.HouseholdId}/consents/{w.ConsentId}").ExpectAsync(HttpStatusCode.Forbidden);
        // Reading stays open to the team (need-to-know is the team's).
        await bram.GetAsync($"/api/v1/households/{w.HouseholdId}/consents").ExpectAsync(HttpStatusCode.OK);
        await bram.GetAsync($"/api/v1/requests/{request}/messages").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM involvements WHERE ended_at IS NULL"));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM consents WHERE withdrawn_on IS NULL"));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM request_messages"));
        Assert.Equal(2 * 3 + 2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND result = 'denied'", new { household = w.HouseholdId }));
        // The coach herself still can.
        await w.Coach.PostJson($"/api/v1/requests/{request}/messages", new { text = "Graag deze week." }).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ARefusalByRoleInsideTheTeam_IsLoggedOnce_AndTheChangeDidNotHappen(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await Requests.RequestWorld.CreateAsync(app);
        var request = (await w.SendAsync()).Id();
        var bram = app.ClientFor(w.S.SecondCoach);
        var before = await DeniedCountAsync(app, w.HouseholdId);

        // Bram sees the household (his team) but it is not his to close, nor his request to withdraw; the back
        // office may not withdraw either.
        await bram.PostJson($"/api/v1/households/{w.HouseholdId}/closure", new { reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.Forbidden);
        await w.ChangeAsync(request, "withdrawn", 1, HttpStatusCode.Forbidden, by: bram, note: "Niet nodig");
        await w.ChangeAsync(request, "withdrawn", 1, HttpStatusCode.Forbidden, note: "Niet nodig");

        Assert.Equal(before + 3, await DeniedCountAsync(app, w.HouseholdId));
        Assert.Equal("active", await app.ScalarAsync<string>("SELECT status FROM households WHERE id = @id", new { id = w.HouseholdId }));
        Assert.Equal("sent", await app.ScalarAsync<string>("SELECT status FROM requests WHERE id = @request", new { request }));
        // A refusal that is not about access (409: an illegal transition) is no denied access.
        await w.ChangeAsync(request, "answered", 1, HttpStatusCode.Conflict, answer: "Al gedaan");
        Assert.Equal(before + 3, await DeniedCountAsync(app, w.HouseholdId));
    }

    private static Task<int> DeniedCountAsync(TestApp app, Guid household) => app.ScalarAsync<int>(
        "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND result = 'denied'", new { household });

    internal static async Task<List<JsonNode?>> DeniedAsync(TestApp app, string teamLead, Guid household)
    {
        var log = await app.ClientFor(teamLead).GetAsync($"/api/v1/households/{household}/access-log?pageSize=100").ExpectAsync(HttpStatusCode.OK);
        return log["items"]!.AsArray().Where(e => e!["result"]!.GetValue<string>() == "denied").ToList();
    }

    private static Task<Guid> UserIdAsync(TestApp app, string username) =>
        app.ScalarAsync<Guid>("SELECT id FROM users WHERE username = @username", new { username });
}
