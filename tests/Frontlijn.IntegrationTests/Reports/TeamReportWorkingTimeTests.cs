using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Plans;
using Frontlijn.IntegrationTests.Sessions;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Reports;

/// <summary>
/// The team report's response times in working time, "on time" over the requests that are due, and a CSV for every
/// table (Dutch Excel: ';', decimal commas, BOM, Dutch headers), read back with the independent <see cref="DutchCsv"/>.
/// The expected figures are worked out by hand in the comments (calendar of 2025), not by the application's rule.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class TeamReportWorkingTimeTests(ProviderApps apps)
{
    /// <summary>From 2025 up to the test clock's today (other tests move the shared clock on; the requests below are at
    /// fixed moments, all before it).</summary>
    private static string PeriodOf(PlanWorld w) => $"from=2025-01-01&to={PlanWorld.Iso(w.Today)}";

    /// <summary>An Amsterdam wall-clock moment (the offset of that date: +01:00 in winter, +02:00 in summer).</summary>
    private static DateTimeOffset Local(int year, int month, int day, int hour)
    {
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }

    private static async Task SeedAsync(TestApp app, PlanWorld w)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        async Task Answered(Guid organisation, DateTimeOffset sent, DateTimeOffset answered, DateTimeOffset due) =>
            await OutcomeAndTeamReportTests.InsertRequestAsync(db, w, organisation, "answered", sent, due, answered);

        // Schuldhulp, three answers:
        //  A: Friday 25 April 2025 16:00 → Tuesday 29 April 10:00. Saturday 26 April is Koningsdag (27 April is a
        //     Sunday), Sunday off, Monday 28 a working day: 8 + 24 + 10 = 42 working hours (90 wall-clock). Due
        //     Monday 28 April 23:59:59: late.
        await Answered(w.S.OrganisationId, Local(2025, 4, 25, 16), Local(2025, 4, 29, 10), Local(2025, 4, 28, 23).AddMinutes(59));
        //  B: Wednesday 24 December 2025 12:00 → Monday 29 December 12:00. Both Christmas days and the weekend are off:
        //     12 + 12 = 24 working hours (120 wall-clock). Due 5 January 2026: on time.
        await Answered(w.S.OrganisationId, Local(2025, 12, 24, 12), Local(2025, 12, 29, 12), Local(2026, 1, 5, 23));
        //  C: Monday 3 March 2025 09:00 → 12:00: 3 working hours. On time.
        await Answered(w.S.OrganisationId, Local(2025, 3, 3, 9), Local(2025, 3, 3, 12), Local(2025, 3, 10, 23));
        //  Median of 3, 24, 42: 24 working hours (the wall-clock median would be 90).
        //  Two more Schuldhulp requests, not answered (the clock stands at 2 March 2026 or later):
        //  D: due a week from now: not due yet, neither on time nor late (not counted).
        await OutcomeAndTeamReportTests.InsertRequestAsync(db, w, w.S.OrganisationId, "sent", Local(2026, 2, 27, 9), app.Clock.GetUtcNow().AddDays(7), null);
        //  E: acknowledged, due 20 February 2026, still open: due and late.
        await OutcomeAndTeamReportTests.InsertRequestAsync(db, w, w.S.OrganisationId, "acknowledged", Local(2026, 2, 10, 9), Local(2026, 2, 20, 23), null);
        //  Due: A, B, C, E = 4; on time: B, C = 2; share 0,5 (answered on time over all sent would have said 2/5).

        // Woningcorporatie, two answers around a clock change and a holiday:
        //  F: Friday 28 March 2025 12:00 (+01:00) → Monday 31 March 12:00 (+02:00): 12 + 12 = 24 working hours (71 wall-clock).
        await Answered(w.S.OtherOrganisationId, Local(2025, 3, 28, 12), Local(2025, 3, 31, 12), Local(2025, 4, 4, 23));
        //  G: sent on Hemelvaartsdag, Thursday 29 May 2025, 09:00 → Friday 30 May 09:00: only Friday 00:00-09:00 counts, 9.
        await Answered(w.S.OtherOrganisationId, Local(2025, 5, 29, 9), Local(2025, 5, 30, 9), Local(2025, 6, 6, 23));
        //  Median of 9 and 24: 16,5 working hours (wall clock: 47,5).
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MedianResponseTime_CountsWorkingTime_AndOnTimeCountsOnlyDueRequests(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        await SeedAsync(app, w);
        var lead = app.ClientFor(w.S.TeamLead);
        var period = PeriodOf(w);

        var report = await lead.GetAsync($"/api/v1/reports/team?{period}").ExpectAsync(HttpStatusCode.OK);
        var times = report["responseTimes"]!.AsArray().ToDictionary(r => r!.Id("organisationId"));
        var schuldhulp = times[w.S.OrganisationId]!;
        Assert.Equal(24, schuldhulp["medianResponseHours"]!.GetValue<double>(), 1);
        Assert.Equal(5, schuldhulp["sent"]!.GetValue<int>());
        Assert.Equal(4, schuldhulp["due"]!.GetValue<int>());
        Assert.Equal(2, schuldhulp["answeredOnTime"]!.GetValue<int>());
        Assert.Equal(0.5, schuldhulp["shareOnTime"]!.GetValue<double>(), 3);
        var woning = times[w.S.OtherOrganisationId]!;
        Assert.Equal(16.5, woning["medianResponseHours"]!.GetValue<double>(), 1);
        Assert.Equal(1, woning["shareOnTime"]!.GetValue<double>(), 3);

        // The same figures in the CSV, as Dutch Excel reads them.
        var csv = await DutchCsv.GetAsync(lead, $"/api/v1/reports/team?{period}&report=responseTimes");
        Assert.Equal(["Organisatie-id", "Organisatie", "Verstuurd", "Beantwoord", "Op tijd beantwoord", "Verlopen termijn",
            "Aandeel op tijd", "Mediaan reactietijd (werkuren)", "Geëscaleerd"], csv.Headers);
        var row = csv.Rows.Single(r => r["Organisatie"] == "Woningcorporatie Elkien");
        Assert.Equal("16,5", row["Mediaan reactietijd (werkuren)"]);
        Assert.Equal(16.5, DutchCsv.Number(row["Mediaan reactietijd (werkuren)"]), 3);
        Assert.Equal(w.S.OtherOrganisationId, Guid.Parse(row["Organisatie-id"]));
        var first = csv.Rows.Single(r => r["Organisatie"] == "Schuldhulp Leeuwarden");
        Assert.Equal(0.5, DutchCsv.Number(first["Aandeel op tijd"]), 3);
        Assert.Equal(4, DutchCsv.Number(first["Verlopen termijn"]));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryTableHasACsv_TheZrmChangeIncluded_AndAnUnknownReportIsA400(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        await SeedAsync(app, w);
        var today = w.Today;
        var assessments = $"/api/v1/households/{w.HouseholdId}/assessments";
        // Head: financien 1 → 3 (+2); child: financien 4 → 3 (-1): average +0,5 over 2 members.
        await w.Coach.PostJson(assessments, new { memberId = w.HeadMemberId, phase = "intake", assessedOn = PlanWorld.Iso(today.AddDays(-60)),
            scores = new Dictionary<string, int> { ["financien"] = 1 } }).ExpectAsync(HttpStatusCode.Created);
        await w.Coach.PostJson(assessments, new { memberId = w.ChildMemberId, phase = "intake", assessedOn = PlanWorld.Iso(today.AddDays(-60)),
            scores = new Dictionary<string, int> { ["financien"] = 4 } }).ExpectAsync(HttpStatusCode.Created);
        await w.Coach.PostJson(assessments, new { memberId = w.HeadMemberId, phase = "evaluation", assessedOn = PlanWorld.Iso(today.AddDays(-1)),
            scores = new Dictionary<string, int> { ["financien"] = 3 } }).ExpectAsync(HttpStatusCode.Created);
        await w.Coach.PostJson(assessments, new { memberId = w.ChildMemberId, phase = "evaluation", assessedOn = PlanWorld.Iso(today.AddDays(-1)),
            scores = new Dictionary<string, int> { ["financien"] = 3 } }).ExpectAsync(HttpStatusCode.Created);
        var lead = app.ClientFor(w.S.TeamLead);
        var period = PeriodOf(w);
        string Path(string table) => $"/api/v1/reports/team?{period}&report={table}";

        var zrm = await DutchCsv.GetAsync(lead, Path("zrmChange"));
        Assert.Equal(["Domein", "Domeincode", "Leden", "Gemiddelde verandering (punten)"], zrm.Headers);
        var financien = zrm.Rows.Single();
        Assert.Equal("Financiën", financien["Domein"]);
        Assert.Equal(2, DutchCsv.Number(financien["Leden"]));
        Assert.Equal("0,5", financien["Gemiddelde verandering (punten)"]);

        var caseload = await DutchCsv.GetAsync(lead, Path("caseload"));
        Assert.Equal(["Coach-id", "Coach", "Open huishoudens", "Maximum", "Vol"], caseload.Headers);
        var anna = caseload.Rows.Single(r => Guid.Parse(r["Coach-id"]) == w.S.CoachId);
        Assert.Equal("coach.anna", anna["Coach"]);
        Assert.Equal(1, DutchCsv.Number(anna["Open huishoudens"]));
        Assert.Equal("nee", anna["Vol"]);

        var statuses = await DutchCsv.GetAsync(lead, Path("householdsByStatus"));
        Assert.Equal(["Wacht op coach", "Actief", "Wordt afgesloten", "Afgesloten"], statuses.Rows.Select(r => r["Status"]));
        Assert.Equal(1, statuses.Rows.Sum(r => DutchCsv.Number(r["Huishoudens"])));

        foreach (var (table, headers) in new[]
                 {
                     ("signals", new[] { "Signalen", "Naar bestaande contactpersoon", "Nieuw" }),
                     ("escalations", new[] { "Naar organisatie", "Naar teamleider" }),
                     ("outcomes", new[] { "Afgesloten", "Verbeterd", "Gelijk", "Verslechterd", "Niet gemeten" }),
                 })
        {
            var single = await DutchCsv.GetAsync(lead, Path(table));
            Assert.Equal(headers, single.Headers);
            Assert.Single(single.Rows);
        }

        // An unknown table: 400 problem+json naming the field, in the API and in the page's download handler alike.
        var problem = await lead.GetAsync(Path("grafiek")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["report"]);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync(w.S.TeamLead);
        using var page = await browser.GetAsync($"/team/rapportages?handler=Csv&report=grafiek&{period}");
        Http.AssertProblem(page, await page.Content.ReadAsStringAsync(), 400);
        using var pageCsv = await browser.GetAsync($"/team/rapportages?handler=Csv&report=zrmChange&{period}");
        Assert.Equal(HttpStatusCode.OK, pageCsv.StatusCode);
        var fromPage = DutchCsv.Parse(await pageCsv.Content.ReadAsByteArrayAsync());
        Assert.Equal(zrm.Headers, fromPage.Headers);
        Assert.Equal("0,5", fromPage.Rows.Single()["Gemiddelde verandering (punten)"]);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OutcomeCsv_NamesTheHousehold_WithDutchRows(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var csv = await DutchCsv.GetAsync(app.ClientFor(w.S.TeamLead), $"/api/v1/reports/household-outcomes/{w.HouseholdId}");
        Assert.Equal(["Onderdeel", "Meting", "Intake", "Laatste", "Waarde"], csv.Headers);
        string Value(string measure) => csv.Rows.Single(r => r["Onderdeel"] == "Huishouden" && r["Meting"] == measure)["Waarde"];
        Assert.Equal(w.HouseholdId, Guid.Parse(Value("Id")));
        Assert.Equal("Bosma", Value("Gezin"));
        Assert.StartsWith("Heechterp 12", Value("Adres"), StringComparison.Ordinal);
        Assert.Equal("coach.anna", Value("Coach"));
        Assert.Equal("Actief", Value("Status"));
    }
}
