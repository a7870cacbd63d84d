using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Households;

/// <summary>
/// Closure ends everything that runs for a household (SPEC "Households over time"): its open requests are withdrawn
/// as a coach would (reason code household-closed, back office told, version +1), its open involvements end, and the
/// sweeps — run by the test with the fake clock moved past every due date — never notify about it again, while a
/// household of the same coach that stays open is reminded and escalated as before.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HouseholdClosureTests(ProviderApps apps)
{
    private static readonly WorkingDays Calendar = new();

    private static readonly string[] DeadlineTypes =
    [
        "nl.frontlijn.request.reminder", "nl.frontlijn.request.overdue", "nl.frontlijn.request.escalated", "nl.frontlijn.plan.review-due",
    ];

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Closure_WithdrawsOpenRequests_EndsInvolvements_AndSilencesTheSweeps(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var monday = RequestWorld.Today(app).AddDays(1);
        while (monday.DayOfWeek != DayOfWeek.Monday || Enumerable.Range(0, 8).Any(i => i != 5 && i != 6 && !Calendar.IsWorkingDay(monday.AddDays(i))))
        {
            monday = monday.AddDays(1);
        }
        RequestWorld.SetAmsterdamTime(app, monday, new TimeOnly(9, 0));
        var w = await RequestWorld.CreateAsync(app);
        var pieter = await w.UserIdAsync(w.S.BackOffice);
        var closed = w.HouseholdId;
        var plan = $"/api/v1/households/{closed}/plan";

        // The household to close: a sent, an acknowledged, a suspended and an answered request, a manual involvement
        // and a plan with a review date.
        var sent = (await w.SendAsync("urgent")).Id();
        var acknowledged = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(acknowledged, "acknowledged", 1);
        var suspended = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(suspended, "suspended", 1);
        var answered = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(answered, "acknowledged", 1);
        await w.ValidChangeAsync(answered, "answered", 2);
        await w.Coach.PostJson($"/api/v1/households/{closed}/involvements", new
        {
            providerName = "Buurtsportcoach", since = monday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        })
            .ExpectAsync(HttpStatusCode.Created);
        await w.Coach.PostJson($"{plan}/goals", new { domain = "financien", description = "Schulden in beeld" }).ExpectAsync(HttpStatusCode.Created);

        // A household of the same coach that stays open, with one late request and a plan: the sweeps still work for it.
        var open = (await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 20, familyName: "De Vries")).Id();
        var openRequest = (await w.SendAsync("urgent", legalBasis: "wettelijke-taak-wgs", householdId: open)).Id();
        await w.Coach.PostJson($"/api/v1/households/{open}/plan/goals", new { domain = "financien", description = "Schulden in beeld" })
            .ExpectAsync(HttpStatusCode.Created);

        // The afsluitfase changes nothing yet; the second step closes.
        await w.Coach.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("sent", (await w.GetAsync(sent))["status"]!.GetValue<string>());
        var lead = app.ClientFor(w.S.TeamLead);
        var result = await lead.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Eindevaluatie gedaan" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("closed", result["status"]!.GetValue<string>());

        // Every open request withdrawn, one version later, with the reason code in its history; the answered one untouched.
        foreach (var (id, before) in new[] { (sent, 1), (acknowledged, 2), (suspended, 2) })
        {
            var detail = await w.GetAsync(id);
            Assert.Equal("withdrawn", detail["status"]!.GetValue<string>());
            Assert.Equal(before + 1, detail["version"]!.GetValue<int>());
            var last = (await w.Coach.GetAsync($"/api/v1/requests/{id}/status-changes").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray()[^1]!;
            Assert.Equal("withdrawn", last["change"]!.GetValue<string>());
            Assert.Equal("household-closed", last["reasonCode"]!.GetValue<string>());
            Assert.Equal(before + 1, last["version"]!.GetValue<int>());
        }
        var answeredDetail = await w.GetAsync(answered);
        Assert.Equal("answered", answeredDetail["status"]!.GetValue<string>());
        Assert.Equal(3, answeredDetail["version"]!.GetValue<int>());
        Assert.Equal("sent", (await w.GetAsync(openRequest))["status"]!.GetValue<string>());

        // The back office heard of each withdrawal, as of a coach's.
        string[] withdrawn = [sent.ToString(), acknowledged.ToString(), suspended.ToString()];
        Array.Sort(withdrawn, StringComparer.Ordinal);
        Assert.Equal(withdrawn, await RequestsInInboxAsync(app, pieter, "nl.frontlijn.request.withdrawn"));

        // Every open involvement ended (the manual one and the back office's from acknowledging), with the reason.
        var involvements = (await lead.GetAsync($"/api/v1/households/{closed}/involvements").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(2, involvements.Count);
        Assert.All(involvements, i => Assert.Equal("household-closed", i!["endReason"]!.GetValue<string>()));

        // A week later (every due date long past, escalation to the team lead due) and half a year later (the review
        // date past): nothing for the closed household, everything for the open one.
        RequestWorld.SetAmsterdamTime(app, monday.AddDays(6), new TimeOnly(0, 30));
        Assert.Equal(new RequestDeadlines.RunResult(0, 1, 1, 1), await RequestSweepAsync(app));
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await RequestSweepAsync(app));
        RequestWorld.SetAmsterdamTime(app, monday.AddMonths(7), new TimeOnly(6, 0));
        Assert.Equal(1, await PlanSweepAsync(app));
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await RequestSweepAsync(app));

        Assert.Equal(0, await app.ScalarAsync<int>(
            $"SELECT COUNT(*) FROM notification_inbox WHERE household_id = @closed AND type IN ({Quoted(DeadlineTypes)})", new { closed }));
        // Overdue to the coach, escalation to the team lead, the review reminder to the coach.
        Assert.Equal(3, await app.ScalarAsync<int>(
            $"SELECT COUNT(*) FROM notification_inbox WHERE household_id = @open AND type IN ({Quoted(DeadlineTypes)}) AND recipient_id IN (@coach, @lead)",
            new { open, coach = w.S.CoachId, lead = w.S.TeamLeadId }));
        // The overdue request of the open household, not the withdrawn ones, is what the team lead was told about.
        Assert.Equal([openRequest.ToString()], await RequestsInInboxAsync(app, w.S.TeamLeadId, "nl.frontlijn.request.escalated"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Reopening_ByTheTeamLead_ReturnsToTriage_KeepsTheHistory_ThenACoachMakesItActive(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        var id = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var reopening = $"/api/v1/households/{id}/reopening";

        // Not closed yet: nothing to reopen.
        await lead.PostJson(reopening, new { reason = "Terug" }).ExpectAsync(HttpStatusCode.Conflict);
        // The clock moves between the steps: the history is ordered by time.
        await coach.PostJson($"/api/v1/households/{id}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await coach.PostJson($"/api/v1/households/{id}/closure", new { reason = "Eindevaluatie gedaan" }).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        // Refusals change nothing: a coach's role never may (403), another team's lead does not know it (404), no reason (400).
        await coach.PostJson(reopening, new { reason = "Terug" }).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.OtherTeamLead).PostJson(reopening, new { reason = "Terug" }).ExpectAsync(HttpStatusCode.NotFound);
        var invalid = await lead.PostJson(reopening, new { reason = " " }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]?["reason"]);
        Assert.Equal("closed", (await lead.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());

        var reopened = await lead.PostJson(reopening, new { reason = "Het gezin meldt zich opnieuw" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("registered", reopened["status"]!.GetValue<string>());
        Assert.Equal((await lead.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK))["version"]!.GetValue<int>(),
            reopened["version"]!.GetValue<int>());
        Assert.Null(reopened["coach"]);
        Assert.Null(reopened["closedAt"]);
        var history = (await lead.GetAsync($"/api/v1/households/{id}/coach-history").ExpectAsync(HttpStatusCode.OK)).AsArray();
        var former = Assert.Single(history)!;
        Assert.Equal(s.CoachId, former.Id("coachId"));
        Assert.NotNull(former["to"]);
        Assert.Equal(["active>closing", "closing>closed", "closed>registered"], await StatusHistoryAsync(app, id));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND action = 'reopen' AND result = 'success'", new { id }));
        // Reopened once is enough.
        await lead.PostJson(reopening, new { reason = "Nog eens" }).ExpectAsync(HttpStatusCode.Conflict);

        // The team lead chooses the coach; only then is it active, with exactly one coach.
        var assigned = await lead.AssignCoachAsync(id, s.SecondCoachId);
        Assert.Equal("active", assigned["status"]!.GetValue<string>());
        Assert.Equal(2, (await lead.GetAsync($"/api/v1/households/{id}/coach-history").ExpectAsync(HttpStatusCode.OK)).AsArray().Count);
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM coach_assignments WHERE household_id = @id AND to_at IS NULL", new { id }));

        // A household closed at an address where a new one has been registered since cannot come back beside it.
        var gone = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 30)).Id();
        await coach.PostJson($"/api/v1/households/{gone}/closure", new { reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await coach.PostJson($"/api/v1/households/{gone}/closure", new { reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.OK);
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 30, familyName: "Nieuw");
        await lead.PostJson($"/api/v1/households/{gone}/reopening", new { reason = "Terug" }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(["active>closing", "closing>closed"], await StatusHistoryAsync(app, gone));
    }

    private static async Task<string[]> StatusHistoryAsync(TestApp app, Guid householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Frontlijn.Web.Infrastructure.Data.DbSession>();
        var rows = await db.QueryAsync<(string From, string To)>(
            "SELECT from_status, to_status FROM household_status_changes WHERE household_id = @householdId ORDER BY changed_at, id",
            new { householdId });
        return [.. rows.Select(r => $"{r.From}>{r.To}")];
    }

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));

    private static async Task<RequestDeadlines.RunResult> RequestSweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestDeadlines>().RunAsync(CancellationToken.None);
    }

    private static async Task<int> PlanSweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PlanReviewReminders>().RunAsync(CancellationToken.None);
    }

    private static async Task<string[]> RequestsInInboxAsync(TestApp app, Guid recipientId, string type)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Frontlijn.Web.Infrastructure.Data.DbSession>();
        var ids = (await db.QueryAsync<Guid>(
            "SELECT request_id FROM notification_inbox WHERE recipient_id = @recipientId AND type = @type",
            new { recipientId, type })).Select(g => g.ToString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        return [.. ids.Order(StringComparer.Ordinal)];
    }
}
