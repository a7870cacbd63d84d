using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Demo;
using Frontlijn.Web.Features.Objectives;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Objectives;

/// <summary>
/// The demo data of issue 14 (DemoSeeder.Objectives.cs): on first start the team lead's objectives have monthly
/// figures, one objective on track and one behind, the behind one reached the bell, and the cost report is not empty.
/// The figures are checked against the seeded rows, counted here without the application's SQL.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DemoObjectivesAndCostsTests(ProviderApps apps)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private sealed record RequestRow
    {
        public Guid HouseholdId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset SentAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public long? TariffCents { get; init; }
        public string? TariffPer { get; init; }
    }

    private sealed record HouseholdRow
    {
        public Guid Id { get; init; }
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

    private static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheDemo_HasAnObjectiveOnTrack_OneBehindInTheBell_AndANonEmptyCostReport(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await app.Services.GetRequiredService<DemoSeeder>().SeedDemoDataAsync(CancellationToken.None);
        var teamId = await app.ScalarAsync<Guid>("SELECT team_id FROM users WHERE username = 'teamlead.sanne'");
        var sanneId = await app.ScalarAsync<Guid>("SELECT id FROM users WHERE username = 'teamlead.sanne'");
        var lead = app.ClientFor("teamlead.sanne");

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var households = (await db.QueryAsync<HouseholdRow>("SELECT id, created_at, closed_at FROM households WHERE team_id = @teamId",
            new { teamId })).ToList();
        var ofTeam = households.Select(h => h.Id).ToHashSet();
        var requests = (await db.QueryAsync<RequestRow>(
            "SELECT household_id, status, sent_at, due_at, closed_at, tariff_cents, tariff_per FROM requests")).Where(r => ofTeam.Contains(r.HouseholdId)).ToList();
        var involvements = (await db.QueryAsync<InvolvementRow>(
            "SELECT household_id, organisation_id, provider_key, since, ended_at FROM involvements")).Where(i => ofTeam.Contains(i.HouseholdId)).ToList();

        var objectives = (await lead.GetAsync($"/api/v1/teams/{teamId}/objectives").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(2, objectives.Count);
        var onTime = objectives.Single(o => o!["metric"]!.GetValue<string>() == ObjectiveMetrics.RequestsAnsweredOnTimeShare)!;
        var providers = objectives.Single(o => o!["metric"]!.GetValue<string>() == ObjectiveMetrics.AverageProvidersPerHousehold)!;
        foreach (var objective in new[] { onTime, providers })
        {
            var progress = objective["progress"]!.AsArray();
            Assert.True(progress.Count >= 6, "six complete months of history");
            var target = objective["target"]!.GetValue<double>();
            foreach (var month in progress)
            {
                var first = DateOnly.ParseExact(month!["month"]!.GetValue<string>() + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                var (start, end) = (StartOf(first), StartOf(first.AddMonths(1)));
                double? expected;
                if (objective == onTime)
                {
                    // Requests sent that month: answered on time / (answered, or past their due date).
                    var sent = requests.Where(r => r.SentAt >= start && r.SentAt < end).ToList();
                    var due = sent.Count(r => r.Status == "answered" || (r.ClosedAt is { } c && c > r.DueAt) || (r.ClosedAt is null && r.DueAt < app.Clock.GetUtcNow()));
                    expected = due == 0 ? null : Math.Round((double)sent.Count(r => r.Status == "answered" && r.ClosedAt <= r.DueAt) / due, 3);
                }
                else
                {
                    var counts = households.Where(h => h.CreatedAt < end && (h.ClosedAt is null || h.ClosedAt >= start))
                        .Select(h => involvements.Where(i => i.HouseholdId == h.Id && i.Since < end && (i.EndedAt is null || i.EndedAt > start))
                            .Select(i => i.Provider).Distinct().Count()).ToList();
                    expected = counts.Count == 0 ? null : Math.Round(counts.Average(), 2);
                }
                Assert.NotNull(expected);
                Assert.Equal(expected.Value, month["value"]!.GetValue<double>(), 3);
                Assert.Equal(onTime == objective ? expected >= target : expected <= target, month["onTrack"]!.GetValue<bool>());
            }
        }
        // The latest complete month decides: providers on track, answering on time behind.
        Assert.True(providers["progress"]!.AsArray()[^1]!["onTrack"]!.GetValue<bool>());
        Assert.False(onTime["progress"]!.AsArray()[^1]!["onTrack"]!.GetValue<bool>());
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @sanneId AND type = @type",
            new { sanneId, type = ObjectiveNotificationTypes.Behind }));

        // Tariffs on the demo services, and a cost report with money in it.
        Assert.Equal(5, await app.ScalarAsync<int>("SELECT COUNT(*) FROM organisation_services WHERE tariff_cents IS NOT NULL"));
        var report = await lead.GetAsync("/api/v1/reports/costs").ExpectAsync(HttpStatusCode.OK);
        var from = DateOnly.Parse(report["from"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var to = DateOnly.Parse(report["to"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var total = report["total"]!.GetValue<decimal>();
        Assert.True(total > 0);
        // Per answered request: the tariff each request carried, answered in the period.
        var perRequest = requests.Where(r => r is { Status: "answered", TariffPer: "request" } && r.ClosedAt >= StartOf(from) && r.ClosedAt < StartOf(to.AddDays(1)))
            .Sum(r => r.TariffCents!.Value) / 100m;
        Assert.True(perRequest > 0);
        var householdRows = report["households"]!.AsArray();
        Assert.Equal(perRequest, householdRows.Sum(h => h!["requestCosts"]!.GetValue<decimal>()));
        Assert.True(householdRows.Sum(h => h!["monthlyCosts"]!.GetValue<decimal>()) > 0, "budgetbeheer has a monthly tariff");
        Assert.Equal(total, householdRows.Sum(h => h!["total"]!.GetValue<decimal>()));
        Assert.Equal(total, report["organisations"]!.AsArray().Sum(o => o!["total"]!.GetValue<decimal>()));
        Assert.Equal(total, report["neighbourhoods"]!.AsArray().Sum(n => n!["total"]!.GetValue<decimal>()));
    }
}
