using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Plans;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Reports;

[Collection(IntegrationGroup.Name)]
public sealed class OutcomeAndTeamReportTests(ProviderApps apps)
{
    private static object Assessment(Guid memberId, DateOnly on, string phase, Dictionary<string, int> scores) =>
        new { memberId, phase, assessedOn = PlanWorld.Iso(on), scores };

    /// <summary>A request row as the requests feature writes it; times chosen by the test so the expected figures are exact.</summary>
    internal static Task<int> InsertRequestAsync(DbSession db, PlanWorld w, Guid organisationId, string status, DateTimeOffset sentAt,
        DateTimeOffset dueAt, DateTimeOffset? closedAt, int escalationLevel = 0, DateTimeOffset? overdueAt = null) =>
        db.ExecuteAsync("""
            INSERT INTO requests (id, household_id, organisation_id, service_code, question, urgency, legal_basis, consent_id,
                                  sent_by, status, version, sent_at, due_at, closed_at, updated_at, escalation_level,
                                  escalated_at, overdue_at)
            VALUES (@id, @householdId, @organisationId, 'schuldhulp-intake', 'Vraag', 'normal', 'zwaarwegend-belang', NULL,
                    @sentBy, @status, 1, @sentAt, @dueAt, @closedAt, @sentAt, @escalationLevel, @escalatedAt, @overdueAt)
            """, new
        {
            id = Guid.NewGuid(), householdId = w.HouseholdId, organisationId, sentBy = w.S.CoachId, status, sentAt, dueAt, closedAt,
            escalationLevel, escalatedAt = escalationLevel > 0 ? dueAt.AddDays(1) : (DateTimeOffset?)null, overdueAt,
        });

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task HouseholdOutcome_ShowsZrmIntakeVsLatest_GoalsProvidersRequests_AndIsSignedOffInTheClosingPhase(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var coach = w.Coach;
        var lead = app.ClientFor(w.S.TeamLead);
        var path = $"/api/v1/households/{w.HouseholdId}/assessments";
        var today = w.Today;
        await coach.PostJson(path, Assessment(w.HeadMemberId, today.AddDays(-60), "intake", new() { ["financien"] = 1, ["huisvesting"] = 3 }))
            .ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson(path, Assessment(w.ChildMemberId, today.AddDays(-60), "intake", new() { ["financien"] = 4, ["huisvesting"] = 2 }))
            .ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson(path, Assessment(w.HeadMemberId, today.AddDays(-1), "evaluation", new() { ["financien"] = 3 }))
            .ExpectAsync(HttpStatusCode.Created);
        var goal = await w.AddGoalAsync();
        await w.AddGoalAsync("huisvesting", "Huurachterstand ingelopen");
        await w.SetStatusAsync(goal.Id(), "achieved");
        await coach.PostJson($"/api/v1/households/{w.HouseholdId}/involvements", new { providerName = "Humanitas", since = "2024-01-01" })
            .ExpectAsync(HttpStatusCode.Created);
        var now = app.Clock.GetUtcNow();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            await InsertRequestAsync(db, w, w.S.OrganisationId, "answered", now.AddDays(-20), now.AddDays(-13), now.AddDays(-15));
            await InsertRequestAsync(db, w, w.S.OrganisationId, "answered", now.AddDays(-20), now.AddDays(-13), now.AddDays(-10));
            await InsertRequestAsync(db, w, w.S.OtherOrganisationId, "declined", now.AddDays(-9), now.AddDays(-2), now.AddDays(-8));
            await InsertRequestAsync(db, w, w.S.OtherOrganisationId, "sent", now.AddDays(-9), now.AddDays(-2), null, 1, now.AddDays(-1));
        }

        var report = await lead.GetAsync($"/api/v1/reports/household-outcomes/{w.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
        var zrm = report["zrm"]!.AsArray().ToDictionary(d => d!["domain"]!.GetValue<string>());
        // Household minimum: financien intake min(1, 4) = 1, latest min(3, 4) = 3; huisvesting intake min(3, 2) = 2, unchanged.
        Assert.Equal(1, zrm["financien"]!["intakeMinimum"]!.GetValue<int>());
        Assert.Equal(3, zrm["financien"]!["latestMinimum"]!.GetValue<int>());
        Assert.Equal(2, zrm["financien"]!["change"]!.GetValue<int>());
        Assert.Equal(0, zrm["huisvesting"]!["change"]!.GetValue<int>());
        Assert.Equal(["financien", "huisvesting"], report["zrm"]!.AsArray().Select(d => d!["domain"]!.GetValue<string>()));
        Assert.Equal(2, report["goals"]!["total"]!.GetValue<int>());
        Assert.Equal(1, report["goals"]!["achieved"]!.GetValue<int>());
        Assert.Equal(1, report["providers"]!["now"]!.GetValue<int>());
        var requests = report["requests"]!;
        Assert.Equal(4, requests["sent"]!.GetValue<int>());
        Assert.Equal(2, requests["answered"]!.GetValue<int>());
        Assert.Equal(1, requests["answeredOnTime"]!.GetValue<int>());
        Assert.Equal(2, requests["overdue"]!.GetValue<int>());
        Assert.Equal(1, requests["declined"]!.GetValue<int>());
        Assert.Null(report["signOff"]);

        var signOff = $"/api/v1/reports/household-outcomes/{w.HouseholdId}/sign-off";
        await lead.PostJson(signOff, new { note = "Doelen deels behaald" }).ExpectAsync(HttpStatusCode.Conflict);
        await coach.PostJson($"/api/v1/households/{w.HouseholdId}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        await coach.PostJson(signOff, new { note = "x" }).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(w.S.OtherTeamLead).PostJson(signOff, new { note = "x" }).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(w.S.OtherTeamLead).GetAsync($"/api/v1/reports/household-outcomes/{w.HouseholdId}").ExpectAsync(HttpStatusCode.NotFound);
        var signed = await lead.PostJson(signOff, new { note = "Doelen deels behaald" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.S.TeamLeadId, signed["signOff"]!.Id("signedBy"));
        Assert.Equal("closing", signed["status"]!.GetValue<string>());
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM outcome_signoffs"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TeamReport_CountsCaseloadStatusesSignals_AndTakesTheMedianResponseTime(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        // Fixed moments (not relative to the shared test clock, which other tests move on): working time depends on the
        // weekday. Amsterdam is at +01:00 in February.
        var friday = new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.FromHours(1));
        var wednesday = new DateTimeOffset(2026, 2, 25, 10, 0, 0, TimeSpan.FromHours(1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            // Sent on Friday 20 February 2026 at 10:00 (Amsterdam), Schuldhulp answers 10, 30 and 50 wall-clock hours later:
            // Friday 20:00 (10 working hours), Saturday 16:00 and Sunday 12:00 (the weekend does not count: 14 working
            // hours each, Friday 10:00-24:00), so the median is 14 working hours (30 on the wall clock). All on time.
            // Woningcorporatie, sent on Wednesday 25 February at 10:00, in 2 and 6 hours: median 4, one late.
            foreach (var hours in new[] { 50, 10, 30 })
            {
                await InsertRequestAsync(db, w, w.S.OrganisationId, "answered", friday, friday.AddDays(7), friday.AddHours(hours));
            }
            await InsertRequestAsync(db, w, w.S.OtherOrganisationId, "answered", wednesday, wednesday.AddDays(1), wednesday.AddHours(2));
            await InsertRequestAsync(db, w, w.S.OtherOrganisationId, "answered", wednesday, wednesday.AddHours(1), wednesday.AddHours(6), 2);
        }
        // One signal for the known address goes to the coach; one for an unknown address is new.
        var backOffice = app.ClientFor(w.S.BackOffice);
        await backOffice.PostJson("/api/v1/signals", Builders.ASignal(Builders.Address())).ExpectAsync(HttpStatusCode.Created);
        await backOffice.PostJson("/api/v1/signals", Builders.ASignal(Builders.Address(houseNumber: 99))).ExpectAsync(HttpStatusCode.Created);

        var report = await app.ClientFor(w.S.TeamLead).GetAsync($"/api/v1/reports/team?from=2026-01-01&to={PlanWorld.Iso(w.Today)}")
            .ExpectAsync(HttpStatusCode.OK);

        var anna = report["caseload"]!.AsArray().Single(c => c!.Id("coachId") == w.S.CoachId)!;
        Assert.Equal(1, anna["openHouseholds"]!.GetValue<int>());
        Assert.Equal(20, anna["maxCaseload"]!.GetValue<int>());
        Assert.Equal(2, report["caseload"]!.AsArray().Count);
        var statuses = report["householdsByStatus"]!.AsArray().ToDictionary(x => x!["status"]!.GetValue<string>(), x => x!["households"]!.GetValue<int>());
        Assert.Equal(1, statuses["active"]);
        Assert.Equal(0, statuses["closed"]);
        Assert.Equal(2, report["signals"]!["total"]!.GetValue<int>());
        Assert.Equal(1, report["signals"]!["routedToExistingContact"]!.GetValue<int>());
        var times = report["responseTimes"]!.AsArray().ToDictionary(r => r!.Id("organisationId"));
        Assert.Equal(14, times[w.S.OrganisationId]!["medianResponseHours"]!.GetValue<double>(), 1);
        Assert.Equal(3, times[w.S.OrganisationId]!["answeredOnTime"]!.GetValue<int>());
        Assert.Equal(4, times[w.S.OtherOrganisationId]!["medianResponseHours"]!.GetValue<double>(), 1);
        Assert.Equal(0.5, times[w.S.OtherOrganisationId]!["shareOnTime"]!.GetValue<double>(), 3);
        Assert.Equal(1, report["escalations"]!["toTeamLead"]!.GetValue<int>());

        await app.ClientFor(w.S.TeamLead).GetAsync($"/api/v1/reports/team?teamId={w.S.OtherTeamId}").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(w.S.Coach).GetAsync("/api/v1/reports/team").ExpectAsync(HttpStatusCode.Forbidden);
    }
}
