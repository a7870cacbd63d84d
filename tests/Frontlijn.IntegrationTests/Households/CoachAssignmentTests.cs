using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Households;

[Collection(IntegrationGroup.Name)]
public sealed class CoachAssignmentTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Handover_KeepsTheHistory_AndTellsBothCoaches(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var anna = app.ClientFor(s.Coach);
        var household = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        app.Clock.Advance(TimeSpan.FromDays(30));
        await anna.AssignCoachAsync(household, s.SecondCoachId, reason: "Verhuizing binnen de wijk");
        app.Clock.Advance(TimeSpan.FromDays(30));
        await app.ClientFor(s.TeamLead).AssignCoachAsync(household, s.CoachId, reason: "Terug naar de eerste coach");

        var history = (await anna.GetAsync($"/api/v1/households/{household}/coach-history").ExpectAsync(HttpStatusCode.OK)).AsArray();
        Assert.Equal([s.CoachId, s.SecondCoachId, s.CoachId], history.Select(h => h!.Id("coachId")));
        Assert.Equal(history[0]!["to"]!.GetValue<DateTimeOffset>(), history[1]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Verhuizing binnen de wijk", history[1]!["reason"]!.GetValue<string>());
        Assert.NotNull(history[1]!["to"]);
        Assert.Null(history[2]!["to"]);

        // Bram heard he got it and that it went back; Anna (who handed it over herself) only that it came back.
        var bram = await app.ClientFor(s.SecondCoach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, bram["items"]!.AsArray().Count);
        Assert.All(bram["items"]!.AsArray(), n => Assert.Equal("nl.frontlijn.household.coach-assigned", n!["type"]!.GetValue<string>()));
        var annaInbox = await anna.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(annaInbox["items"]!.AsArray());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ADeactivatedCoach_CannotBecomeTheContact_AndNothingChanges(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        // Bram has no households, so the admin may deactivate him.
        await Sessions.UserPatchTests.Patch(app.ClientFor("admin"), s.SecondCoachId, """{"active":false}""")
            .ExpectAsync(HttpStatusCode.OK);

        var refused = await app.ClientFor(s.TeamLead).AssignCoachAsync(household, s.SecondCoachId, HttpStatusCode.Conflict);
        Assert.Contains("gedeactiveerd", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(s.CoachId, await app.ScalarAsync<Guid>(
            "SELECT coach_id FROM coach_assignments WHERE household_id = @household AND to_at IS NULL", new { household }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Assignment_IsRefused_WithReasons_WhenNotAllowed(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app, maxCaseload: 1);
        var anna = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        var annas = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1)).Id();
        var brams = (await app.ClientFor(s.SecondCoach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2)).Id();
        var waiting = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3)).Id();

        // A coach hands over only their own household.
        await anna.AssignCoachAsync(brams, s.CoachId, HttpStatusCode.Forbidden);
        // Not in the team (and an unknown id) → 409 saying so.
        var outside = await lead.AssignCoachAsync(waiting, s.OtherCoachId, HttpStatusCode.Conflict);
        Assert.Contains("team", outside["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await lead.AssignCoachAsync(waiting, Guid.NewGuid(), HttpStatusCode.Conflict);
        await lead.AssignCoachAsync(waiting, s.TeamLeadId, HttpStatusCode.Conflict);
        // Full caseload (max 1) → 409 naming the coach and the numbers.
        var full = await lead.AssignCoachAsync(waiting, s.CoachId, HttpStatusCode.Conflict);
        Assert.Contains("1 van maximaal 1", full["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // Already the coach → 409; missing fields → 400.
        await lead.AssignCoachAsync(annas, s.CoachId, HttpStatusCode.Conflict);
        var invalid = await lead.PutJson($"/api/v1/households/{waiting}/coach", new { }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "coachId", "reason" }, invalid["errors"]!.AsObject().Select(e => e.Key).ToHashSet());
        await app.ClientFor(s.BackOffice).AssignCoachAsync(waiting, s.CoachId, HttpStatusCode.Forbidden);

        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments"));
        Assert.Equal("registered", await app.ScalarAsync<string>("SELECT status FROM households WHERE id = @waiting", new { waiting }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FiftyConcurrentAssignments_LeaveExactlyOneOpenAssignment_AndNo500(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var coaches = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            coaches.Add((await admin.PostJson("/api/v1/users", new
            {
                username = $"coach.{i:00}", displayName = $"Coach {i:00}", role = "coach", teamId = s.TeamId,
            }).ExpectAsync(HttpStatusCode.Created)).Id());
        }
        var lead = app.ClientFor(s.TeamLead);
        var household = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        var responses = await Task.WhenAll(coaches.Select(async coachId =>
        {
            using var response = await lead.PutJson($"/api/v1/households/{household}/coach", new { coachId, reason = "Gelijktijdig" });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}: {r.Body}"));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM coach_assignments WHERE household_id = @household AND to_at IS NULL", new { household }));
        var succeeded = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.True(succeeded >= 1);
        Assert.Equal(succeeded, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM coach_assignments WHERE household_id = @household", new { household }));
        var detail = await lead.GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", detail["status"]!.GetValue<string>());
        Assert.Equal(await app.ScalarAsync<Guid>(
            "SELECT coach_id FROM coach_assignments WHERE household_id = @household AND to_at IS NULL", new { household }),
            detail["coach"]!.Id());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheDatabase_RefusesASecondOpenAssignment_WhateverTheCode(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        var ex = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => app.ScalarAsync<int>("""
            INSERT INTO coach_assignments (id, household_id, coach_id, from_at, to_at, reason, end_reason, assigned_by)
            VALUES (@id, @household, @coach, @now, NULL, 'buiten de code om', NULL, @coach)
            """, new { id = Guid.NewGuid(), household, coach = s.SecondCoachId, now = app.Clock.GetUtcNow() }));
        Assert.NotNull(ex);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM coach_assignments WHERE household_id = @household", new { household }));
    }
}
