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

    private sealed record LogRow
    {
        public Guid ObjectId { get; init; }
        public Guid HouseholdId { get; init; }
    }

    private sealed record PlannedVisit(Guid Id, Guid TeamId, string? Suffix, int HouseNumber, DateOnly PlannedOn, string Reason,
        string? Result, Guid? HouseholdAtPlan);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AddressOverview_ListsTheOwnTeamsVisitsInTheBuilding_AndOnlyCountsAnotherTeams(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var now = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, familyName: "Bosma")).Id();
        var upstairs = (await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = s.NeighbourhoodId,
            address = Address(houseNumberSuffix: "a"),
            members = new object[] { new { givenName = "Piet", familyName = "De Boer", dateOfBirth = "1970-01-02", role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());

        // Visits through the API; what each should look like in the view is kept here, beside the request.
        var planned = new List<PlannedVisit>();
        async Task<Guid> Plan(HttpClient client, string? suffix, int number, int days, string reason, string? result, Guid? householdAtPlan)
        {
            var visit = await client.PostJson("/api/v1/visits", new
            {
                address = Address(houseNumber: number, houseNumberSuffix: suffix), plannedOn = today.AddDays(days), reason,
            }).ExpectAsync(HttpStatusCode.Created);
            if (result is not null)
            {
                await client.PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result }).ExpectAsync(HttpStatusCode.OK);
            }
            planned.Add(new(visit.Id(), visit.Id("teamId"), suffix?.ToUpperInvariant(), number, today.AddDays(days), reason, result, householdAtPlan));
            return visit.Id();
        }
        await Plan(coach, null, 12, -3, "Buren horen al dagen niemand", "talked", now);
        await Plan(coach, "A", 12, 2, "Kennismaken met de nieuwe bewoner", null, upstairs);
        var concern = await Plan(app.ClientFor(s.SecondCoach), null, 12, 0, "Brievenbus puilt uit", "concern", now);
        await Plan(coach, null, 14, 0, "Naast de deur: niet dit pand", "no-answer", null);
        // A visit of another team at 12-B (the PC4 gives it to our team; moved in the database, as its households are).
        var foreign = await Plan(app.ClientFor(s.OtherCoach), "B", 12, 1, "Geheim bezoekdoel", null, null);
        await ExecuteAsync(app, "UPDATE visits SET team_id = @team WHERE id = @id", new { team = s.OtherTeamId, id = foreign });
        planned[^1] = planned[^1] with { TeamId = s.OtherTeamId };

        var view = await app.ClientFor(s.TeamLead).GetAsync($"{Path}?postalCode=8925AB&houseNumber=12").ExpectAsync(HttpStatusCode.OK);
        var expected = planned.Where(v => v.HouseNumber == 12 && v.TeamId == s.TeamId).ToList();
        Assert.Equal(3, expected.Count);
        var visits = view["visits"]!.AsArray();
        Assert.Equal(expected.Select(v => v.Id).Order(), visits.Select(v => v!.Id("visitId")).Order());
        foreach (var e in expected)
        {
            var v = visits.Single(x => x!.Id("visitId") == e.Id)!;
            Assert.Equal(e.PlannedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), v["plannedOn"]!.GetValue<string>());
            Assert.Equal(e.Reason, v["reason"]!.GetValue<string>());
            Assert.Equal(e.Result, v["result"]?.GetValue<string>());
            Assert.Equal(e.Suffix, v["houseNumberSuffix"]?.GetValue<string>());
            Assert.Equal(e.Suffix is null, v["atAddress"]!.GetValue<bool>());
            Assert.Equal(e.Result is not null, v["recordedAt"] is not null);
            Assert.Equal(e.Result == "concern", v["signalId"] is not null);
        }
        Assert.Equal(1, view["otherTeamsVisits"]!.GetValue<int>());
        Assert.DoesNotContain(foreign.ToString(), view.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Geheim bezoekdoel", view.ToJsonString(), StringComparison.Ordinal);

        // The concern's signal is the Bosmas' (matched by address) and shows with their signals; the coach is there too.
        var bosma = view["households"]!.AsArray().Single(h => h!.Id("householdId") == now)!;
        var concernSignal = visits.Single(v => v!.Id("visitId") == concern)!.Id("signalId");
        Assert.Contains(bosma["signals"]!.AsArray(), x => x!.Id("signalId") == concernSignal);
        Assert.Equal(s.CoachId, bosma["coach"]!.Id());
        Assert.Equal(s.Coach, bosma["coach"]!["displayName"]!.GetValue<string>());

        // One 'read visit' row per shown visit that was linked to a household, against that household.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            var logged = (await db.QueryAsync<LogRow>(
                "SELECT object_id, household_id FROM access_log WHERE actor_id = @actor AND object_type = 'visit' AND action = 'read'",
                new { actor = s.TeamLeadId })).Select(r => (r.ObjectId, r.HouseholdId)).Order().ToList();
            Assert.Equal(expected.Where(v => v.HouseholdAtPlan is not null).Select(v => (v.Id, v.HouseholdAtPlan!.Value)).Order(), logged);
        }

        // The other team's lead: their visit in full, ours as a count.
        var theirs = await app.ClientFor(s.OtherTeamLead).GetAsync($"{Path}?postalCode=8925AB&houseNumber=12").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(foreign, theirs["visits"]!.AsArray().Single()!.Id("visitId"));
        Assert.Equal(expected.Count, theirs["otherTeamsVisits"]!.GetValue<int>());
        Assert.DoesNotContain("Brievenbus", theirs.ToJsonString(), StringComparison.Ordinal);
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
