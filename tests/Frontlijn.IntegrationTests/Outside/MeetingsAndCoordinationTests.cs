using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Outside;

/// <summary>
/// Meetings per household in the API, and the coordination-burden report (JSON and CSV) checked against a computation
/// of the test's own from the meetings, requests and ZRM scores it recorded.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class MeetingsAndCoordinationTests(ProviderApps apps)
{
    private sealed record Planned(string Date, string Kind, int Minutes, int Participants, bool HouseholdPresent);

    private static object[] Participants(Scenario s, int count) =>
        Enumerable.Range(0, count).Select(i => (i % 3) switch
        {
            0 => (object)new { organisationId = s.OrganisationId },
            1 => new { userId = s.CoachId },
            _ => new { name = $"Huisarts {i}" },
        }).ToArray();

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Meetings_AreRecordedAndListed_AndTheCoordinationReport_AddsThemUp(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        var busy = await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1, familyName: "Druk");
        var calm = await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2, familyName: "Rustig");
        var idle = await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3, familyName: "Stil");
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var plans = new Dictionary<Guid, Planned[]>
        {
            [busy.Id()] =
            [
                new(Day(-20), "round-table", 90, 6, true), new(Day(-14), "case-consultation", 60, 5, false),
                new(Day(-7), "case-consultation", 45, 4, false), new(Day(-1), "home-visit", 30, 2, true),
                new(Day(-400), "round-table", 120, 8, false), // before the period: not counted
            ],
            [calm.Id()] = [new(Day(-10), "home-visit", 60, 1, true)],
        };
        foreach (var (householdId, meetings) in plans)
        {
            foreach (var m in meetings)
            {
                var created = await coach.PostJson($"/api/v1/households/{householdId}/meetings", new
                {
                    date = m.Date, kind = m.Kind, durationMinutes = m.Minutes, participants = Participants(s, m.Participants),
                    householdPresent = m.HouseholdPresent,
                }).ExpectAsync(HttpStatusCode.Created);
                Assert.Equal(Math.Round(m.Minutes * m.Participants / 60.0, 2), created["professionalHours"]!.GetValue<double>());
            }
        }
        // The team lead records one too; a colleague who is not the household's coach may not (403), another team not at all (404).
        await lead.PostJson($"/api/v1/households/{calm.Id()}/meetings", new
        {
            date = Day(-3), kind = "other", durationMinutes = 15, participants = Participants(s, 3), householdPresent = false,
        }).ExpectAsync(HttpStatusCode.Created);
        plans[calm.Id()] = [.. plans[calm.Id()], new(Day(-3), "other", 15, 3, false)];
        await app.ClientFor(s.SecondCoach).PostJson($"/api/v1/households/{calm.Id()}/meetings", new
        {
            date = Day(-3), kind = "other", durationMinutes = 15, participants = Participants(s, 1), householdPresent = false,
        }).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.OtherCoach).GetAsync($"/api/v1/households/{calm.Id()}/meetings").ExpectAsync(HttpStatusCode.NotFound);

        // Bad input: every problem listed, nothing written.
        var bad = await coach.PostJson($"/api/v1/households/{calm.Id()}/meetings", new
        {
            date = Day(0), kind = "koffie", durationMinutes = 0, participants = new object[] { new { } }, householdPresent = (bool?)null,
        }).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = bad["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("kind", errors);
        Assert.Contains("durationMinutes", errors);
        Assert.Contains("householdPresent", errors);
        Assert.Contains(errors, e => e.StartsWith("participants", StringComparison.Ordinal));
        await coach.PostJson($"/api/v1/households/{calm.Id()}/meetings", new
        {
            date = Day(0), kind = "other", durationMinutes = 10, participants = new object[] { new { organisationId = Guid.NewGuid() } },
            householdPresent = true,
        }).ExpectAsync(HttpStatusCode.BadRequest);

        var listed = await coach.GetAsync($"/api/v1/households/{busy.Id()}/meetings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5, listed.AsArray().Count);
        Assert.Equal(Day(-1), listed[0]!["date"]!.GetValue<string>()); // newest first
        Assert.Equal(2, listed[0]!["participants"]!.AsArray().Count);

        // Intakes: requests of "busy" to two organisations (one of them twice), of "calm" to none.
        foreach (var (org, service) in new[] { (s.OrganisationId, "schuldhulp-intake"), (s.OrganisationId, "schuldhulp-intake"), (s.OtherOrganisationId, "huurachterstand") })
        {
            await coach.PostJson("/api/v1/requests", new
            {
                householdId = busy.Id(), organisationId = org, serviceCode = service, question = "Graag een intake", urgency = "normal",
                legalBasis = "zwaarwegend-belang",
            }).ExpectAsync(HttpStatusCode.Created);
        }

        // ZRM: "busy" stays put (3 → 3), "calm" improves (2,2 → 4,5), "idle" has one measurement only.
        async Task Zrm(JsonNode household, string phase, int offset, int financien, int huisvesting)
        {
            var member = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "head")!.Id();
            await coach.PostJson($"/api/v1/households/{household.Id()}/assessments", new
            {
                memberId = member, phase, assessedOn = Day(offset), instrumentVersion = "ZRM 2017",
                scores = new Dictionary<string, int> { ["financien"] = financien, ["huisvesting"] = huisvesting },
            }).ExpectAsync(HttpStatusCode.Created);
        }
        await Zrm(busy, "intake", -30, 3, 3);
        await Zrm(busy, "evaluation", -2, 3, 3);
        await Zrm(calm, "intake", -30, 2, 2);
        await Zrm(calm, "evaluation", -2, 4, 5);
        await Zrm(idle, "intake", -30, 2, 3);

        var from = Day(-60);
        var to = Day(0);
        var report = await lead.GetAsync($"/api/v1/reports/coordination?from={from}&to={to}").ExpectAsync(HttpStatusCode.OK);
        var rows = report["households"]!.AsArray().ToDictionary(r => r!["householdId"]!.GetValue<string>(), r => r!);
        Assert.Equal(3, rows.Count);

        foreach (var (householdId, planned) in plans)
        {
            var inPeriod = planned.Where(p => string.CompareOrdinal(p.Date, from) >= 0).ToList();
            var row = rows[householdId.ToString()];
            Assert.Equal(inPeriod.Count, row["meetings"]!.GetValue<int>());
            Assert.Equal(inPeriod.Sum(p => p.Minutes), row["meetingMinutes"]!.GetValue<int>());
            Assert.Equal(Math.Round(inPeriod.Sum(p => p.Minutes * p.Participants) / 60.0, 2), row["professionalHours"]!.GetValue<double>());
        }
        var busyRow = rows[busy.Id().ToString()];
        var calmRow = rows[calm.Id().ToString()];
        var idleRow = rows[idle.Id().ToString()];
        Assert.Equal(2, busyRow["distinctIntakes"]!.GetValue<int>());
        Assert.Equal(0, calmRow["distinctIntakes"]!.GetValue<int>());
        Assert.Equal(0.0, busyRow["zrmChange"]!.GetValue<double>());
        Assert.Equal(4.5 - 2.0, calmRow["zrmChange"]!.GetValue<double>());
        Assert.Equal(2.5, idleRow["zrmAtIntake"]!.GetValue<double>());
        Assert.Null(idleRow["zrmChange"]);
        Assert.Equal(0, idleRow["meetings"]!.GetValue<int>());

        var team = report["team"]!;
        Assert.Equal(3, team["households"]!.GetValue<int>());
        Assert.Equal(4 + 2, team["meetings"]!.GetValue<int>());
        Assert.Equal(2, team["distinctIntakes"]!.GetValue<int>());
        var expectedHours = plans.Values.SelectMany(p => p).Where(p => string.CompareOrdinal(p.Date, from) >= 0)
            .Sum(p => p.Minutes * p.Participants) / 60.0;
        Assert.Equal(Math.Round(expectedHours, 2), team["professionalHours"]!.GetValue<double>(), 2);
        Assert.Equal(Math.Round((0.0 + 2.5) / 2, 2), team["averageZrmChange"]!.GetValue<double>());

        // CSV on Accept, for Dutch Excel (read by the independent reader of the reports' tests): one row per household,
        // with its id and family name next to the figures, decimal commas.
        var csv = await Reports.DutchCsv.GetAsync(lead, $"/api/v1/reports/coordination?from={from}&to={to}");
        Assert.Equal(3, csv.Rows.Count);
        var busyCsv = Assert.Single(csv.Rows, r => r["Huishouden-id"] == busy.Id().ToString());
        Assert.Equal("Druk", busyCsv["Gezin"]);
        var busyHours = plans[busy.Id()].Where(p => string.CompareOrdinal(p.Date, from) >= 0).Sum(p => p.Minutes * p.Participants) / 60.0;
        Assert.Equal(Math.Round(busyHours, 2).ToString("0.##", new System.Globalization.NumberFormatInfo { NumberDecimalSeparator = "," }),
            busyCsv["Professionele uren in overleg"]);

        // Need-to-know: another team's id is 404 for this lead; a coach may not read reports (403).
        await lead.GetAsync($"/api/v1/reports/coordination?teamId={s.OtherTeamId}").ExpectAsync(HttpStatusCode.NotFound);
        await coach.GetAsync("/api/v1/reports/coordination").ExpectAsync(HttpStatusCode.Forbidden);
    }
}
