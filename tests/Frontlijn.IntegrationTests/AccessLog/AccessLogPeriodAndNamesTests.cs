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
        // Relative to the shared test clock (other tests move it on): day 1 is today in Amsterdam.
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var day1 = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), amsterdam).DateTime);
        var (day2, day3) = (day1.AddDays(1), day1.AddDays(2));
        string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        DateOnly LocalDay(string rfc3339) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(
            DateTimeOffset.Parse(rfc3339, System.Globalization.CultureInfo.InvariantCulture), amsterdam).DateTime);
        // Day 1: the registration and a stand-in's read.
        await app.ClientFor(s.TeamLead).PutJson($"/api/v1/users/{s.CoachId}/stand-in", new
        {
            standInId = s.SecondCoachId, from = Iso(day1), until = Iso(day3),
        }).ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.SecondCoach).GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        // Day 2 at 23:30 in Amsterdam: a refused back-office attempt, late in the day but still on day 2.
        var late = day2.ToDateTime(new TimeOnly(23, 30));
        app.Clock.Advance(new DateTimeOffset(late, amsterdam.GetUtcOffset(late)) - app.Clock.GetUtcNow());
        await app.ClientFor(s.BackOffice).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        var lead = app.ClientFor(s.TeamLead);
        var log = $"{path}/access-log";

        var monday = await lead.GetAsync($"{log}?from={Iso(day1)}&to={Iso(day1)}").ExpectAsync(HttpStatusCode.OK);
        var mondayRows = monday["items"]!.AsArray();
        Assert.NotEmpty(mondayRows);
        Assert.All(mondayRows, r => Assert.Equal(day1, LocalDay(r!["occurredAt"]!.GetValue<string>())));
        var standIn = mondayRows.Single(r => r!["actorId"]?.GetValue<string>() == s.SecondCoachId.ToString())!;
        Assert.Equal(s.CoachId, standIn.Id("onBehalfOf"));
        Assert.Equal(s.Coach, standIn["onBehalfOfDisplayName"]!.GetValue<string>());
        Assert.Equal("coach", standIn["actorRole"]!.GetValue<string>());
        Assert.DoesNotContain(mondayRows, r => r!["result"]!.GetValue<string>() == "denied");

        // The refusal at 23:30 local on day 2 is in "to = day 2" (the end day is included up to its last moment).
        var tuesday = await lead.GetAsync($"{log}?from={Iso(day2)}&to={Iso(day2)}").ExpectAsync(HttpStatusCode.OK);
        var refused = tuesday["items"]!.AsArray().Single(r => r!["result"]!.GetValue<string>() == "denied")!;
        Assert.Equal(s.BackOffice, refused["actorDisplayName"]!.GetValue<string>());
        Assert.Equal("back-office", refused["actorRole"]!.GetValue<string>());
        Assert.Equal("Schuldhulp Leeuwarden", refused["actorOrganisationName"]!.GetValue<string>());
        Assert.Equal(0, (await lead.GetAsync($"{log}?from={Iso(day3)}").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());

        // Without a period: everything (the reads of the log itself included), and from/to add up to it.
        var all = (await lead.GetAsync($"{log}?pageSize=100").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>();
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household });
        Assert.Equal(before - 1, all);
        var mondayTotal = (await lead.GetAsync($"{log}?to={Iso(day1)}").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>();
        var fromTuesday = (await lead.GetAsync($"{log}?from={Iso(day2)}").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>();
        Assert.Equal(before + 1, mondayTotal + fromTuesday);

        // A period that ends before it starts: 400 at "to", and nothing is logged for it.
        var rows = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household });
        var problem = await lead.GetAsync($"{log}?from={Iso(day2)}&to={Iso(day1)}").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["to"]);
        Assert.Equal(rows, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household }));
    }
}
