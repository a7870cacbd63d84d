using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Plans;

/// <summary>The family plan (één plan) over real HTTP: goals per ZRM domain, actions with an owner, status, review.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class FamilyPlanTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task GoalsAndActions_AreReadBackAsThePlan_WhichIsReviewedSixMonthsAfterTheFirstGoal(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);

        var empty = await w.Coach.GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(empty["reviewOn"]);
        Assert.Empty(empty["goals"]!.AsArray());

        var money = await w.AddGoalAsync("financien", "  Schulden in beeld en een betaalregeling  ");
        Assert.Equal("financien", money["domain"]!.GetValue<string>());
        Assert.Equal("Schulden in beeld en een betaalregeling", money["description"]!.GetValue<string>());
        Assert.Equal("open", money["status"]!.GetValue<string>());
        Assert.Null(money["closedOn"]);
        Assert.Empty(money["actions"]!.AsArray());
        // Goals are listed in the order they were made (created_at); the fake clock would otherwise make it a tie.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var housing = await w.AddGoalAsync("huisvesting", "Huurachterstand ingelopen");

        var later = await w.AddActionAsync(money.Id(), w.Today.AddDays(30), "organisation", w.S.OrganisationId, "Intake schuldhulp");
        Assert.Equal("organisation", later["owner"]!["kind"]!.GetValue<string>());
        Assert.Equal(w.S.OrganisationId, later["owner"]!.Id("organisationId"));
        Assert.Equal("Schuldhulp Leeuwarden", later["owner"]!["organisationName"]!.GetValue<string>());
        Assert.Null(later["doneOn"]);
        var sooner = await w.AddActionAsync(money.Id(), w.Today.AddDays(7));
        Assert.Equal("coach", sooner["owner"]!["kind"]!.GetValue<string>());
        Assert.Null(sooner["owner"]!["organisationId"]);
        await w.AddActionAsync(housing.Id(), w.Today);

        // The team lead and the other coach of the team read it; actions by due date, goals in the order made.
        var plan = await app.ClientFor(w.S.TeamLead).GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.HouseholdId, plan.Id("householdId"));
        Assert.Equal(w.Today.AddMonths(6), PlanWorld.DateOf(plan["reviewOn"]));
        Assert.Null(plan["lastReviewedAt"]);
        var goals = plan["goals"]!.AsArray();
        Assert.Equal([money.Id(), housing.Id()], goals.Select(g => g!.Id()));
        Assert.Equal([sooner.Id(), later.Id()], goals[0]!["actions"]!.AsArray().Select(a => a!.Id()));
        Assert.Equal(money.Id(), goals[0]!["actions"]![0]!.Id("goalId"));
        Assert.Equal(PlanWorld.Iso(w.Today.AddDays(7)), goals[0]!["actions"]![0]!["dueOn"]!.GetValue<string>());
        Assert.Single(goals[1]!["actions"]!.AsArray());

        var list = await app.ClientFor(w.S.SecondCoach).GetAsync($"{w.Plan}/goals").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([money.Id(), housing.Id()], list["items"]!.AsArray().Select(g => g!.Id()));
        Assert.Equal(2, list["items"]![0]!["actions"]!.AsArray().Count);

        // One plan, however many goals; every change and read is in the access log, with ids only.
        Assert.Equal(1, await w.CountAsync("family_plans"));
        async Task<int> Logged(string action, string objectType) => await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND action = @action AND object_type = @objectType AND result = 'success'",
            new { householdId = w.HouseholdId, action, objectType });
        Assert.Equal(1, await Logged("create", "family-plan"));
        Assert.Equal(2, await Logged("create", "plan-goal"));
        Assert.Equal(3, await Logged("create", "plan-action"));
        Assert.Equal(2, await Logged("read", "family-plan"));
        Assert.Equal(1, await Logged("read", "plan-goal"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task GoalStatus_SetsAndClearsClosedOn_AndActionsAreDoneOnce(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var goal = (await w.AddGoalAsync()).Id();
        var first = (await w.AddActionAsync(goal, w.Today.AddDays(3))).Id();
        var second = (await w.AddActionAsync(goal, w.Today.AddDays(5))).Id();

        var done = await w.Coach.PostJson($"{w.Plan}/goals/{goal}/actions/{first}/done", new { }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.Today, PlanWorld.DateOf(done["doneOn"]));
        await w.Coach.PostJson($"{w.Plan}/goals/{goal}/actions/{first}/done", new { }).ExpectAsync(HttpStatusCode.Conflict);
        var earlier = await w.Coach.PostJson($"{w.Plan}/goals/{goal}/actions/{second}/done", new { doneOn = PlanWorld.Iso(w.Today.AddDays(-2)) })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.Today.AddDays(-2), PlanWorld.DateOf(earlier["doneOn"]));

        var achieved = await w.SetStatusAsync(goal, "achieved");
        Assert.Equal("achieved", achieved["status"]!.GetValue<string>());
        Assert.Equal(w.Today, PlanWorld.DateOf(achieved["closedOn"]));
        Assert.Equal(2, achieved["actions"]!.AsArray().Count);
        await w.SetStatusAsync(goal, "achieved", HttpStatusCode.Conflict);
        // A closed goal takes no new actions until it is reopened.
        await w.AddActionAsync(goal, w.Today.AddDays(1), expected: HttpStatusCode.Conflict);

        var reopened = await w.SetStatusAsync(goal, "open");
        Assert.Null(reopened["closedOn"]);
        await w.AddActionAsync(goal, w.Today.AddDays(1));
        var dropped = await w.SetStatusAsync(goal, "dropped");
        Assert.Equal(w.Today, PlanWorld.DateOf(dropped["closedOn"]));

        var stored = await w.Coach.GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("dropped", stored["goals"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(PlanWorld.Iso(w.Today), stored["goals"]![0]!["closedOn"]!.GetValue<string>());
        Assert.Equal(2, stored["goals"]![0]!["actions"]!.AsArray().Count(a => a!["doneOn"] is not null));

        // Unknown goals and actions, and those of another household, are not found.
        var other = await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 40, familyName: "Dijkstra");
        var otherGoal = (await w.Coach.PostJson($"/api/v1/households/{other.Id()}/plan/goals", new { domain = "justitie", description = "Taakstraf afronden" })
            .ExpectAsync(HttpStatusCode.Created)).Id();
        await w.SetStatusAsync(otherGoal, "achieved", HttpStatusCode.NotFound);
        await w.SetStatusAsync(Guid.CreateVersion7(), "achieved", HttpStatusCode.NotFound);
        await w.AddActionAsync(otherGoal, w.Today, expected: HttpStatusCode.NotFound);
        await w.Coach.PostJson($"{w.Plan}/goals/{otherGoal}/actions/{first}/done", new { }).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("open", await app.ScalarAsync<string>("SELECT status FROM plan_goals WHERE id = @otherGoal", new { otherGoal }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Review_IsRecordedNow_AndTheNextIsSixMonthsLater_OrOnTheDateGiven(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        await w.Coach.PostJson($"{w.Plan}/review", new { }).ExpectAsync(HttpStatusCode.Conflict);
        await w.AddGoalAsync();

        w.AdvanceTo(w.Today.AddDays(40), new TimeOnly(14, 30));
        var reviewed = await w.Coach.PostJson($"{w.Plan}/review", new { }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.Today.AddMonths(6), PlanWorld.DateOf(reviewed["reviewOn"]));
        Assert.Equal(app.Clock.GetUtcNow(), reviewed["lastReviewedAt"]!.GetValue<DateTimeOffset>());
        Assert.Single(reviewed["goals"]!.AsArray());

        var chosen = w.Today.AddMonths(3);
        var rescheduled = await w.Coach.PostJson($"{w.Plan}/review", new { nextReviewOn = PlanWorld.Iso(chosen) }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(chosen, PlanWorld.DateOf(rescheduled["reviewOn"]));
        var read = await w.Coach.GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(chosen, PlanWorld.DateOf(read["reviewOn"]));
        Assert.NotNull(read["lastReviewedAt"]);

        var problem = await w.Coach.PostJson($"{w.Plan}/review", new { nextReviewOn = PlanWorld.Iso(w.Today) }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("nextReviewOn", problem["errors"]!.AsObject().Select(e => e.Key));
        // The body is optional: no body is a review with the default interval.
        var bare = await w.Coach.PostAsync($"{w.Plan}/review", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.Today.AddMonths(6), PlanWorld.DateOf(bare["reviewOn"]));
        Assert.Equal(3, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND action = 'review'", new { householdId = w.HouseholdId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OnlyTheHouseholdsCoachChangesThePlan_TheTeamReads_OutsidersGet404(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var goal = (await w.AddGoalAsync()).Id();

        foreach (var outsider in new[] { w.S.OtherCoach, w.S.OtherTeamLead, w.S.BackOffice, "admin" })
        {
            var client = app.ClientFor(outsider);
            // Reads: another team 404 (need-to-know), back office and admin 403 (their role never reads a plan).
            // Changes: only a coach's role may (403 for every other role), another team's coach gets 404.
            var read = outsider == w.S.BackOffice || outsider == "admin" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            var change = outsider == w.S.OtherCoach ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
            await client.GetAsync(w.Plan).ExpectAsync(read);
            await client.GetAsync($"{w.Plan}/goals").ExpectAsync(read);
            await w.AddGoalAsync(expected: change, by: client);
            await w.AddActionAsync(goal, w.Today, expected: change, by: client);
            await client.PostJson($"{w.Plan}/goals/{goal}/status", new { status = "dropped" }).ExpectAsync(change);
            await client.PostJson($"{w.Plan}/review", new { }).ExpectAsync(change);
        }
        // Unknown and hidden look the same.
        await w.Coach.GetAsync($"/api/v1/households/{Guid.CreateVersion7()}/plan").ExpectAsync(HttpStatusCode.NotFound);

        // The team reads; only the household's coach keeps the plan.
        foreach (var teamMember in new[] { w.S.SecondCoach, w.S.TeamLead })
        {
            var client = app.ClientFor(teamMember);
            await client.GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK);
            await w.AddGoalAsync(expected: HttpStatusCode.Forbidden, by: client);
            await w.AddActionAsync(goal, w.Today, expected: HttpStatusCode.Forbidden, by: client);
        }

        Assert.Equal(1, await w.CountAsync("plan_goals"));
        Assert.Equal(0, await w.CountAsync("plan_actions"));
        Assert.Equal("open", await app.ScalarAsync<string>("SELECT status FROM plan_goals WHERE id = @goal", new { goal }));
        // The refused reads are in the access log too (two reads per outsider), and (second round: every refused
        // attempt is logged) the four refused changes per outsider and the two per team member who is not the coach.
        Assert.Equal(8, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND result = 'denied' AND action = 'read'", new { householdId = w.HouseholdId }));
        Assert.Equal(4 * 4 + 2 * 2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND result = 'denied' AND action = 'update'", new { householdId = w.HouseholdId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidInput_Is400_ListingEveryField_AndWritesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var logged = await w.CountAsync("access_log");

        var problem = await w.Coach.PostJson($"{w.Plan}/goals", new { domain = "wonen", description = " " }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["description", "domain"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("huisvesting", problem["errors"]!["domain"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await w.Coach.PostJson($"{w.Plan}/goals", new { }).ExpectAsync(HttpStatusCode.BadRequest);
        await w.Coach.PostRaw($"{w.Plan}/goals", "{\"domain\": 3}").ExpectAsync(HttpStatusCode.BadRequest);
        await w.Coach.PostRaw($"{w.Plan}/goals", "{\"domain\": ").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await w.CountAsync("family_plans"));
        Assert.Equal(0, await w.CountAsync("plan_goals"));
        Assert.Equal(logged, await w.CountAsync("access_log"));

        var goal = (await w.AddGoalAsync()).Id();
        logged = await w.CountAsync("access_log");
        var action = await w.Coach.PostJson($"{w.Plan}/goals/{goal}/actions", new
        {
            description = "", owner = new { kind = "organisation" }, dueOn = PlanWorld.Iso(w.Today.AddDays(-1)),
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["description", "dueOn", "owner.organisationId"], action["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var noOwner = await w.Coach.PostJson($"{w.Plan}/goals/{goal}/actions", new { description = "Bellen" }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["dueOn", "owner"], noOwner["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var unknownOrganisation = await w.AddActionAsync(goal, w.Today, "organisation", Guid.CreateVersion7(), expected: HttpStatusCode.BadRequest);
        Assert.Equal(["owner.organisationId"], unknownOrganisation["errors"]!.AsObject().Select(e => e.Key));
        await w.SetStatusAsync(goal, "done", HttpStatusCode.BadRequest);
        Assert.Equal(0, await w.CountAsync("plan_actions"));
        Assert.Equal(logged, await w.CountAsync("access_log"));

        var real = (await w.AddActionAsync(goal, w.Today)).Id();
        await w.Coach.PostJson($"{w.Plan}/goals/{goal}/actions/{real}/done", new { doneOn = PlanWorld.Iso(w.Today.AddDays(1)) })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM plan_actions WHERE done_on IS NOT NULL"));
        Assert.Equal("open", await app.ScalarAsync<string>("SELECT status FROM plan_goals WHERE id = @goal", new { goal }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClosedHousehold_KeepsItsPlanReadable_ButRefusesChanges(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var goal = (await w.AddGoalAsync()).Id();

        await w.Coach.PostJson($"/api/v1/households/{w.HouseholdId}/closure", new { reason = "Doelen behaald" }).ExpectAsync(HttpStatusCode.OK);
        // In the closing phase the coach still works on the plan.
        await w.SetStatusAsync(goal, "achieved");
        await w.Coach.PostJson($"/api/v1/households/{w.HouseholdId}/closure", new { reason = "Doelen behaald" }).ExpectAsync(HttpStatusCode.OK);

        await w.AddGoalAsync(expected: HttpStatusCode.Conflict);
        await w.SetStatusAsync(goal, "open", HttpStatusCode.Conflict);
        await w.Coach.PostJson($"{w.Plan}/review", new { }).ExpectAsync(HttpStatusCode.Conflict);
        var plan = await app.ClientFor(w.S.TeamLead).GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("achieved", plan["goals"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(1, await w.CountAsync("plan_goals"));
    }
}
