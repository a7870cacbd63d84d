using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Reports;

[Collection(IntegrationGroup.Name)]
public sealed class ProvidersPerHouseholdTests(ProviderApps apps)
{
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
        public Guid? ProfessionalId { get; init; }
        public string? ProfessionalName { get; init; }
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string Provider => OrganisationId?.ToString() ?? "ext:" + ProviderKey;
    }

    internal sealed record Expected(Guid Id, int AtIntake, int Now, int InPeriod, int Professionals);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Report_MatchesAnIndependentComputationOverTheRawRows(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var world = await ReportWorld.CreateAsync(app);
        foreach (var (from, to) in new[] { (new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31)), (new DateOnly(2022, 6, 1), new DateOnly(2025, 6, 30)) })
        {
            var expected = await ExpectedAsync(app, world.S.TeamId, from, to);
            var report = await app.ClientFor(world.S.TeamLead)
                .GetAsync($"/api/v1/reports/providers-per-household?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&pageSize=200")
                .ExpectAsync(HttpStatusCode.OK);

            Assert.True(expected.Count >= 3, $"the generated data should put several households in {from}..{to}");
            AssertReport(expected, report, $"{from}..{to}");
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Report_IsTheTeamLeadsOwn_AndComesAsCsvOnRequest(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var world = await ReportWorld.CreateAsync(app, households: 5);
        var lead = app.ClientFor(world.S.TeamLead);
        const string path = "/api/v1/reports/providers-per-household";

        await lead.GetAsync($"{path}?teamId={world.S.OtherTeamId}").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(world.S.Coach).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(world.S.BackOffice).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync($"{path}?from=2025-01-01&to=2024-01-01").ExpectAsync(HttpStatusCode.BadRequest);
        await lead.GetAsync($"{path}?sort=name").ExpectAsync(HttpStatusCode.BadRequest);

        // Dutch Excel's reading (DutchCsv, independent of the writer): ';', BOM, Dutch headers, a row per household.
        var csv = await DutchCsv.GetAsync(lead, $"{path}?from=2022-01-01&to=2025-12-31");
        Assert.Equal(["Huishouden-id", "Gezin", "Adres", "Wijk", "Coach", "Status", "Geregistreerd op", "Aanbieders bij intake",
            "Aanbieders nu", "Verandering", "Aanbieders in periode", "Professionals in periode", "Boven drempel"], csv.Headers);
        var json = await lead.GetAsync($"{path}?from=2022-01-01&to=2025-12-31&pageSize=100").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(json["households"]!["total"]!.GetValue<int>(), csv.Rows.Count);
        foreach (var item in json["households"]!["items"]!.AsArray())
        {
            var row = csv.Rows.Single(r => Guid.Parse(r["Huishouden-id"]) == item!.Id("householdId"));
            Assert.Equal(item!["providersNow"]!.GetValue<int>(), DutchCsv.Number(row["Aanbieders nu"]));
            Assert.Equal(item["change"]!.GetValue<int>(), DutchCsv.Number(row["Verandering"]));
            Assert.Equal(item["aboveThreshold"]!.GetValue<bool>() ? "ja" : "nee", row["Boven drempel"]);
            Assert.Equal("Heechterp-Schieringen", row["Wijk"]);
        }
        // The distribution chart has its own CSV; an unknown table is a 400 problem, not another table.
        var distribution = await DutchCsv.GetAsync(lead, $"{path}?from=2022-01-01&to=2025-12-31&report=distribution");
        Assert.Equal(["Aanbieders", "Huishoudens"], distribution.Headers);
        Assert.Equal(11, distribution.Rows.Count);
        Assert.Equal("10+", distribution.Rows[^1]["Aanbieders"]);
        Assert.Equal(csv.Rows.Count, distribution.Rows.Sum(r => DutchCsv.Number(r["Huishoudens"])));
        var unknown = await lead.GetAsync($"{path}?report=providers").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(unknown["errors"]!["report"]);
    }

    /// <summary>The report's JSON against the expected figures: every row, the order, the distribution and the totals.</summary>
    internal static void AssertReport(List<Expected> expected, JsonNode report, string label)
    {
        var items = report["households"]!["items"]!.AsArray();
        Assert.True(expected.Count == report["households"]!["total"]!.GetValue<int>(), $"{label}: total");
        Assert.True(expected.Count == items.Count, $"{label}: rows");
        foreach (var e in expected)
        {
            var row = items.Single(i => i!["householdId"]!.GetValue<string>() == e.Id.ToString());
            var actual = new Expected(e.Id, row!["providersAtIntake"]!.GetValue<int>(), row["providersNow"]!.GetValue<int>(),
                row["providersInPeriod"]!.GetValue<int>(), row["professionalsInPeriod"]!.GetValue<int>());
            Assert.True(e == actual, $"{label}: expected {e}, the report says {actual}");
            Assert.Equal(e.Now - e.AtIntake, row["change"]!.GetValue<int>());
            Assert.Equal(e.Now >= 5, row["aboveThreshold"]!.GetValue<bool>());
        }
        // Sorted by providers now, most first.
        var nows = items.Select(i => i!["providersNow"]!.GetValue<int>()).ToList();
        Assert.Equal(nows.OrderByDescending(n => n).ToList(), nows);

        var distribution = report["distribution"]!.AsArray();
        for (var n = 0; n <= 10; n++)
        {
            var count = expected.Count(e => n == 10 ? e.InPeriod >= 10 : e.InPeriod == n);
            Assert.True(count == distribution[n]!["households"]!.GetValue<int>(), $"{label}: households with {n} providers");
        }
        var totals = report["totals"]!;
        Assert.Equal(expected.Count, totals["households"]!.GetValue<int>());
        Assert.Equal(expected.Count(e => e.Now >= 5), totals["aboveThreshold"]!.GetValue<int>());
        if (expected.Count > 0)
        {
            Assert.Equal(Math.Round(expected.Average(e => e.AtIntake), 2), totals["averageProvidersAtIntake"]!.GetValue<double>(), 2);
            Assert.Equal(Math.Round(expected.Average(e => e.Now), 2), totals["averageProvidersNow"]!.GetValue<double>(), 2);
            Assert.Equal(Math.Round(expected.Average(e => e.InPeriod), 2), totals["averageProvidersInPeriod"]!.GetValue<double>(), 2);
            Assert.Equal(Math.Round(expected.Average(e => e.Now - e.AtIntake), 2), totals["averageChange"]!.GetValue<double>(), 2);
        }
    }

    /// <summary>The report's definition, written again in C# over the raw rows.</summary>
    internal static async Task<List<Expected>> ExpectedAsync(TestApp app, Guid teamId, DateOnly from, DateOnly to)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var households = (await db.QueryAsync<HouseholdRow>("SELECT id, team_id, created_at, closed_at FROM households")).ToList();
        var involvements = (await db.QueryAsync<InvolvementRow>(
            "SELECT household_id, organisation_id, provider_key, professional_id, professional_name, since, ended_at FROM involvements")).ToList();
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));
        return households
            .Where(h => h.TeamId == teamId && h.CreatedAt < end && (h.ClosedAt is null || h.ClosedAt >= start))
            .Select(h =>
            {
                var mine = involvements.Where(i => i.HouseholdId == h.Id).ToList();
                var atIntake = mine.Where(i => i.Since <= h.CreatedAt && (i.EndedAt is null || i.EndedAt > h.CreatedAt));
                var now = mine.Where(i => i.Since < end && (i.EndedAt is null || i.EndedAt >= end));
                var inPeriod = mine.Where(i => i.Since < end && (i.EndedAt is null || i.EndedAt > start)).ToList();
                var professionals = inPeriod.Where(i => i.ProfessionalId is not null).Select(i => i.ProfessionalId!.Value.ToString())
                    .Distinct().Count()
                    + inPeriod.Where(i => i.ProfessionalName is not null).Select(i => i.ProfessionalName!).Distinct().Count();
                return new Expected(h.Id, atIntake.Select(i => i.Provider).Distinct().Count(), now.Select(i => i.Provider).Distinct().Count(),
                    inPeriod.Select(i => i.Provider).Distinct().Count(), professionals);
            })
            .ToList();
    }

    private static DateTimeOffset StartOf(DateOnly date)
    {
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }
}
