using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Reports;

/// <summary>A report page, a CSV download or a caseload page that lists households logs one row per household listed.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class ReportAccessLogTests(ProviderApps apps)
{
    private const string ObjectType = "report-providers-per-household";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ProvidersPerHousehold_LogsOneRowPerListedHousehold_PageAndCsv(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        for (var n = 1; n <= 3; n++) await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: n);
        for (var n = 4; n <= 5; n++) await app.ClientFor(s.SecondCoach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: n);
        await app.ClientFor(s.OtherCoach).RegisterHouseholdAsync(s.OtherNeighbourhoodId, postalCode: "7544 AA", houseNumber: 1);
        var lead = app.ClientFor(s.TeamLead);

        var page = await lead.GetAsync("/api/v1/reports/providers-per-household?pageSize=2").ExpectAsync(HttpStatusCode.OK);
        var listed = page["households"]!["items"]!.AsArray().Select(h => h!.Id("householdId")).ToHashSet();
        Assert.Equal(2, listed.Count);
        Assert.Equal(listed, (await LoggedAsync(app, s.TeamLeadId)).ToHashSet());

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/providers-per-household");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await lead.SendAsync(csvRequest);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        // The households of the report's scope, counted independently: the team's households, all in care this year.
        var inScope = await app.ScalarAsync<int>("SELECT COUNT(*) FROM households WHERE team_id = @team", new { team = s.TeamId });
        Assert.Equal(5, inScope);
        var logged = await LoggedAsync(app, s.TeamLeadId);
        Assert.Equal(2 + inScope, logged.Count);
        Assert.Equal(inScope, logged.Distinct().Count());
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log l JOIN households h ON h.id = l.household_id WHERE l.object_type = @type AND h.team_id <> @team",
            new { type = ObjectType, team = s.TeamId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheCoachsCaseloadPage_LogsOneRowPerListedHousehold(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        for (var n = 1; n <= 4; n++) await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: n);
        var before = await ListedAsync(app, s.CoachId);

        var page = await app.ClientFor(s.Coach).GetAsync("/api/v1/caseload?pageSize=3").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, page["items"]!.AsArray().Count);
        Assert.Equal(before + 3, await ListedAsync(app, s.CoachId));
    }

    private static async Task<List<Guid>> LoggedAsync(TestApp app, Guid actor)
    {
        var rows = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE actor_id = @actor AND object_type = @type",
            new { actor, type = ObjectType });
        var ids = new List<Guid>();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Frontlijn.Web.Infrastructure.Data.DbSession>();
        ids.AddRange(await db.QueryAsync<Guid>(
            "SELECT household_id FROM access_log WHERE actor_id = @actor AND object_type = @type AND result = 'success'",
            new { actor, type = ObjectType }));
        Assert.Equal(rows, ids.Count);
        return ids;
    }

    private static Task<int> ListedAsync(TestApp app, Guid actor) => app.ScalarAsync<int>(
        "SELECT COUNT(*) FROM access_log WHERE actor_id = @actor AND action = 'list' AND object_type = 'household'", new { actor });
}
