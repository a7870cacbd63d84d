using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;

namespace Frontlijn.IntegrationTests.Caseload;

/// <summary>
/// The caseload page as issue 12 reshaped it: the total comes with the page's rows (no separate COUNT), the open
/// requests are aggregated over the coach's own households only, and the page's access-log rows go in as one
/// statement. Each is checked against the tables themselves, and the log under concurrent reads (SQLite's writers
/// queue on the in-process gate instead of failing or sleeping in SQLite's busy handler).
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class CaseloadQueryTests(ProviderApps apps)
{
    private const string OpenRequestsSql =
        "SELECT COUNT(*) FROM requests WHERE household_id = @household AND status IN ('sent', 'acknowledged', 'suspended')";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenRequests_PerHousehold_MatchTheRequestsTable_AndOtherCoachesRequestsDoNotCount(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var quiet = (await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 20)).Id();
        await w.SendAsync();
        var answered = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(answered, "acknowledged", 1);
        await w.ValidChangeAsync(answered, "answered", 2);
        await w.SendAsync("urgent");
        // Another coach's household with requests of its own: the aggregate is per household, and restricted to the
        // caller's, so these must show on the other coach's caseload and nowhere else.
        var bram = app.ClientFor(w.S.SecondCoach);
        var theirs = (await bram.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 21)).Id();
        for (var i = 0; i < 2; i++)
        {
            await w.SendAsync(legalBasis: "zwaarwegend-belang", client: bram, householdId: theirs);
        }

        foreach (var (client, coachId) in new[] { (w.Coach, w.S.CoachId), (bram, w.S.SecondCoachId) })
        {
            var page = await client.GetAsync("/api/v1/caseload?pageSize=50").ExpectAsync(HttpStatusCode.OK);
            var items = page["items"]!.AsArray();
            var own = await app.ScalarAsync<long>(
                "SELECT COUNT(*) FROM coach_assignments WHERE coach_id = @coachId AND to_at IS NULL", new { coachId });
            Assert.Equal(own, items.Count);
            foreach (var item in items)
            {
                var household = item!.Id("householdId");
                Assert.Equal(await app.ScalarAsync<long>(OpenRequestsSql, new { household }), item!["openRequests"]!.GetValue<long>());
            }
        }
        var anna = (await w.Coach.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(2, anna.Single(i => i!.Id("householdId") == w.HouseholdId)!["openRequests"]!.GetValue<int>());
        Assert.Equal(0, anna.Single(i => i!.Id("householdId") == quiet)!["openRequests"]!.GetValue<int>());
        Assert.DoesNotContain(anna, i => i!.Id("householdId") == theirs);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Total_IsTheCoachsOpenHouseholds_OnEveryPage_AlsoPastTheLastOne(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var anna = app.ClientFor(s.Coach);
        for (var n = 1; n <= 5; n++)
        {
            await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: n);
        }
        await app.ClientFor(s.SecondCoach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 9);
        var expected = await app.ScalarAsync<long>(
            "SELECT COUNT(*) FROM coach_assignments WHERE coach_id = @coachId AND to_at IS NULL", new { coachId = s.CoachId });
        Assert.Equal(5, expected);

        var seen = new List<Guid>();
        for (var page = 1; page <= 4; page++)
        {
            var body = await anna.GetAsync($"/api/v1/caseload?pageSize=2&page={page}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(expected, body["total"]!.GetValue<long>());
            seen.AddRange(body["items"]!.AsArray().Select(i => i!.Id("householdId")));
        }
        // Pages 1-3 hold 2 + 2 + 1; page 4 is past the end: no rows to carry the total, which is counted on its own.
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(5, seen.Count);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ConcurrentCaseloadReads_EachLogOneRowPerListedHousehold(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var anna = app.ClientFor(s.Coach);
        var households = new List<Guid>();
        for (var n = 1; n <= 3; n++)
        {
            households.Add((await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: n)).Id());
        }
        const string ListedSql = """
            SELECT COUNT(*) FROM access_log
            WHERE actor_id = @actor AND action = 'list' AND object_type = 'household' AND household_id = @household
              AND object_id = @household AND result = 'success' AND on_behalf_of IS NULL
            """;
        const int Readers = 24;

        var answers = await Task.WhenAll(Enumerable.Range(0, Readers).Select(async _ =>
        {
            using var client = app.ClientFor(s.Coach);
            using var response = await client.GetAsync(new Uri("/api/v1/caseload", UriKind.Relative));
            return response.StatusCode;
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        foreach (var household in households)
        {
            Assert.Equal(Readers, await app.ScalarAsync<long>(ListedSql, new { actor = s.CoachId, household }));
        }
        Assert.Equal(Readers * households.Count, await app.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE actor_id = @actor AND action = 'list'", new { actor = s.CoachId }));
    }
}
