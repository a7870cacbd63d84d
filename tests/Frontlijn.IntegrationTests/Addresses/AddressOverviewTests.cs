using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Addresses;

[Collection(IntegrationGroup.Name)]
public sealed class AddressOverviewTests(ProviderApps apps)
{
    private const string Path = "/api/v1/address-overview";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AddressOverview_ListsTheBuildingNowAndBefore_AndOnlyCountsAnotherTeamsHousehold(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);

        // Before: a household that lived at 8925 AB 12 and was closed; now: the one living there, and one at 12-A.
        var before = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, familyName: "Visser")).Id();
        await ExecuteAsync(app, "UPDATE households SET status = 'closed', closed_at = @closed WHERE id = @id",
            new { closed = app.Clock.GetUtcNow().AddDays(-30), id = before });
        var now = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, familyName: "Bosma")).Id();
        var upstairs = (await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = s.NeighbourhoodId,
            address = Address(houseNumberSuffix: "A"),
            members = new object[] { new { givenName = "Piet", familyName = "De Boer", dateOfBirth = "1970-01-02", role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        // Next door (another house number) is not the building.
        var nextDoor = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 14, familyName: "Jansen")).Id();
        // Another team's household in the same building (12-B), moved there in the database: it must show as a count only.
        var foreign = (await app.ClientFor(s.OtherCoach).RegisterHouseholdAsync(s.OtherNeighbourhoodId, postalCode: "7544 aa",
            houseNumber: 1, familyName: "Geheimhouder")).Id();
        await ExecuteAsync(app,
            "UPDATE households SET postal_code = '8925AB', house_number = 12, house_number_suffix = 'B', street = 'Heechterp', city = 'Leeuwarden' WHERE id = @id",
            new { id = foreign });
        var signal = (await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address()))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");

        var lead = app.ClientFor(s.TeamLead);
        var view = await lead.GetAsync($"{Path}?postalCode=8925%20ab&houseNumber=12").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("8925AB", view["postalCode"]!.GetValue<string>());
        var households = view["households"]!.AsArray();
        Assert.Equal(new[] { before, now, upstairs }.Order(), households.Select(h => h!.Id("householdId")).Order());
        Assert.Equal(1, view["otherTeamsHouseholds"]!.GetValue<int>());
        var text = view.ToJsonString();
        Assert.DoesNotContain(foreign.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Geheimhouder", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nextDoor.ToString(), text, StringComparison.OrdinalIgnoreCase);

        JsonNode Of(Guid id) => households.Single(h => h!.Id("householdId") == id)!;
        Assert.True(Of(now)["atAddress"]!.GetValue<bool>());
        Assert.NotEqual("closed", Of(now)["status"]!.GetValue<string>());
        Assert.Null(Of(now)["closedOn"]?.GetValue<string>());
        Assert.Equal("Bosma", Of(now)["familyName"]!.GetValue<string>());
        Assert.Equal(signal, Of(now)["signals"]!.AsArray().Single()!.Id("signalId"));
        Assert.False(Of(upstairs)["atAddress"]!.GetValue<bool>());
        Assert.Equal("A", Of(upstairs)["houseNumberSuffix"]!.GetValue<string>());
        Assert.Empty(Of(upstairs)["signals"]!.AsArray());
        Assert.Equal("closed", Of(before)["status"]!.GetValue<string>());
        Assert.NotNull(Of(before)["closedOn"]);

        // One access-log row per household shown, none for the one only counted.
        var logged = await LoggedAsync(app, s.TeamLeadId);
        Assert.Equal(new[] { before, now, upstairs }.Order(), logged.Order());

        // The other team's lead sees their household and counts ours.
        var theirs = await app.ClientFor(s.OtherTeamLead).GetAsync($"{Path}?postalCode=8925AB&houseNumber=12")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(foreign, theirs["households"]!.AsArray().Single()!.Id("householdId"));
        Assert.Equal(3, theirs["otherTeamsHouseholds"]!.GetValue<int>());
        Assert.DoesNotContain("Bosma", theirs.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AddressOverview_RefusesBadInputAndOtherRoles_AndLogsNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId);
        var lead = app.ClientFor(s.TeamLead);
        foreach (var (query, field) in new[]
        {
            ("postalCode=1234&houseNumber=12", "postalCode"), ("postalCode=0925AB&houseNumber=12", "postalCode"),
            ("houseNumber=12", "postalCode"), ("postalCode=8925AB&houseNumber=twaalf", "houseNumber"),
            ("postalCode=8925AB&houseNumber=0", "houseNumber"), ("postalCode=8925AB", "houseNumber"),
            ("postalCode=8925AB&houseNumber=100000", "houseNumber"),
        })
        {
            var problem = await lead.GetAsync($"{Path}?{query}").ExpectAsync(HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]![field]);
        }
        await app.ClientFor(s.Coach).GetAsync($"{Path}?postalCode=8925AB&houseNumber=12").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.BackOffice).GetAsync($"{Path}?postalCode=8925AB&houseNumber=12").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(null).GetAsync($"{Path}?postalCode=8925AB&houseNumber=12").ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await LoggedAsync(app, s.TeamLeadId));
    }

    private static async Task<List<Guid>> LoggedAsync(TestApp app, Guid actor)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        return (await db.QueryAsync<Guid>(
            "SELECT household_id FROM access_log WHERE actor_id = @actor AND object_type = 'address-overview' AND result = 'success'",
            new { actor })).ToList();
    }

    private static async Task ExecuteAsync(TestApp app, string sql, object parameters)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        await db.BeginAsync(CancellationToken.None);
        await db.ExecuteAsync(sql, parameters);
        await db.CommitAsync(CancellationToken.None);
    }
}
