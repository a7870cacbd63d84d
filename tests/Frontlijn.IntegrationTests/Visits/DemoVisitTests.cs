using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Visits;

/// <summary>
/// The demo's outreach visits (issue 14): on the first start the visit pages show something, relative to the day the
/// demo is seeded — today's visits, one recorded concern that became a signal to the household's own coach, and a
/// visit at an address where no household is known.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DemoVisitTests(ProviderApps apps)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Street(JsonNode visit) =>
        $"{visit["address"]!["street"]!.GetValue<string>()} {visit["address"]!["houseNumber"]!.GetValue<int>()}";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheDemo_PlansVisitsAroundToday_WithAConcernThatReachedTheHouseholdsCoach(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await app.Services.GetRequiredService<DemoSeeder>().SeedDemoDataAsync(CancellationToken.None);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Amsterdam).DateTime);
        var lead = app.ClientFor("teamlead.sanne");

        // Team Oost's days: one yesterday (recorded), four today, one on each of the next two days.
        async Task<JsonArray> On(HttpClient client, DateOnly day) =>
            (await client.GetAsync($"/api/v1/visits?on={Day(day)}").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var todays = await On(lead, today);
        Assert.Equal(
            new[] { "Camminghaburen 88", "Heechterp 40", "Kalverdijkje 7", "Schieringerweg 140" },
            todays.Select(v => Street(v!)).Order(StringComparer.Ordinal));
        Assert.Equal(["Heechterp 12"], (await On(lead, today.AddDays(-1))).Select(v => Street(v!)));
        Assert.Equal("no-concern", (await On(lead, today.AddDays(-1)))[0]!["outcome"]!["result"]!.GetValue<string>());
        Assert.Equal(["Heechterperweg 3"], (await On(lead, today.AddDays(1))).Select(v => Street(v!)));
        Assert.Equal(["Schieringerweg 55"], (await On(lead, today.AddDays(2))).Select(v => Street(v!)));
        // Team Zuid has its own one today, and sees none of Oost's.
        Assert.Equal(["Lindenhof 31"], (await On(app.ClientFor("coach.fatima"), today)).Select(v => Street(v!)));
        // Some recorded, some still to do: the page has both kinds.
        Assert.Contains(todays, v => v!["outcome"] is null);
        Assert.Contains(todays, v => v!["outcome"] is not null);

        // The concern at Kalverdijkje 7 is a signal, sent by the visitor (Anna), routed to the household's coach (Bram).
        var concern = todays.Single(v => Street(v!) == "Kalverdijkje 7")!;
        Assert.Equal("concern", concern["outcome"]!["result"]!.GetValue<string>());
        var signalId = concern["outcome"]!.Id("signalId");
        var household = await app.ScalarAsync<Guid>(
            "SELECT id FROM households WHERE postal_code = '8935EF' AND house_number = 7 AND closed_at IS NULL");
        Assert.Equal(household, await app.ScalarAsync<Guid>("SELECT household_id FROM signals WHERE id = @signalId", new { signalId }));
        Assert.Equal(await app.ScalarAsync<Guid>("SELECT id FROM users WHERE username = 'coach.bram'"),
            await app.ScalarAsync<Guid>("SELECT coach_id FROM signals WHERE id = @signalId", new { signalId }));
        Assert.Equal(await app.ScalarAsync<Guid>("SELECT id FROM users WHERE username = 'coach.anna'"),
            await app.ScalarAsync<Guid>("SELECT sender_id FROM signals WHERE id = @signalId", new { signalId }));
        var inbox = await app.ClientFor("coach.bram").GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(inbox["items"]!.AsArray(), n => n!["type"]!.GetValue<string>() == "nl.frontlijn.signal.routed"
                                                        && n["householdId"]?.GetValue<string>() == household.ToString());

        // Heechterp 40: nobody is known there, so the visit is tied to no household.
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM households WHERE postal_code = '8925AB' AND house_number = 40 AND closed_at IS NULL"));
        var unknown = todays.Single(v => Street(v!) == "Heechterp 40")!;
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM visits WHERE id = @id AND household_id IS NULL", new { id = unknown.Id() }));
        Assert.Null(unknown["outcome"]);
    }
}
