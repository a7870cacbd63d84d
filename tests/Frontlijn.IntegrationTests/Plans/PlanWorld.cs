using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Requests;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Plans;

/// <summary>The scenario plus a household of coach.anna (head Sandra, child Tim), made through the API.</summary>
public sealed record PlanWorld(TestApp App, Scenario S, Guid HouseholdId, Guid HeadMemberId, Guid ChildMemberId)
{
    public HttpClient Coach => App.ClientFor(S.Coach);
    public string Plan => $"/api/v1/households/{HouseholdId}/plan";

    public static async Task<PlanWorld> CreateAsync(TestApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var household = await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId);
        var members = household["members"]!.AsArray();
        return new PlanWorld(app, s, household.Id(),
            members.First(m => m!["role"]!.GetValue<string>() == "head")!.Id(),
            members.First(m => m!["role"]!.GetValue<string>() == "child")!.Id());
    }

    public DateOnly Today => WorkingDays.LocalDate(App.Clock.GetUtcNow());

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly DateOf(JsonNode? node) => DateOnly.ParseExact(node!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public Task<JsonNode> AddGoalAsync(string domain = "financien", string description = "Schulden in beeld en een betaalregeling",
        HttpStatusCode expected = HttpStatusCode.Created, HttpClient? by = null) =>
        (by ?? Coach).PostJson($"{Plan}/goals", new { domain, description }).ExpectAsync(expected);

    public Task<JsonNode> AddActionAsync(Guid goalId, DateOnly dueOn, string kind = "coach", Guid? organisationId = null,
        string description = "Samen de post openen en sorteren", HttpStatusCode expected = HttpStatusCode.Created, HttpClient? by = null) =>
        (by ?? Coach).PostJson($"{Plan}/goals/{goalId}/actions", new
        {
            description, owner = new { kind, organisationId }, dueOn = Iso(dueOn),
        }).ExpectAsync(expected);

    public Task<JsonNode> SetStatusAsync(Guid goalId, string status, HttpStatusCode expected = HttpStatusCode.OK) =>
        Coach.PostJson($"{Plan}/goals/{goalId}/status", new { status }).ExpectAsync(expected);

    /// <summary>Moves the fake clock forward to <paramref name="date"/> at <paramref name="time"/> in Amsterdam.</summary>
    public void AdvanceTo(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        var target = new DateTimeOffset(local, WorkingDays.Amsterdam.GetUtcOffset(local));
        var step = target - App.Clock.GetUtcNow();
        Assert.True(step >= TimeSpan.Zero, $"The clock cannot go back to {target:O}.");
        App.Clock.Advance(step);
    }

    public Task<int> CountAsync(string table) => App.ScalarAsync<int>($"SELECT COUNT(*) FROM {table}");
}
