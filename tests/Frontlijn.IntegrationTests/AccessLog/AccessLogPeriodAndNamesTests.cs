using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.AccessLog;

/// <summary>
/// GET /households/{id}/access-log for the team lead's page: <c>from</c>/<c>to</c> (Amsterdam days, inclusive) narrow
/// the log, a period that ends before it starts is a 400 that logs nothing, and each row names the actor, their role
/// and organisation, and the coach a stand-in acted for.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class AccessLogPeriodAndNamesTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheLog_NarrowsToAPeriod_AndNamesActorsRolesOrganisations_AndTheCoachOfAStandIn(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var path = $"/api/v1/households/{household}";
        // Monday 2 March 2026 10:00 in Amsterdam: the registration and a stand-in's read.
        await app.ClientFor(s.TeamLead).PutJson($"/api/v1/users/{s.CoachId}/stand-in", new
        {
            standInId = s.SecondCoachId, from = "2026-03-02", until = "2026-03-04",
        }).ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.SecondCoach).GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        // Tuesday 3 March 2026 23:30 in Amsterdam (22:30 UTC): a refused back-office attempt, still on the 3rd locally.
        app.Clock.Advance(new DateTimeOffset(2026, 3, 3, 22, 30, 0, TimeSpan.Zero) - app.Clock.GetUtcNow());
        await app.ClientFor(s.BackOffice).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        var lead = app.ClientFor(s.TeamLead);
        var log = $"{path}/access-log";

        var monday = await lead.GetAsync($"{log}?from=2026-03-02&to=2026-03-02").ExpectAsync(HttpStatusCode.OK);
        var mondayRows = monday["items"]!.AsArray();
        Assert.NotEmpty(mondayRows);
        Assert.All(mondayRows, r => Assert.StartsWith("2026-03-02", r!["occurredAt"]!.GetValue<string>(), StringComparison.Ordinal));
        var standIn = mondayRows.Single(r => r!["actorId"]?.GetValue<string>() == s.SecondCoachId.ToString())!;
        Assert.Equal(s.CoachId, standIn.Id("onBehalfOf"));
        Assert.Equal(s.Coach, standIn["onBehalfOfDisplayName"]!.GetValue<string>());
        Assert.Equal("coach", standIn["actorRole"]!.GetValue<string>());
        Assert.DoesNotContain(mondayRows, r => r!["result"]!.GetValue<string>() == "denied");

        // The refusal at 23:30 local on the 3rd is on the 3rd (not on the 4th, as its UTC date would not say either).
        var tuesday = await lead.GetAsync($"{log}?from=2026-03-03&to=2026-03-03").ExpectAsync(HttpStatusCode.OK);
        var refused = tuesday["items"]!.AsArray().Single(r => r!["result"]!.GetValue<string>() == "denied")!;
        Assert.Equal(s.BackOffice, refused["actorDisplayName"]!.GetValue<string>());
        Assert.Equal("back-office", refused["actorRole"]!.GetValue<string>());
        Assert.Equal("Schuldhulp Leeuwarden", refused["actorOrganisationName"]!.GetValue<string>());
        Assert.Equal(0, (await lead.GetAsync($"{log}?from=2026-03-04").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());

        // Without a period: everything (the reads of the log itself included), and from/to add up to it.
        var all = (await lead.GetAsync($"{log}?pageSize=100").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>();
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household });
        Assert.Equal(before - 1, all);
        var mondayTotal = (await lead.GetAsync($"{log}?to=2026-03-02").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>();
        var fromTuesday = (await lead.GetAsync($"{log}?from=2026-03-03").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>();
        Assert.Equal(before + 1, mondayTotal + fromTuesday);

        // A period that ends before it starts: 400 at "to", and nothing is logged for it.
        var rows = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household });
        var problem = await lead.GetAsync($"{log}?from=2026-03-03&to=2026-03-02").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["to"]);
        Assert.Equal(rows, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household }));
    }
}
