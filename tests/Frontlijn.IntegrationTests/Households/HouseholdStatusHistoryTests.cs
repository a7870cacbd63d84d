using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Households;

/// <summary>
/// GET /households/{id}/status-history: every closure step and the reopening, oldest first, with who and why — the
/// steps the test itself took, in its order. The team sees it (a colleague coach too), another team gets 404, and
/// each read (refused ones too) is in the household's access log.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HouseholdStatusHistoryTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task StatusHistory_ListsClosureAndReopening_OldestFirst_ForTheTeamOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        var id = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var path = $"/api/v1/households/{id}/status-history";

        Assert.Empty((await coach.GetAsync(path).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());

        var steps = new (string Client, string Path, string Reason, string From, string To)[]
        {
            (s.Coach, "closure", "Doelen bereikt", "active", "closing"),
            (s.TeamLead, "closure", "Eindevaluatie gedaan", "closing", "closed"),
            (s.TeamLead, "reopening", "Het gezin meldt zich opnieuw", "closed", "registered"),
        };
        var started = app.Clock.GetUtcNow();
        foreach (var step in steps)
        {
            await app.ClientFor(step.Client).PostJson($"/api/v1/households/{id}/{step.Path}", new { reason = step.Reason })
                .ExpectAsync(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var items = (await app.ClientFor(s.SecondCoach).GetAsync(path).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(steps.Select(x => $"{x.From}>{x.To}:{x.Reason}"),
            items.Select(i => $"{i!["fromStatus"]!.GetValue<string>()}>{i["toStatus"]!.GetValue<string>()}:{i["reason"]!.GetValue<string>()}"));
        Assert.Equal([s.CoachId, s.TeamLeadId, s.TeamLeadId], items.Select(i => i!["changedBy"]!.Id()));
        Assert.False(string.IsNullOrEmpty(items[0]!["changedBy"]!["displayName"]!.GetValue<string>()));
        // Five minutes apart, as the clock moved; RFC 3339 with an offset.
        var times = items.Select(i => DateTimeOffset.Parse(i!["changedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([started, started.AddMinutes(5), started.AddMinutes(10)], times);

        // Need-to-know: another team's lead and coach do not know it; the back office's and admin's roles never may.
        await app.ClientFor(s.OtherTeamLead).GetAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.OtherCoach).GetAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.BackOffice).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.BackOffice).GetAsync($"/api/v1/households/{Guid.CreateVersion7()}/status-history").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync($"/api/v1/households/{Guid.CreateVersion7()}/status-history").ExpectAsync(HttpStatusCode.NotFound);

        // Access-logged: the two allowed reads above; the other team's two refusals and the back office's (by policy,
        // logged under the same object type).
        Assert.Equal(2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND object_type = 'status-history' AND action = 'read' AND result = 'success'",
            new { id }));
        Assert.Equal(3, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND object_type = 'status-history' AND action = 'read' AND result = 'denied'",
            new { id }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND result = 'denied' AND object_type = 'status-history'" +
            " AND actor_id = (SELECT id FROM users WHERE username = @bo)", new { id, bo = s.BackOffice }));
    }
}
