using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Reports;
using Frontlijn.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// Issue 14's team objectives (/team/doelen) and costs (/team/kosten) pages on the demo data, and the tariff on the
/// admin's service form: errors at the field, charts with a table of the same figures, totals that add up (summed here
/// from the page's own cells), Dutch euros, and axe at 1280 and 375 px.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class ObjectivesAndCostsPagesTests(BrowserApp browser)
{
    private const string Lead = "teamlead.sanne";

    [GeneratedRegex(@"^€\s\d{1,3}(\.\d{3})*,\d{2}$")]
    private static partial Regex DutchEuro();

    /// <summary>"€ 1.234,50" → 1234.50, read independently of the application's formatting code.</summary>
    private static decimal Euro(string text)
    {
        var shown = text.Replace('\u00a0', ' ').Trim();
        Assert.Matches(DutchEuro(), shown);
        return decimal.Parse(shown[1..].Trim().Replace(".", "", StringComparison.Ordinal).Replace(',', '.'), CultureInfo.InvariantCulture);
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.Locator("main h1").WaitForAsync(new() { Timeout = 60_000 });
    }

    private async Task SeedDemoAsync()
    {
        await browser.App.ResetAsync();
        await browser.App.Services.GetRequiredService<DemoSeeder>().SeedDemoDataAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ObjectivesPage_ShowsTheDemoObjectivesOnTrackAndBehind_WithChartAndTable_AndSetsOneAfterFieldErrors()
    {
        await SeedDemoAsync();
        var app = browser.App;
        var teamId = await app.ScalarAsync<Guid>("SELECT team_id FROM users WHERE username = @username", new { username = Lead });
        var api = await app.ClientFor(Lead).GetAsync($"/api/v1/teams/{teamId}/objectives").ExpectAsync(HttpStatusCode.OK);
        var items = api["items"]!.AsArray();

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(Lead);
        await OpenAsync(page, "/team/doelen");
        var sections = page.Locator("section.objective");
        await Expect(sections).ToHaveCountAsync(2);
        var onTime = sections.Filter(new() { HasText = "Aandeel verzoeken op tijd beantwoord" });
        var providers = sections.Filter(new() { HasText = "Gemiddeld aantal aanbieders per huishouden" });
        await Expect(onTime.Locator("[data-state]")).ToContainTextAsync("Loopt achter");
        await Expect(providers.Locator("[data-state]")).ToContainTextAsync("Op koers");

        // The table has a row per complete month, the chart the same months: the result and a flat target line.
        var share = items.Single(o => o!["metric"]!.GetValue<string>() == "requests-answered-on-time-share")!;
        var progress = share["progress"]!.AsArray();
        await Expect(onTime.Locator("tbody tr")).ToHaveCountAsync(progress.Count);
        var chartId = await onTime.Locator("canvas[data-chart]").GetAttributeAsync("data-chart");
        // The charts are drawn by a deferred script after the content arrived: wait for this one to exist.
        await page.WaitForFunctionAsync("id => window.Chart && window.Chart.getChart(document.querySelector(`canvas[data-chart=\"${id}\"]`))", chartId);
        var chart = await page.EvaluateAsync<double?[][]>("""
            id => { const c = window.Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`));
                    return c.data.datasets.map(d => d.data); }
            """, chartId);
        Assert.Equal(2, chart.Length);
        Assert.Equal(progress.Select(p => p!["value"] is { } v ? Math.Round(v.GetValue<double>() * 100, 2) : (double?)null), chart[0]);
        Assert.All(chart[1], v => Assert.Equal(share["target"]!.GetValue<double>() * 100, v!.Value, 6));
        Assert.Equal("line", await page.EvaluateAsync<string>(
            "id => window.Chart.getChart(document.querySelector(`canvas[data-chart=\"${id}\"]`)).config.type", chartId));
        // The last month in the table is the one that decides, in the same words as the state.
        var last = progress[^1]!;
        await Expect(onTime.Locator("tbody tr").Last.Locator("td").Last).ToHaveTextAsync(last["onTrack"]!.GetValue<bool>() ? "Op koers" : "Loopt achter");
        await page.AssertAccessibleAsync("objectives page");
        await page.ScreenshotAsync("teamlead-doelen-1280");

        // Bad input, refused at the field: not a number; then a share above 1 and an end before the start.
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        await page.GetByLabel("Maatstaf", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Aandeel verzoeken op tijd beantwoord" });
        await page.GetByLabel("Streefwaarde", new() { Exact = true }).FillAsync("veel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doel vastleggen" }).ClickAsync();
        await Expect(page.Locator("#target-error")).ToHaveTextAsync("Geef de streefwaarde als getal, zoals 0,8 of 2,5.");
        await Expect(page.GetByLabel("Streefwaarde", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByLabel("Streefwaarde", new() { Exact = true }).FillAsync("1,5");
        await page.GetByLabel("Van", new() { Exact = true }).FillAsync(Iso(today));
        await page.GetByLabel("Tot en met", new() { Exact = true }).FillAsync(Iso(today.AddDays(-1)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Doel vastleggen" }).ClickAsync();
        await Expect(page.Locator("#target-error")).ToHaveTextAsync("Een aandeel ligt tussen 0 en 1.");
        await Expect(page.Locator("#to-error")).ToHaveTextAsync("De einddatum ligt niet voor de begindatum.");
        await Expect(page.GetByLabel("Tot en met", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#formulierfouten")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("objectives page with field errors");
        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM team_objectives"));

        await page.GetByLabel("Maatstaf", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Huishoudens per coach" });
        await page.GetByLabel("Streefwaarde", new() { Exact = true }).FillAsync("12");
        await page.GetByLabel("Tot en met", new() { Exact = true }).FillAsync(Iso(today.AddMonths(6)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Doel vastleggen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Het teamdoel 'Huishoudens per coach' is vastgelegd.");
        await Expect(sections).ToHaveCountAsync(3);
        Assert.Equal(12.0, await app.ScalarAsync<double>("SELECT target FROM team_objectives WHERE metric = 'households-per-coach'"));

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(Lead);
        await OpenAsync(small, "/team/doelen");
        await Expect(small.Locator("section.objective")).ToHaveCountAsync(3);
        await small.AssertAccessibleAsync("objectives page at 375 px");
        await small.ScreenshotAsync("teamlead-doelen-375");
    }

    [Fact]
    public async Task CostsPage_TotalsAreTheSumOfTheRows_InDutchEuros_WithAChartAndDutchCsv()
    {
        await SeedDemoAsync();
        var app = browser.App;
        var api = await app.ClientFor(Lead).GetAsync("/api/v1/reports/costs").ExpectAsync(HttpStatusCode.OK);
        var apiTotal = api["total"]!.GetValue<decimal>();
        Assert.True(apiTotal > 0);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(Lead);
        await OpenAsync(page, "/team/kosten");
        var total = Euro(await page.Locator("#kosten-totaal").InnerTextAsync());
        Assert.Equal(apiTotal, total);
        foreach (var table in new[] { "#kosten-organisaties", "#kosten-huishoudens", "#kosten-wijken" })
        {
            var rows = await page.Locator($"{table} tbody td[data-total]").AllInnerTextsAsync();
            Assert.NotEmpty(rows);
            Assert.Equal(total, rows.Sum(r => Euro(r)));
            Assert.Equal(total, Euro(await page.Locator($"{table} tfoot [data-grand-total]").InnerTextAsync()));
        }
        // Per request plus per month is each row's total.
        foreach (var row in await page.Locator("#kosten-huishoudens tbody tr").AllAsync())
        {
            var cells = await row.Locator("td").AllInnerTextsAsync();
            Assert.Equal(Euro(cells[^1]), Euro(cells[3]) + Euro(cells[5]));
        }
        await Expect(page.Locator("main")).ToContainTextAsync("(begonnen) maand waarin de organisatie bij het huishouden betrokken was");

        // The bar chart draws the organisations that cost something, in the table's order, with the table's amounts.
        var canvas = page.Locator("canvas[data-chart=grafiek-kosten]");
        await Expect(canvas).ToHaveAttributeAsync("aria-label", new Regex("kosten in euro"));
        await page.WaitForFunctionAsync("() => window.Chart && window.Chart.getChart(document.querySelector('canvas[data-chart=grafiek-kosten]'))");
        var drawn = await page.EvaluateAsync<double[]>(
            "() => window.Chart.getChart(document.querySelector('canvas[data-chart=grafiek-kosten]')).data.datasets[0].data");
        var organisations = (await page.Locator("#kosten-organisaties tbody td[data-total]").AllInnerTextsAsync()).Select(Euro).Where(t => t > 0);
        Assert.Equal(organisations.Select(t => (double)t), drawn);
        await page.AssertAccessibleAsync("costs page");
        await page.ScreenshotAsync("teamlead-kosten-1280");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Kosten per huishouden downloaden (CSV)" }).ClickAsync());
        var csv = DutchCsv.Parse(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Equal((double)total, csv.Rows.Sum(r => DutchCsv.Number(r["Totaal (euro)"])), 2);
        Assert.Contains(csv.Rows, r => r["Gezin"] == "Hofstra");

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(Lead);
        await OpenAsync(small, "/team/kosten");
        await Expect(small.Locator("#kosten-totaal")).Not.ToBeEmptyAsync();
        await small.AssertAccessibleAsync("costs page at 375 px");
        await small.ScreenshotAsync("teamlead-kosten-375");
    }

    [Fact]
    public async Task Admin_SetsAServicesTariff_AfterErrorsAtTheField()
    {
        await browser.App.ResetAsync();
        var app = browser.App;
        var s = await Scenario.CreateAsync(app);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");
        await OpenAsync(page, $"/beheer/organisaties/{s.OrganisationId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Aanpassen dienst Intake" }).ClickAsync();
        // The form starts from what is stored, so a PUT of the whole service loses nothing.
        await Expect(page.GetByLabel("Dienstcode")).ToHaveValueAsync("schuldhulp-intake");
        await Expect(page.GetByLabel("Naam van de dienst")).ToHaveValueAsync("Intake");

        await page.GetByLabel("Tarief in euro").FillAsync("12,345");
        await page.GetByLabel("Tarief geldt").SelectOptionAsync("request");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dienst opslaan" }).ClickAsync();
        await Expect(page.Locator("#service-tariff-error")).ToContainTextAsync("hoogstens twee decimalen");
        await Expect(page.GetByLabel("Tarief in euro")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertAccessibleAsync("service form with a tariff error");

        await page.GetByLabel("Tarief in euro").FillAsync("1.234,50");
        await page.GetByLabel("Tarief geldt").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dienst opslaan" }).ClickAsync();
        await Expect(page.Locator("#service-per-error")).ToHaveTextAsync("Kies of het tarief per beantwoord verzoek of per maand geldt.");
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM organisation_services WHERE tariff_cents IS NOT NULL"));

        await page.GetByLabel("Tarief geldt").SelectOptionAsync("month");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dienst opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Dienst Intake is opgeslagen");
        var cell = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "schuldhulp-intake" }).Locator("td[data-label=Tarief]");
        Assert.Equal("€ 1.234,50 per maand", (await cell.InnerTextAsync()).Replace('\u00a0', ' '));
        Assert.Equal(123450L, await app.ScalarAsync<long>(
            "SELECT tariff_cents FROM organisation_services WHERE code = 'schuldhulp-intake' AND organisation_id = @id", new { id = s.OrganisationId }));
        Assert.Equal("month", await app.ScalarAsync<string>(
            "SELECT tariff_per FROM organisation_services WHERE code = 'schuldhulp-intake' AND organisation_id = @id", new { id = s.OrganisationId }));
        var read = await app.ClientFor("admin").GetAsync($"/api/v1/organisations/{s.OrganisationId}").ExpectAsync(HttpStatusCode.OK);
        var tariff = read["services"]!.AsArray().Single(x => x!["code"]!.GetValue<string>() == "schuldhulp-intake")!["tariff"]!;
        Assert.Equal(1234.50m, tariff["amount"]!.GetValue<decimal>());

        // Opening it again shows the stored tariff in the form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Aanpassen dienst Intake" }).ClickAsync();
        await Expect(page.GetByLabel("Tarief in euro")).ToHaveValueAsync("1234,50");
        await Expect(page.GetByLabel("Tarief geldt")).ToHaveValueAsync("month");

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync("admin");
        await OpenAsync(small, $"/beheer/organisaties/{s.OrganisationId}?dienst=schuldhulp-intake");
        await small.AssertAccessibleAsync("organisation page with the service form at 375 px");
    }
}
