using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Residents;

/// <summary>
/// <c>GET /api/v1/me/export</c> (SPEC "The household's rights"): the resident's own art. 15 bundle, JSON and the printable
/// page, in the member scope, logged as an export with the resident as actor; nothing of another household.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ResidentExportTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MyExport_HoldsMyHouseholdsPlanRequestsConsentsMeetingsAndMyNotes_NothingElse_AndIsLoggedAsMine(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        var sandra = world.Resident(world.SandraBsn);
        var coach = world.App.ClientFor(world.Scenario.Coach);
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(world.App.Clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var meeting = (await coach.PostJson($"/api/v1/households/{world.HouseholdId}/meetings", new
        {
            date = today, kind = "round-table", durationMinutes = 90,
            participants = new object[] { new { name = "Wijkagent Jansen" } }, householdPresent = true,
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        await sandra.PostJson($"/api/v1/me/plan/goals/{world.GoalId}/notes", new { text = "Wij willen eerst de huur regelen." })
            .ExpectAsync(HttpStatusCode.Created);

        using var response = await sandra.GetAsync("/api/v1/me/export");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var export = JsonNode.Parse(text)!;

        Assert.Equal(world.HouseholdId, export["household"]!.Id());
        Assert.Equal(world.SandraId, export["scope"]!.Id("memberId"));
        Assert.Contains(export["members"]!.AsArray(), m => m!.Id() == world.SandraId);
        Assert.Equal(world.GoalId, export["plan"]!["goals"]!.AsArray().Single()!.Id());
        Assert.Contains(export["requests"]!.AsArray(), r => r!.Id() == world.OpenRequestId);
        Assert.Contains(export["consents"]!.AsArray(), c => c!.Id() == world.SandraConsentId);
        Assert.Equal(meeting, export["meetings"]!.AsArray().Single()!.Id());
        Assert.Equal("Wij willen eerst de huur regelen.", export["goalNotes"]!.AsArray().Single()!["text"]!.GetValue<string>());
        Assert.NotEmpty(export["accessLog"]!.AsArray());
        // The BSN never, and nothing of the other household.
        Assert.DoesNotContain(world.SandraBsn, text, StringComparison.Ordinal);
        Assert.DoesNotContain(world.OtherHouseholdId.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(world.OtherConsentId.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(world.OtherGoalId.ToString(), text, StringComparison.Ordinal);

        Assert.Equal(1, await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_member_id = @member AND actor_id IS NULL AND action = 'export' AND household_id = @household AND result = 'success'",
            new { member = world.SandraId, household = world.HouseholdId }));

        // The printable page: Dutch, with the plan's goal and the meeting's participant.
        using var html = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/export");
        html.Headers.Accept.ParseAdd("text/html");
        using var page = await sandra.SendAsync(html);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var body = await page.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"nl\"", body, StringComparison.Ordinal);
        Assert.Contains("Wijkagent Jansen", body, StringComparison.Ordinal);
        Assert.Contains("Wij willen eerst de huur regelen.", body, StringComparison.Ordinal);

        // Staff never reach it: the team lead has the household's own export.
        await world.App.ClientFor(world.Scenario.TeamLead).GetAsync("/api/v1/me/export").ExpectAsync(HttpStatusCode.Forbidden);
    }
}
