using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Reports;

[Collection(IntegrationGroup.Name)]
public sealed class NeighbourhoodReportTests(ProviderApps apps)
{
    private const string Path = "/api/v1/reports/neighbourhoods";

    private sealed record HouseholdRow
    {
        public Guid Id { get; init; }
        public Guid TeamId { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string PostalCode { get; init; } = "";
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

    private sealed record SignalRow
    {
        public Guid? HouseholdId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    /// <summary>The expected figures of an area, computed in C# over the raw rows (not from the report's SQL).</summary>
    private sealed record Expected(int InCare, double AtIntake, double Now, double InPeriod, int Above, int Signals,
        int Closed, int Improved, int Unchanged, int Worsened, int NotAssessed);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Report_PerNeighbourhoodAndPc4_EqualsAnIndependentComputation_InJsonAndCsv(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var world = await ReportWorld.CreateAsync(app, households: 14);
        var s = world.S;
        var random = new Random(1411);
        // A second PC4 in the same neighbourhood (8924), and for the closed households an intake and a closure ZRM
        // whose difference we choose here: that is the outcome the report must find (or none: not assessed).
        var changes = new Dictionary<Guid, int?>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            await db.BeginAsync(CancellationToken.None);
            for (var i = 0; i < world.Households.Count; i++)
            {
                if (i % 3 == 0)
                {
                    await db.ExecuteAsync("UPDATE households SET postal_code = '8924CD' WHERE id = @id", new { id = world.Households[i] });
                }
            }
            var closed = (await db.QueryAsync<HouseholdRow>(
                "SELECT id, team_id, neighbourhood_id, postal_code, created_at, closed_at FROM households WHERE closed_at IS NOT NULL")).ToList();
            foreach (var h in closed)
            {
                var member = (await db.QueryAsync<Guid>(
                    "SELECT id FROM household_members WHERE household_id = @id AND role = 'head'", new { id = h.Id })).First();
                var pick = random.Next(4);
                if (pick == 3)
                {
                    changes[h.Id] = null;
                    continue;
                }
                var latest = 3 + (pick - 1); // 2, 3 or 4 against an intake of 3
                changes[h.Id] = latest - 3;
                foreach (var (phase, on, score) in new[] { ("intake", h.CreatedAt, 3), ("closure", h.ClosedAt!.Value.AddDays(-1), latest) })
                {
                    var id = Guid.NewGuid();
                    await db.ExecuteAsync("""
                        INSERT INTO assessments (id, household_id, member_id, phase, assessed_on, assessor_id, instrument_version, created_at)
                        VALUES (@id, @householdId, @member, @phase, @assessedOn, @assessor, 'zrm-2017', @createdAt)
                        """, new { id, householdId = h.Id, member, phase, assessedOn = DateOnly.FromDateTime(on.UtcDateTime), assessor = s.CoachId, createdAt = on });
                    await db.ExecuteAsync("INSERT INTO assessment_scores (assessment_id, domain, score) VALUES (@id, 'financien', @score)",
                        new { id, score });
                }
            }
            await db.CommitAsync(CancellationToken.None);
        }
        Assert.Contains(changes.Values, c => c is not null);
        // Signals through the API at the addresses of open households (matched to them), in the period.
        var open = (await RowsAsync(app)).Where(h => h.ClosedAt is null && h.TeamId == s.TeamId).Take(4).ToList();
        foreach (var h in open)
        {
            var number = 100 + world.Households.ToList().IndexOf(h.Id);
            await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address(h.PostalCode, number)))
                .ExpectAsync(HttpStatusCode.Created);
        }

        var from = new DateOnly(2022, 6, 1);
        // Up to the app's today: the signals above were sent "now", and the shared test clock only moves forward (other
        // tests move it by days or months), so a fixed end date would leave them out once it has passed.
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        var to = today > new DateOnly(2026, 3, 31) ? today : new DateOnly(2026, 3, 31);
        var households = await RowsAsync(app);
        var expected = await ExpectedAsync(app, households, changes, from, to);

        var lead = app.ClientFor(s.TeamLead);
        var report = await lead.GetAsync($"{Path}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}").ExpectAsync(HttpStatusCode.OK);
        var own = households.Where(h => h.TeamId == s.TeamId).ToList();
        var ownTotals = expected(own);
        Assert.True(ownTotals.InCare >= 5 && ownTotals.Signals >= 1, $"the world should fill the period: {ownTotals}");
        AssertFigures(ownTotals, report["totals"]!);
        var neighbourhood = report["neighbourhoods"]!.AsArray().Single()!;
        Assert.Equal(s.NeighbourhoodId, neighbourhood.Id("neighbourhoodId"));
        AssertFigures(ownTotals, neighbourhood["figures"]!);
        var areas = report["postalAreas"]!.AsArray();
        Assert.Equal(new[] { "8924", "8925" }, areas.Select(a => a!["pc4"]!.GetValue<string>()));
        foreach (var area in areas)
        {
            var pc4 = area!["pc4"]!.GetValue<string>();
            AssertFigures(expected(own.Where(h => h.PostalCode.StartsWith(pc4, StringComparison.Ordinal)).ToList()), area["figures"]!);
        }
        // Nothing of the other team in the team lead's report.
        Assert.DoesNotContain("7544", report.ToJsonString(), StringComparison.Ordinal);

        // The CSV (read as Dutch Excel does): one row per neighbourhood / PC4 and a total row, same figures.
        var csv = await DutchCsv.GetAsync(lead, $"{Path}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        Assert.Equal("Wijk", csv.Headers[0]);
        AssertCsv(ownTotals, csv.Rows.Single(r => r["Wijk"] == "Heechterp-Schieringen"));
        AssertCsv(ownTotals, csv.Rows.Single(r => r["Wijk"] == "Totaal"));
        var pc4Csv = await DutchCsv.GetAsync(lead, $"{Path}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&report=postalAreas");
        Assert.Equal(3, pc4Csv.Rows.Count);
        foreach (var pc4 in new[] { "8924", "8925" })
        {
            AssertCsv(expected(own.Where(h => h.PostalCode.StartsWith(pc4, StringComparison.Ordinal)).ToList()),
                pc4Csv.Rows.Single(r => r["PC4"] == pc4));
        }

        // The functional administrator: the whole municipality, both neighbourhoods.
        var all = await app.ClientFor("admin").GetAsync($"{Path}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}").ExpectAsync(HttpStatusCode.OK);
        AssertFigures(expected(households), all["totals"]!);
        var other = all["neighbourhoods"]!.AsArray().Single(n => n!.Id("neighbourhoodId") == s.OtherNeighbourhoodId)!;
        AssertFigures(expected(households.Where(h => h.NeighbourhoodId == s.OtherNeighbourhoodId).ToList()), other["figures"]!);
        Assert.Equal(1, other["figures"]!["householdsInCare"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Report_CountsVisitsAndConcernsPerNeighbourhoodAndPc4_InThePeriod_InJsonAndCsv(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        var from = today.AddDays(-20);
        var to = today.AddDays(5);
        // Which neighbourhood a PC4 is in, as the scenario set them up (9999: no neighbourhood, no team).
        var neighbourhoodOf = new Dictionary<string, Guid?>
        {
            ["8924"] = s.NeighbourhoodId, ["8925"] = s.NeighbourhoodId, ["7544"] = s.OtherNeighbourhoodId, ["9999"] = null,
        };
        var planned = new List<(Guid Team, string Pc4, DateOnly On, string? Result)>();
        async Task Plan(string user, string postalCode, int number, string city, int days, string? result)
        {
            var client = app.ClientFor(user);
            var visit = await client.PostJson("/api/v1/visits", new
            {
                address = Address(postalCode: postalCode, houseNumber: number, city: city), plannedOn = today.AddDays(days),
                reason = "Zorgen van de buren",
            }).ExpectAsync(HttpStatusCode.Created);
            if (result is not null)
            {
                await client.PostJson($"/api/v1/visits/{visit.Id()}/outcome", new { result }).ExpectAsync(HttpStatusCode.OK);
            }
            planned.Add((visit.Id("teamId"), postalCode[..4], today.AddDays(days), result));
        }
        await Plan(s.Coach, "8925 AB", 30, "Leeuwarden", -5, "concern");
        await Plan(s.Coach, "8925 AB", 31, "Leeuwarden", 0, "talked");
        await Plan(s.SecondCoach, "8924 CD", 2, "Leeuwarden", -2, "concern");
        await Plan(s.Coach, "8924 CD", 3, "Leeuwarden", 3, null);
        await Plan(s.Coach, "8925 AB", 32, "Leeuwarden", -40, "concern"); // before the period
        await Plan(s.Coach, "9999 ZZ", 1, "Nergenshuizen", -1, "no-answer"); // no team covers it: the planner's team
        await Plan(s.OtherCoach, "7544 AA", 5, "Enschede", 0, "concern");
        Assert.Equal(s.TeamId, planned[5].Team);
        Assert.Equal(s.OtherTeamId, planned[6].Team);

        (int Visits, int Concerns) Count(Func<(Guid Team, string Pc4, DateOnly On, string? Result), bool> which)
        {
            var inPeriod = planned.Where(v => v.On >= from && v.On <= to).Where(which).ToList();
            return (inPeriod.Count, inPeriod.Count(v => v.Result == "concern"));
        }
        void AssertVisits((int Visits, int Concerns) e, JsonNode figures)
        {
            Assert.Equal(e.Visits, figures["visits"]!.GetValue<int>());
            Assert.Equal(e.Concerns, figures["concerns"]!.GetValue<int>());
        }

        var query = $"{Path}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        var lead = app.ClientFor(s.TeamLead);
        var report = await lead.GetAsync(query).ExpectAsync(HttpStatusCode.OK);
        var ownTotals = Count(v => v.Team == s.TeamId);
        Assert.Equal((5, 2), ownTotals);
        AssertVisits(ownTotals, report["totals"]!);
        var neighbourhood = report["neighbourhoods"]!.AsArray().Single()!;
        AssertVisits(Count(v => v.Team == s.TeamId && neighbourhoodOf[v.Pc4] == s.NeighbourhoodId), neighbourhood["figures"]!);
        var areas = report["postalAreas"]!.AsArray();
        Assert.Equal(new[] { "8924", "8925", "9999" }, areas.Select(a => a!["pc4"]!.GetValue<string>()));
        foreach (var area in areas)
        {
            var pc4 = area!["pc4"]!.GetValue<string>();
            AssertVisits(Count(v => v.Team == s.TeamId && v.Pc4 == pc4), area["figures"]!);
        }

        var csv = await DutchCsv.GetAsync(lead, query);
        foreach (var (row, e) in new[]
        {
            (csv.Rows.Single(r => r["Wijk"] == "Heechterp-Schieringen"), Count(v => v.Team == s.TeamId && neighbourhoodOf[v.Pc4] == s.NeighbourhoodId)),
            (csv.Rows.Single(r => r["Wijk"] == "Totaal"), ownTotals),
        })
        {
            Assert.Equal(e.Visits, DutchCsv.Number(row["Bezoeken"]));
            Assert.Equal(e.Concerns, DutchCsv.Number(row["Zorgen na bezoek"]));
        }

        // The administrator: every team's visits, the other neighbourhood's too.
        var all = await app.ClientFor("admin").GetAsync(query).ExpectAsync(HttpStatusCode.OK);
        AssertVisits(Count(_ => true), all["totals"]!);
        foreach (var n in all["neighbourhoods"]!.AsArray())
        {
            var node = n!;
            var id = node.Id("neighbourhoodId");
            AssertVisits(Count(v => neighbourhoodOf[v.Pc4] == id), node["figures"]!);
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Report_RefusesOtherRolesAndBadInput(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        await app.ClientFor(s.Coach).GetAsync(Path).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.BackOffice).GetAsync(Path).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(null).GetAsync(Path).ExpectAsync(HttpStatusCode.Unauthorized);
        var lead = app.ClientFor(s.TeamLead);
        await lead.GetAsync($"{Path}?from=2025-01-01&to=2024-01-01").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull((await lead.GetAsync($"{Path}?report=kaart").ExpectAsync(HttpStatusCode.BadRequest))["errors"]!["report"]);
    }

    private static void AssertFigures(Expected e, JsonNode f)
    {
        Assert.Equal(e.InCare, f["householdsInCare"]!.GetValue<int>());
        Assert.Equal(e.AtIntake, f["averageProvidersAtIntake"]!.GetValue<double>(), 2);
        Assert.Equal(e.Now, f["averageProvidersNow"]!.GetValue<double>(), 2);
        Assert.Equal(e.InPeriod, f["averageProvidersInPeriod"]!.GetValue<double>(), 2);
        Assert.Equal(e.Above, f["aboveThreshold"]!.GetValue<int>());
        Assert.Equal(e.Signals, f["signals"]!.GetValue<int>());
        Assert.Equal(e.Closed, f["closed"]!.GetValue<int>());
        Assert.Equal(e.Improved, f["improved"]!.GetValue<int>());
        Assert.Equal(e.Unchanged, f["unchanged"]!.GetValue<int>());
        Assert.Equal(e.Worsened, f["worsened"]!.GetValue<int>());
        Assert.Equal(e.NotAssessed, f["notAssessed"]!.GetValue<int>());
    }

    private static void AssertCsv(Expected e, IReadOnlyDictionary<string, string> row)
    {
        Assert.Equal(e.InCare, DutchCsv.Number(row["Huishoudens in zorg"]));
        Assert.Equal(e.Now, DutchCsv.Number(row["Gemiddeld aanbieders nu"]), 2);
        Assert.Equal(e.InPeriod, DutchCsv.Number(row["Gemiddeld aanbieders in periode"]), 2);
        Assert.Equal(e.Signals, DutchCsv.Number(row["Signalen"]));
        Assert.Equal(e.Closed, DutchCsv.Number(row["Afgesloten"]));
        Assert.Equal(e.Improved, DutchCsv.Number(row["Verbeterd"]));
        Assert.Equal(e.Worsened, DutchCsv.Number(row["Verslechterd"]));
        Assert.Equal(e.NotAssessed, DutchCsv.Number(row["Niet gemeten"]));
    }

    private static async Task<List<HouseholdRow>> RowsAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        return (await db.QueryAsync<HouseholdRow>(
            "SELECT id, team_id, neighbourhood_id, postal_code, created_at, closed_at FROM households")).ToList();
    }

    /// <summary>The SPEC's definitions, written again in C#: a function from a set of households to its figures.</summary>
    private static async Task<Func<List<HouseholdRow>, Expected>> ExpectedAsync(TestApp app, List<HouseholdRow> households,
        Dictionary<Guid, int?> changes, DateOnly from, DateOnly to)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var involvements = (await db.QueryAsync<InvolvementRow>(
            "SELECT household_id, organisation_id, provider_key, since, ended_at FROM involvements")).ToList();
        var signals = (await db.QueryAsync<SignalRow>("SELECT household_id, created_at FROM signals")).ToList();
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));
        return set =>
        {
            var inCare = set.Where(h => h.CreatedAt < end && (h.ClosedAt is null || h.ClosedAt >= start)).ToList();
            var providers = inCare.Select(h =>
            {
                var mine = involvements.Where(i => i.HouseholdId == h.Id).ToList();
                int Count(Func<InvolvementRow, bool> active) => mine.Where(active).Select(i => i.Provider).Distinct().Count();
                return (AtIntake: Count(i => i.Since <= h.CreatedAt && (i.EndedAt is null || i.EndedAt > h.CreatedAt)),
                    Now: Count(i => i.Since < end && (i.EndedAt is null || i.EndedAt >= end)),
                    InPeriod: Count(i => i.Since < end && (i.EndedAt is null || i.EndedAt > start)));
            }).ToList();
            double Average(Func<(int AtIntake, int Now, int InPeriod), int> value) =>
                providers.Count == 0 ? 0 : Math.Round(providers.Average(p => (double)value(p)), 2);
            var ids = set.Select(h => h.Id).ToHashSet();
            var closed = set.Where(h => h.ClosedAt >= start && h.ClosedAt < end).Select(h => changes.GetValueOrDefault(h.Id)).ToList();
            return new Expected(inCare.Count, Average(p => p.AtIntake), Average(p => p.Now), Average(p => p.InPeriod),
                providers.Count(p => p.Now >= 5),
                signals.Count(x => x.HouseholdId is { } id && ids.Contains(id) && x.CreatedAt >= start && x.CreatedAt < end),
                closed.Count, closed.Count(c => c > 0), closed.Count(c => c == 0), closed.Count(c => c < 0), closed.Count(c => c is null));
        };
    }

    private static DateTimeOffset StartOf(DateOnly date)
    {
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }
}
