using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Plans;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Plans;

/// <summary>
/// The review reminder sweep, run by the test (jobs do not run by themselves here) with the fake clock moved towards
/// the review date: the household's current coach hears once per review date, live over SignalR and in the inbox,
/// however often or concurrently the sweep runs.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class PlanReviewReminderTests(ProviderApps apps)
{
    private const string ReviewDue = "nl.frontlijn.plan.review-due";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Sweep_RemindsTheCurrentCoach_FourteenDaysAhead_OncePerReviewDate(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        await using var anna = await NotificationListener.ConnectAsync(app, w.S.Coach);
        await w.AddGoalAsync();
        var reviewOn = PlanWorld.DateOf((await w.Coach.GetAsync(w.Plan).ExpectAsync(HttpStatusCode.OK))["reviewOn"]);
        // A household of another team whose plan is reviewed a month later: not due in this test's window.
        var fatima = app.ClientFor(w.S.OtherCoach);
        var elsewhere = (await fatima.RegisterHouseholdAsync(w.S.OtherNeighbourhoodId, postalCode: "7544 AB", houseNumber: 3)).Id();
        w.AdvanceTo(w.Today.AddMonths(1), new TimeOnly(10, 0));
        await fatima.PostJson($"/api/v1/households/{elsewhere}/plan/goals", new { domain = "huisvesting", description = "Woning behouden" })
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(0, await SweepAsync(app));
        w.AdvanceTo(reviewOn.AddDays(-15), new TimeOnly(6, 0));
        Assert.Equal(0, await SweepAsync(app));

        w.AdvanceTo(reviewOn.AddDays(-14), new TimeOnly(6, 0));
        // Two nodes sweeping at once: one reminder.
        var both = await Task.WhenAll(SweepAsync(app), SweepAsync(app));
        Assert.Equal(1, both.Sum());
        var live = await anna.NextAsync(ReviewDue);
        Assert.Equal(w.HouseholdId.ToString(), live.GetProperty("householdId").GetString());
        var title = live.GetProperty("title").GetString()!;
        Assert.Contains(PlanWorld.Iso(reviewOn), title, StringComparison.Ordinal);
        Assert.DoesNotContain("Bosma", title, StringComparison.Ordinal);
        Assert.DoesNotContain("Sandra", title, StringComparison.Ordinal);

        w.AdvanceTo(reviewOn.AddDays(-1), new TimeOnly(6, 0));
        Assert.Equal(0, await SweepAsync(app));
        Assert.Equal(0, await SweepAsync(app));
        var inbox = await w.Coach.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        var reminders = inbox["items"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() == ReviewDue).ToList();
        Assert.Equal(w.HouseholdId, Assert.Single(reminders)!.Id("householdId"));
        Assert.Equal(reviewOn, await app.ScalarAsync<DateOnly>(
            "SELECT reminded_for_review FROM family_plans WHERE household_id = @householdId", new { householdId = w.HouseholdId }));

        // A review moves the date; the next reminder goes to whoever is the coach by then.
        var nextReview = w.Today.AddDays(10);
        await w.Coach.PostJson($"{w.Plan}/review", new { nextReviewOn = PlanWorld.Iso(nextReview) }).ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(w.S.TeamLead).AssignCoachAsync(w.HouseholdId, w.S.SecondCoachId);
        await using var bram = await NotificationListener.ConnectAsync(app, w.S.SecondCoach);
        Assert.Equal(1, await SweepAsync(app));
        Assert.Equal(w.HouseholdId.ToString(), (await bram.NextAsync(ReviewDue)).GetProperty("householdId").GetString());
        Assert.Equal(0, await SweepAsync(app));

        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE type = @type", new { type = ReviewDue }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE type = @type AND recipient_id = @coach", new { type = ReviewDue, coach = w.S.CoachId }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE type = @type AND recipient_id = @coach", new { type = ReviewDue, coach = w.S.SecondCoachId }));
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE household_id = @elsewhere", new { elsewhere }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Sweep_SkipsClosedHouseholds_AndCatchesUpOnAPassedReviewDate(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        await w.AddGoalAsync();
        var closed = (await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 20, familyName: "De Vries")).Id();
        await w.Coach.PostJson($"/api/v1/households/{closed}/plan/goals", new { domain = "justitie", description = "Taakstraf afronden" })
            .ExpectAsync(HttpStatusCode.Created);
        for (var i = 0; i < 2; i++)
        {
            await w.Coach.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.OK);
        }

        // The sweep did not run for weeks: the review date has passed, and the coach still hears of it, once.
        w.AdvanceTo(w.Today.AddMonths(7), new TimeOnly(6, 0));
        Assert.Equal(1, await SweepAsync(app));
        Assert.Equal(0, await SweepAsync(app));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE household_id = @closed", new { closed }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE household_id = @householdId AND type = @type", new { householdId = w.HouseholdId, type = ReviewDue }));
    }

    private static async Task<int> SweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PlanReviewReminders>().RunAsync(CancellationToken.None);
    }
}
