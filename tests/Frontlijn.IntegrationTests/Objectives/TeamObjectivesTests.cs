using System.Globalization;
using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Reports;
using Frontlijn.Web.Features.Objectives;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Objectives;

[Collection(IntegrationGroup.Name)]
public sealed class TeamObjectivesTests(ProviderApps apps)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private sealed record HouseholdRow
    {
        public Guid Id { get; init; }
        public Guid TeamId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
    }

    private sealed record InvolvementRow
    {
        public Guid HouseholdId { get; init; }
        public Guid? OrganisationId { get; init; }
        public string? ProviderKey { get; init; }
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string Provider => OrganisationId?.ToString() ?? "ext:" + ProviderKey;
    }

    private sealed record AssignmentRow
    {
        public Guid CoachId { get; init; }
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset? ToAt { get; init; }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MonthlyProgress_EqualsAnIndependentComputationOverTheSeededRows(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var world = await ReportWorld.CreateAsync(app);
        var lead = app.ClientFor(world.S.TeamLead);
        const double target = 2.0;

        // Mid-month dates on purpose: progress is per whole calendar month overlapping the period.
        var created = await lead.PostJson($"/api/v1/teams/{world.S.TeamId}/objectives", new
        {
            metric = "average-providers-per-household", target, from = "2023-01-15", to = "2023-09-10",
        }).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("average-providers-per-household", created["metric"]!.GetValue<string>());
        Assert.False(created["higherIsBetter"]!.GetValue<bool>());

        var list = await lead.GetAsync($"/api/v1/teams/{world.S.TeamId}/objectives").ExpectAsync(HttpStatusCode.OK);
        var objective = list["items"]!.AsArray().Single()!;
        Assert.Equal(created.Id(), objective.Id());
        var progress = objective["progress"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 9).Select(m => $"2023-{m:00}").ToList(), progress.Select(p => p!["month"]!.GetValue<string>()).ToList());

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var households = (await db.QueryAsync<HouseholdRow>("SELECT id, team_id, created_at, closed_at FROM households")).ToList();
        var involvements = (await db.QueryAsync<InvolvementRow>(
            "SELECT household_id, organisation_id, provider_key, since, ended_at FROM involvements")).ToList();
        var withValue = 0;
        for (var m = 1; m <= 9; m++)
        {
            var start = StartOf(new DateOnly(2023, m, 1));
            var end = StartOf(new DateOnly(2023, m, 1).AddMonths(1));
            // The household was in care during the month; its providers overlap the month, counted once each.
            var counts = households
                .Where(h => h.TeamId == world.S.TeamId && h.CreatedAt < end && (h.ClosedAt is null || h.ClosedAt >= start))
                .Select(h => involvements.Where(i => i.HouseholdId == h.Id && i.Since < end && (i.EndedAt is null || i.EndedAt > start))
                    .Select(i => i.Provider).Distinct().Count())
                .ToList();
            var row = progress[m - 1]!;
            if (counts.Count == 0)
            {
                Assert.Null(row["value"]);
                Assert.Null(row["onTrack"]);
                continue;
            }
            withValue++;
            var expected = Math.Round(counts.Average(), 2);
            Assert.Equal(expected, row["value"]!.GetValue<double>(), 2);
            Assert.Equal(expected <= target, row["onTrack"]!.GetValue<bool>());
        }
        Assert.True(withValue >= 6, "the generated data should put households in most months of 2023");

        // Another team's lead does not learn of the objectives; the team's coach may not read them at all.
        await app.ClientFor(world.S.OtherTeamLead).GetAsync($"/api/v1/teams/{world.S.TeamId}/objectives").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(world.S.Coach).GetAsync($"/api/v1/teams/{world.S.TeamId}/objectives").ExpectAsync(HttpStatusCode.Forbidden);
        var admin = await app.ClientFor("admin").GetAsync($"/api/v1/teams/{world.S.TeamId}/objectives").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(admin["items"]!.AsArray());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BehindObjective_NotifiesTheTeamLeadOncePerMonth(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        for (var i = 0; i < 3; i++)
        {
            var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 40 + i)).Id();
            // The registering coach is its coach at once; one household is handed over (an assignment that ended).
            if (i == 0) await lead.AssignCoachAsync(household, s.SecondCoachId);
        }
        var today = LocalDate(app.Clock.GetUtcNow());
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var period = new { from = thisMonth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to = thisMonth.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        // Lower is better: at most 1 household per coach is behind with 3 households over 2 coaches; 1000 is on track.
        var behind = await lead.PostJson($"/api/v1/teams/{s.TeamId}/objectives",
            new { metric = "households-per-coach", target = 1, period.from, period.to }).ExpectAsync(HttpStatusCode.Created);
        await lead.PostJson($"/api/v1/teams/{s.TeamId}/objectives",
            new { metric = "households-per-coach", target = 1000, period.from, period.to }).ExpectAsync(HttpStatusCode.Created);
        // The current month is not complete: no progress yet, and nothing to report.
        Assert.Empty(behind["progress"]!.AsArray());
        Assert.Equal(0, await RunAsync(app));

        // Into the next month: the month the objectives started in is now the latest complete one.
        var next = StartOf(thisMonth.AddMonths(1).AddDays(1)).AddHours(7);
        app.Clock.Advance(next - app.Clock.GetUtcNow());
        Assert.Equal(1, await RunAsync(app));
        Assert.Equal(0, await RunAsync(app));
        app.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await RunAsync(app));

        var type = ObjectiveNotificationTypes.Behind;
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @id AND type = @type",
            new { id = s.TeamLeadId, type }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE recipient_id <> @id AND type = @type",
            new { id = s.TeamLeadId, type }));

        // The progress shows the same month, with the value counted here from the assignment rows.
        var monthEnd = StartOf(thisMonth.AddMonths(1));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var assignments = (await db.QueryAsync<AssignmentRow>("SELECT coach_id, from_at, to_at FROM coach_assignments")).ToList();
        var teamCoaches = new[] { s.CoachId, s.SecondCoachId };
        var open = assignments.Count(a => teamCoaches.Contains(a.CoachId) && a.FromAt < monthEnd && (a.ToAt is null || a.ToAt >= monthEnd));
        Assert.Equal(3, open);
        var list = await lead.GetAsync($"/api/v1/teams/{s.TeamId}/objectives").ExpectAsync(HttpStatusCode.OK);
        var progress = list["items"]!.AsArray().Single(o => o!.Id() == behind.Id())!["progress"]!.AsArray().Single()!;
        Assert.Equal(thisMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture), progress["month"]!.GetValue<string>());
        Assert.Equal(Math.Round(open / 2.0, 2), progress["value"]!.GetValue<double>(), 2);
        Assert.False(progress["onTrack"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidObjectives_Answer400_AndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var lead = app.ClientFor(s.TeamLead);
        var path = $"/api/v1/teams/{s.TeamId}/objectives";
        (object Body, string Field)[] bad =
        [
            (new { metric = "happiness", target = 1, from = "2026-01-01", to = "2026-06-30" }, "metric"),
            (new { target = 1, from = "2026-01-01", to = "2026-06-30" }, "metric"),
            (new { metric = "households-per-coach", target = -1, from = "2026-01-01", to = "2026-06-30" }, "target"),
            (new { metric = "requests-answered-on-time-share", target = 1.5, from = "2026-01-01", to = "2026-06-30" }, "target"),
            (new { metric = "households-per-coach", from = "2026-01-01", to = "2026-06-30" }, "target"),
            (new { metric = "households-per-coach", target = 10, from = "2026-07-01", to = "2026-06-30" }, "to"),
            (new { metric = "households-per-coach", target = 10, from = "2026-01-01" }, "to"),
            (new { metric = "households-per-coach", target = 10, from = "2010-01-01", to = "2026-06-30" }, "to"),
        ];
        foreach (var (body, field) in bad)
        {
            var problem = await lead.PostJson(path, body).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]![field]);
        }
        // Well-formed, but for another team: 404 for its lead, and nothing is stored either way.
        await app.ClientFor(s.OtherTeamLead).PostJson(path,
            new { metric = "households-per-coach", target = 10, from = "2026-01-01", to = "2026-06-30" }).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM team_objectives"));
        var list = await lead.GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    private static async Task<int> RunAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ObjectiveBehindAlerts>().RunAsync(CancellationToken.None);
    }

    private static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Amsterdam).DateTime);

    private static DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }
}
