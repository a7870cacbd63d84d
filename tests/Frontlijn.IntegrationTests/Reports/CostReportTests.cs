using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Reports;

/// <summary>
/// Costs (issue 14): the report against a computation in the test from the tariffs it set, the requests it sent and
/// answered, and the involvements the handling recorded. The monthly rule is recomputed day by day (a month counts when
/// some day of it, in the period and not after today, lies after the involvement began and the request was sent),
/// which is a different walk than the service's month windows.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class CostReportTests(ProviderApps apps)
{
    private const string Wgs = "wettelijke-taak-wgs";
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private sealed record Answered(Guid Household, Guid Organisation, DateTimeOffset At, decimal Tariff);

    private sealed record Monthly(Guid Household, Guid Organisation, string Service, DateTimeOffset SentAt, decimal Tariff);

    private sealed record InvolvementRow
    {
        public Guid HouseholdId { get; init; }
        public Guid OrganisationId { get; init; }
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CostReport_AddsUpPerHouseholdOrganisationAndNeighbourhood(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var coach = app.ClientFor(s.Coach);
        var otherBackOffice = app.ClientFor(s.OtherBackOffice);
        async Task Tariff(Guid organisation, string code, string name, decimal amount, string per)
        {
            var response = await admin.PutJson($"/api/v1/organisations/{organisation}/services/{code}", new
            {
                name, responseDays = 5, urgentResponseDays = 1, tariff = new { amount, per },
            });
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        await Tariff(s.OrganisationId, RequestWorld.Service, "Intake", 85.50m, "request");
        await Tariff(s.OtherOrganisationId, "huurachterstand", "Huurachterstand", 40.25m, "month");
        await Tariff(s.OtherOrganisationId, "budgetbeheer", "Budgetbeheer", 19.99m, "month");

        var h1 = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1)).Id();
        var h2 = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2)).Id();
        var h3 = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3)).Id();
        var foreign = (await app.ClientFor(s.OtherCoach).RegisterHouseholdAsync(s.OtherNeighbourhoodId, postalCode: "7544 aa", houseNumber: 1)).Id();
        var w = new RequestWorld(app, s, h1, Guid.Empty, Guid.Empty);
        var answered = new List<Answered>();
        var monthly = new List<Monthly>();
        var now = () => app.Clock.GetUtcNow();
        // The months are relative to the app's clock, which other tests of this shared app only ever move forward:
        // "March" below is the month the test starts in, "April" and "May" the next two.
        var today0 = WorkingDays.LocalDate(now());
        var march = new DateOnly(today0.Year, today0.Month, 1);
        var april = march.AddMonths(1);
        var may = march.AddMonths(2);

        async Task<Guid> Send(Guid household, Guid organisation, string service, HttpClient? client = null) =>
            (await w.SendAsync(legalBasis: Wgs, organisationId: organisation, service: service, householdId: household, client: client)).Id();
        async Task Answer(Guid request, Guid household, decimal tariff, HttpClient? by = null)
        {
            await w.ChangeAsync(request, "acknowledged", 1, by: by);
            await w.ChangeAsync(request, "answered", 2, by: by, answer: "Intake gepland.");
            answered.Add(new(household, s.OrganisationId, now(), tariff));
        }
        async Task SendMonthly(Guid household, string service, decimal tariff)
        {
            var request = await Send(household, s.OtherOrganisationId, service);
            monthly.Add(new(household, s.OtherOrganisationId, service, now(), tariff));
            await w.ChangeAsync(request, "acknowledged", 1, by: otherBackOffice); // the handling records the involvement
        }

        // March: requests under the first tariffs.
        await Answer(await Send(h1, s.OrganisationId, RequestWorld.Service), h1, 85.50m);
        await SendMonthly(h1, "huurachterstand", 40.25m);
        var h2Early = await Send(h2, s.OrganisationId, RequestWorld.Service);
        await Answer(await Send(h3, s.OrganisationId, RequestWorld.Service), h3, 85.50m);
        await Send(h3, s.OrganisationId, RequestWorld.Service); // sent, never answered: costs nothing
        // Another team's household: never in team Oost's costs.
        var foreignRequest = (await w.SendAsync(legalBasis: Wgs, householdId: foreign, client: app.ClientFor(s.OtherCoach))).Id();
        await w.ChangeAsync(foreignRequest, "acknowledged", 1);
        await w.ChangeAsync(foreignRequest, "answered", 2, answer: "Klaar.");

        // April: a new tariff applies to requests sent afterwards only; the early request keeps 85,50.
        RequestWorld.SetAmsterdamTime(app, april.AddDays(13), new TimeOnly(10, 0));
        await Tariff(s.OrganisationId, RequestWorld.Service, "Intake", 90.00m, "request");
        await Answer(h2Early, h2, 85.50m);
        await Answer(await Send(h2, s.OrganisationId, RequestWorld.Service), h2, 90.00m);
        await SendMonthly(h2, "budgetbeheer", 19.99m);
        await SendMonthly(h1, "budgetbeheer", 19.99m);
        RequestWorld.SetAmsterdamTime(app, may.AddDays(19), new TimeOnly(12, 0));

        var involvements = await InvolvementsAsync(app, s.OtherOrganisationId);
        Assert.NotEmpty(involvements);
        var lead = app.ClientFor(s.TeamLead);
        var periods = new[]
        {
            (march, may.AddMonths(1).AddDays(-1)), (april, may.AddDays(-1)),
            (march.AddDays(9), april.AddDays(9)), (april.AddDays(14), march.AddMonths(10).AddDays(-1)),
        };
        foreach (var (from, to) in periods)
        {
            var today = WorkingDays.LocalDate(now());
            var expected = new Dictionary<(Guid, Guid), (int Answered, decimal Requests, int Months, decimal Monthly)>();
            foreach (var a in answered.Where(a => a.At >= WorkingDays.StartOfDay(from) && a.At < WorkingDays.StartOfDay(to.AddDays(1))))
            {
                var e = expected.GetValueOrDefault((a.Household, a.Organisation));
                expected[(a.Household, a.Organisation)] = (e.Answered + 1, e.Requests + a.Tariff, e.Months, e.Monthly);
            }
            foreach (var pair in monthly.GroupBy(m => (m.Household, m.Organisation)))
            {
                var since = involvements.Where(i => i.HouseholdId == pair.Key.Household && i.OrganisationId == pair.Key.Organisation).ToList();
                var days = Days(from, to < today ? to : today).ToList();
                foreach (var month in days.GroupBy(d => (d.Year, d.Month)))
                {
                    var endOfLastDay = WorkingDays.StartOfDay(month.Max().AddDays(1));
                    var endOfWindow = endOfLastDay > now() ? now() : endOfLastDay;
                    var startOfWindow = WorkingDays.StartOfDay(month.Min());
                    if (!since.Any(i => i.Since < endOfWindow && (i.EndedAt is null || i.EndedAt > startOfWindow))) continue;
                    var amount = pair.GroupBy(m => m.Service)
                        .Select(g => g.Where(m => m.SentAt < endOfWindow).OrderBy(m => m.SentAt).LastOrDefault()?.Tariff ?? 0m).Sum();
                    if (amount == 0m) continue;
                    var e = expected.GetValueOrDefault(pair.Key);
                    expected[pair.Key] = (e.Answered, e.Requests, e.Months + 1, e.Monthly + amount);
                }
            }

            var q = $"/api/v1/reports/costs?teamId={s.TeamId}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
            var report = await lead.GetAsync(q).ExpectAsync(HttpStatusCode.OK);
            var households = report["households"]!.AsArray();
            Assert.DoesNotContain(households, h => h!.Id("householdId") == foreign);
            foreach (var household in new[] { h1, h2, h3 })
            {
                var row = households.Single(h => h!.Id("householdId") == household)!;
                var cells = expected.Where(e => e.Key.Item1 == household).Select(e => e.Value).ToList();
                var label = $"{provider} {from}..{to} household {household}";
                Assert.True(cells.Sum(c => c.Answered) == row["answeredRequests"]!.GetValue<int>(), label);
                Assert.True(cells.Sum(c => c.Requests) == row["requestCosts"]!.GetValue<decimal>(), label);
                Assert.True(cells.Sum(c => c.Months) == row["involvementMonths"]!.GetValue<int>(), label);
                Assert.True(cells.Sum(c => c.Monthly) == row["monthlyCosts"]!.GetValue<decimal>(), label);
                Assert.True(cells.Sum(c => c.Requests + c.Monthly) == row["total"]!.GetValue<decimal>(), label);
            }
            var organisations = report["organisations"]!.AsArray();
            foreach (var organisation in new[] { s.OrganisationId, s.OtherOrganisationId })
            {
                var cells = expected.Where(e => e.Key.Item2 == organisation).Select(e => e.Value).ToList();
                var row = organisations.SingleOrDefault(o => o!.Id("organisationId") == organisation);
                Assert.Equal(cells.Sum(c => c.Requests + c.Monthly), row?["total"]!.GetValue<decimal>() ?? 0m);
                Assert.Equal(cells.Sum(c => c.Months), row?["involvementMonths"]!.GetValue<int>() ?? 0);
            }
            // Totals per organisation equal the sum over the households, and so do the neighbourhoods and the team.
            var householdSum = households.Sum(h => h!["total"]!.GetValue<decimal>());
            Assert.Equal(householdSum, organisations.Sum(o => o!["total"]!.GetValue<decimal>()));
            Assert.Equal(householdSum, report["neighbourhoods"]!.AsArray().Sum(n => n!["total"]!.GetValue<decimal>()));
            Assert.Equal(householdSum, report["total"]!.GetValue<decimal>());
            Assert.Equal(expected.Values.Sum(c => c.Requests + c.Monthly), householdSum);

            // The CSV tables say the same, in Dutch Excel form.
            var csv = await DutchCsv.GetAsync(lead, q + "&report=households");
            Assert.Equal(households.Count, csv.Rows.Count);
            foreach (var row in csv.Rows)
            {
                var json = households.Single(h => h!["householdId"]!.GetValue<string>() == row["Huishouden-id"])!;
                Assert.Equal(json["total"]!.GetValue<decimal>(), decimal.Parse(row["Totaal (euro)"], NumberStyles.Number, Dutch));
                Assert.Equal(json["requestCosts"]!.GetValue<decimal>(), decimal.Parse(row["Kosten verzoeken (euro)"], NumberStyles.Number, Dutch));
            }
            var orgCsv = await DutchCsv.GetAsync(lead, q + "&report=organisations");
            Assert.Equal(organisations.Count, orgCsv.Rows.Count);
            Assert.Equal(householdSum, orgCsv.Rows.Sum(r => decimal.Parse(r["Totaal (euro)"], NumberStyles.Number, Dutch)));
            var nbCsv = await DutchCsv.GetAsync(lead, q + "&report=neighbourhoods");
            Assert.Equal(householdSum, nbCsv.Rows.Sum(r => decimal.Parse(r["Totaal (euro)"], NumberStyles.Number, Dutch)));
        }

        // Sanity of the scenario itself: both kinds of tariff were charged in the long period.
        var all = await lead.GetAsync($"/api/v1/reports/costs?from={march:yyyy-MM-dd}&to={may.AddMonths(1).AddDays(-1):yyyy-MM-dd}").ExpectAsync(HttpStatusCode.OK);
        var h1Row = all["households"]!.AsArray().Single(h => h!.Id("householdId") == h1)!;
        Assert.True(h1Row["monthlyCosts"]!.GetValue<decimal>() > 0m && h1Row["requestCosts"]!.GetValue<decimal>() > 0m);
        // The administrator reports on any team; the other team's lead gets 404 for this team.
        await admin.GetAsync($"/api/v1/reports/costs?teamId={s.OtherTeamId}").ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.OtherTeamLead).GetAsync($"/api/v1/reports/costs?teamId={s.TeamId}").ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BadTariffsAndQueries_AreProblemsAndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var path = $"/api/v1/organisations/{s.OrganisationId}/services/{RequestWorld.Service}";
        foreach (var tariff in new object[] { new { amount = 10.005m, per = "request" }, new { amount = -1m, per = "month" }, new { amount = 5m, per = "week" } })
        {
            var problem = await admin.PutJson(path, new { name = "Intake", responseDays = 5, urgentResponseDays = 1, tariff })
                .ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Equal(400, problem["status"]!.GetValue<int>());
        }
        var created = await admin.PostJson("/api/v1/organisations", new
        {
            name = "Tariefloos", kind = "ggz", services = new[] { new { code = "consult", name = "Consult", tariff = new { amount = 1m, per = "jaar" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        var organisation = await admin.GetAsync($"/api/v1/organisations/{s.OrganisationId}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(organisation["services"]!.AsArray(), sv => Assert.Null(sv!["tariff"]));
        // Stored and shown when valid.
        var put = await admin.PutJson(path, new { name = "Intake", responseDays = 5, urgentResponseDays = 1, tariff = new { amount = 12.5m, per = "month" } })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(12.5m, put["tariff"]!["amount"]!.GetValue<decimal>());
        organisation = await admin.GetAsync($"/api/v1/organisations/{s.OrganisationId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("month", organisation["services"]!.AsArray().Single(sv => sv!["code"]!.GetValue<string>() == RequestWorld.Service)!["tariff"]!["per"]!.GetValue<string>());

        await admin.GetAsync("/api/v1/reports/costs").ExpectAsync(HttpStatusCode.BadRequest);
        await admin.GetAsync($"/api/v1/reports/costs?teamId={Guid.NewGuid()}").ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/reports/costs?report=kwartaal").ExpectAsync(HttpStatusCode.BadRequest);
    }

    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1)) yield return d;
    }

    private static async Task<List<InvolvementRow>> InvolvementsAsync(TestApp app, Guid organisationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        return (await db.QueryAsync<InvolvementRow>(
            "SELECT household_id, organisation_id, since, ended_at FROM involvements WHERE organisation_id = @organisationId",
            new { organisationId }, CancellationToken.None)).ToList();
    }
}
