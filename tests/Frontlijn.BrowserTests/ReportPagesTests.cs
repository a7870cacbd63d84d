using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Reports;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The team lead's report pages: an empty chart says why, drawn charts have axis titles, the CSV downloads open in
/// Dutch Excel (read back with the independent <see cref="DutchCsv"/>: ';', decimal commas, BOM), and after a sign-off
/// the sign-off form is gone.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ReportPagesTests(BrowserApp browser)
{
    [Fact]
    public async Task ReportsPage_EmptyChartsSayWhy_ChartsHaveAxisTitles_AndTheCsvDownloadsAreDutch()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await app.ClientFor(s.Coach).PostJson($"/api/v1/households/{household}/involvements", new { providerName = "Humanitas", since = "2025-01-01" })
            .ExpectAsync(HttpStatusCode.Created);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync("/team/rapportages");
        // No request sent and no ZRM score: those charts say why they are empty.
        await Expect(page.Locator("section[aria-labelledby=reactie-titel] .empty-state")).ToContainTextAsync("geen verzoeken verstuurd");
        await Expect(page.Locator("section[aria-labelledby=zrm-titel] .empty-state")).ToContainTextAsync("geen lid van een huishouden");
        // The drawn chart has titles on both axes (read from Chart.js itself, which draws them on the canvas).
        var titles = await page.EvaluateAsync<string[]>("""
            () => { const c = window.Chart.getChart(document.querySelector("canvas[data-chart=grafiek-aanbieders]"));
                    return [c.options.scales.x.title.text, c.options.scales.y.title.text, String(c.options.scales.x.title.display)]; }
            """);
        Assert.Equal(["Aantal aanbieders in de periode", "Aantal huishoudens", "true"], titles);
        await page.AssertAccessibleAsync("reports page");
        await page.ScreenshotAsync("teamlead-rapportages-1280");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Aanbieders per huishouden downloaden (CSV)" }).ClickAsync());
        var csv = DutchCsv.Parse(await File.ReadAllBytesAsync((await download.PathAsync())!));
        var row = csv.Rows.Single();
        Assert.Equal(household, Guid.Parse(row["Huishouden-id"]));
        Assert.Equal("Bosma", row["Gezin"]);
        Assert.Equal("Heechterp 12, 8925 AB Leeuwarden", row["Adres"]);
        Assert.Equal(s.Coach, row["Coach"]);
        Assert.Equal(1, DutchCsv.Number(row["Aanbieders nu"]));

        // A period that ends before it starts: refused at the field, in Dutch; the report of the default period stays.
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Van", new() { Exact = true }).FillAsync(Iso(today.AddDays(-1)));
        await page.GetByLabel("Tot en met").FillAsync(Iso(today.AddDays(-30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Periode tonen" }).ClickAsync();
        await Expect(page.Locator("#van-error")).ToHaveTextAsync("De begindatum ligt niet na de einddatum.");
        await Expect(page.GetByLabel("Van", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Van", new() { Exact = true })).ToHaveValueAsync(Iso(today.AddDays(-1)));
        await page.AssertAccessibleAsync("reports page with a period error");
        await page.GetByLabel("Tot en met").FillAsync(Iso(today));
        await page.GetByRole(AriaRole.Button, new() { Name = "Periode tonen" }).ClickAsync();
        await Expect(page.Locator("#van-error")).ToBeEmptyAsync();
        await Expect(page.Locator("section[aria-labelledby=aanbieders-titel]")).ToContainTextAsync("1 huishouden;");

        var distribution = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Verdeling downloaden (CSV)" }).ClickAsync());
        var buckets = DutchCsv.Parse(await File.ReadAllBytesAsync((await distribution.PathAsync())!));
        Assert.Equal(1, DutchCsv.Number(buckets.Rows.Single(r => r["Aanbieders"] == "1")["Huishoudens"]));

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(s.TeamLead);
        await small.GotoAsync("/team/rapportages");
        await small.AssertAccessibleAsync("reports page at 375 px");
        await small.ScreenshotAsync("teamlead-rapportages-375");
    }

    [Fact]
    public async Task OutcomePage_SignOff_RefusesATooLongNoteAtTheField_ThenTheFormIsGone()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync($"/team/rapportages/uitkomst/{household}");
        // Still active: nothing to sign off yet, and the page says so instead of offering a form that would be refused.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rapport aftekenen" })).ToHaveCountAsync(0);
        await Expect(page.Locator("section[aria-labelledby=aftekenen-titel]")).ToContainTextAsync("zodra de coach het huishouden afsluit");

        await app.ClientFor(s.Coach).PostJson($"/api/v1/households/{household}/closure", new { reason = "Doelen bereikt" })
            .ExpectAsync(HttpStatusCode.OK);
        await page.ReloadAsync();
        var signOff = page.GetByRole(AriaRole.Button, new() { Name = "Rapport aftekenen" });
        await page.GetByLabel("Toelichting (optioneel)").FillAsync(new string('x', 2001));
        await signOff.ClickAsync();
        await Expect(page.Locator("#toelichting-error")).ToContainTextAsync("Toelichting");
        await Expect(page.Locator("#toelichting-error")).ToContainTextAsync("2000");
        await Expect(page.GetByLabel("Toelichting (optioneel)")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertAccessibleAsync("sign-off with an error");

        await page.GetByLabel("Toelichting (optioneel)").FillAsync("Doelen deels behaald");
        await signOff.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Het uitkomstrapport is afgetekend.");
        await Expect(page.Locator(".signed-off")).ToContainTextAsync($"Afgetekend door {s.TeamLead}");
        await Expect(page.Locator(".signed-off")).ToContainTextAsync("Doelen deels behaald");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rapport aftekenen" })).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Toelichting (optioneel)")).ToHaveCountAsync(0);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM outcome_signoffs"));
    }
}
