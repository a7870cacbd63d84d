using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Reports;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The team lead's address view (/team/adres) and the neighbourhood report (/team/wijken): bad input is refused at
/// its field, the building shows the own team's households now and before with their visits and another team's only
/// as a count, the report draws a chart beside a table of the same figures, its CSV opens in Dutch Excel, and both
/// pages pass axe at 1280 and 375 px.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AddressAndNeighbourhoodPagesTests(BrowserApp browser)
{
    [Fact]
    public async Task AddressPage_RefusesBadInputAtTheField_ThenShowsTheBuilding_WithAnotherTeamOnlyAsACount()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var bosma = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, familyName: "Bosma")).Id();
        var visser = (await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = s.NeighbourhoodId, address = Address(houseNumberSuffix: "B"),
            members = new object[] { new { givenName = "Marco", familyName = "Visser", dateOfBirth = "1980-04-02", role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        for (var step = 0; step < 2; step++)
        {
            await coach.PostJson($"/api/v1/households/{visser}/closure", new { reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.OK);
        }
        // Another team's household in the same building (12-C): only a count on the page.
        await app.ClientFor(s.OtherCoach).PostJson("/api/v1/households", new
        {
            neighbourhoodId = s.OtherNeighbourhoodId, address = Address(houseNumberSuffix: "C"),
            members = new object[] { new { givenName = "Sven", familyName = "Geheimhouder", dateOfBirth = "1995-03-30", role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created);
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        await coach.PostJson("/api/v1/visits", new
        {
            address = Address(houseNumberSuffix: "B"), plannedOn = today.AddDays(2), reason = "Kijken of de woning leeg staat",
        }).ExpectAsync(HttpStatusCode.Created);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync("/team/adres", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("Postcode").FillAsync("12345");
        await page.GetByLabel("Huisnummer").FillAsync("twaalf");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
        await Expect(page.Locator("#postcode-error")).ToHaveTextAsync("Vul een postcode in zoals 1234 AB.");
        await Expect(page.Locator("#huisnummer-error")).ToHaveTextAsync("Vul een huisnummer in van 1 tot en met 99999.");
        await Expect(page.GetByLabel("Postcode")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Postcode")).ToHaveValueAsync("12345");
        await Expect(page.Locator("#formulierfouten")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("address page with errors");

        await page.GetByLabel("Postcode").FillAsync("8925 ab");
        await page.GetByLabel("Huisnummer").FillAsync("12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("Huisnummer=12"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(page.Locator("#pand-titel")).ToHaveTextAsync("Pand 8925 AB 12");
        await Expect(page.Locator("#postcode-error")).ToBeEmptyAsync();
        // The Bosmas at the address searched for, now; the Vissers at 12-B before, with the visit there.
        var here = page.Locator("section[aria-labelledby=adres-zonder]");
        await Expect(here.Locator("h2")).ToHaveTextAsync("Heechterp 12 (gezocht adres)");
        await Expect(here.GetByRole(AriaRole.Link, new() { Name = "Huishouden Bosma" })).ToHaveAttributeAsync("href", $"/huishoudens/{bosma}");
        await Expect(here).ToContainTextAsync(s.Coach);
        var b = page.Locator("section[aria-labelledby=adres-B]");
        await Expect(b.Locator("h3", new() { HasText = "Eerder" })).ToBeVisibleAsync();
        await Expect(b.GetByRole(AriaRole.Link, new() { Name = "Huishouden Visser" })).ToHaveAttributeAsync("href", $"/huishoudens/{visser}");
        await Expect(b).ToContainTextAsync("Afgesloten");
        await Expect(b).ToContainTextAsync("Verhuisd");
        await Expect(b.Locator("table")).ToContainTextAsync("Kijken of de woning leeg staat");
        await Expect(b.Locator("table")).ToContainTextAsync("Nog niet bezocht");
        // The other team: a count, nothing that identifies the household, no section for its address.
        await Expect(page.Locator("#ander-team")).ToContainTextAsync("1 huishouden van een ander team");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Geheimhouder");
        await Expect(page.Locator("section[aria-labelledby=adres-C]")).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("address page with a building");
        await page.ScreenshotAsync("teamlead-adres-1280");
        // Read like the API: one access-log row per household shown.
        Assert.Equal(2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_id = @id AND object_type = 'address-overview'", new { id = s.TeamLeadId }));

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(s.TeamLead);
        await small.GotoAsync("/team/adres?Postcode=8925AB&Huisnummer=12", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(small.Locator("#pand-titel")).ToBeVisibleAsync();
        await small.AssertAccessibleAsync("address page at 375 px");
        await small.ScreenshotAsync("teamlead-adres-375");
    }

    [Fact]
    public async Task NeighbourhoodPage_EmptyStateSaysWhy_ThenChartAndTableAgree_AndTheCsvIsDutch()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync("/team/rapportages", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByRole(AriaRole.Link, new() { Name = "wijkrapport" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/team/wijken$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(page.Locator("section[aria-labelledby=wijk-titel] .empty-state")).ToContainTextAsync("geen huishoudens in zorg");
        await Expect(page.Locator("canvas")).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("neighbourhood page, empty");

        // Three households (two in PC4 8925, one in 8924) and a visit: the figures the page must show.
        var coach = app.ClientFor(s.Coach);
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1);
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2, familyName: "Jansen");
        await coach.RegisterHouseholdAsync(s.NeighbourhoodId, postalCode: "8924 CD", houseNumber: 3, familyName: "De Jong");
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        await coach.PostJson("/api/v1/visits", new { address = Address(houseNumber: 40), plannedOn = today, reason = "Zorgen van buren" })
            .ExpectAsync(HttpStatusCode.Created);

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
        var canvas = page.Locator("canvas[data-chart=grafiek-wijk]");
        await Expect(canvas).ToHaveAttributeAsync("aria-label", new Regex("huishoudens in zorg.*De tabel hieronder bevat dezelfde cijfers"));
        await page.WaitForFunctionAsync("() => window.Chart && window.Chart.getChart(document.querySelector('canvas[data-chart=grafiek-wijk]'))",
            null, new() { Timeout = 60_000 });
        var drawn = await page.EvaluateAsync<string[]>("""
            () => { const c = window.Chart.getChart(document.querySelector("canvas[data-chart=grafiek-wijk]"));
                    return [c.data.labels.join("|"), c.data.datasets[0].data.join("|")]; }
            """);
        Assert.Equal(["Heechterp-Schieringen", "3"], drawn);
        var row = page.Locator("#tabel-wijk tbody tr", new() { HasText = "Heechterp-Schieringen" });
        await Expect(row.Locator("td[data-label='Huishoudens in zorg']")).ToHaveTextAsync("3");
        await Expect(row.Locator("td[data-label='Bezoeken']")).ToHaveTextAsync("1");
        var pc4 = await page.EvaluateAsync<string[]>("""
            () => { const c = window.Chart.getChart(document.querySelector("canvas[data-chart=grafiek-pc4]"));
                    return [c.data.labels.join("|"), c.data.datasets[0].data.join("|")]; }
            """);
        Assert.Equal(["8924|8925", "1|2"], pc4);
        await Expect(page.Locator("#tabel-pc4 tbody tr", new() { HasText = "8925" }).Locator("td[data-label='Huishoudens in zorg']"))
            .ToHaveTextAsync("2");
        await page.AssertAccessibleAsync("neighbourhood page with figures");
        await page.ScreenshotAsync("teamlead-wijken-1280");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Per wijk downloaden (CSV)" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.StartsWith("\uFEFFWijk;Huishoudens in zorg;", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var csv = DutchCsv.Parse(bytes);
        var wijk = csv.Rows.Single(r => r["Wijk"] == "Heechterp-Schieringen");
        Assert.Equal(3, DutchCsv.Number(wijk["Huishoudens in zorg"]));
        Assert.Equal(1, DutchCsv.Number(wijk["Bezoeken"]));
        Assert.Equal(3, DutchCsv.Number(csv.Rows.Single(r => r["Wijk"] == "Totaal")["Huishoudens in zorg"]));
        var pc4Download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Per postcodegebied (PC4) downloaden (CSV)" }).ClickAsync());
        var pc4Csv = DutchCsv.Parse(await File.ReadAllBytesAsync((await pc4Download.PathAsync())!));
        Assert.Equal(1, DutchCsv.Number(pc4Csv.Rows.Single(r => r["PC4"] == "8924")["Huishoudens in zorg"]));

        // A period that ends before it starts: at the field, and the default period stays on screen.
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Van", new() { Exact = true }).FillAsync(Iso(today));
        await page.GetByLabel("Tot en met").FillAsync(Iso(today.AddDays(-30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Periode tonen" }).ClickAsync();
        await Expect(page.Locator("#van-error")).ToHaveTextAsync("De begindatum ligt niet na de einddatum.");
        await Expect(page.GetByLabel("Van", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertAccessibleAsync("neighbourhood page with a period error");

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(s.TeamLead);
        await small.GotoAsync("/team/wijken", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(small.Locator("#tabel-wijk")).ToBeVisibleAsync();
        await small.AssertAccessibleAsync("neighbourhood page at 375 px");
        await small.ScreenshotAsync("teamlead-wijken-375");

        // The functional administrator sees the municipality: both neighbourhoods.
        await using var adminContext = await browser.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await admin.SignInAsync("admin");
        await admin.GotoAsync("/beheer/wijken", new() { WaitUntil = WaitUntilState.Commit });
        await admin.GetByRole(AriaRole.Link, new() { Name = "wijkrapport", Exact = true }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("/team/wijken$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(admin.Locator("#tabel-wijk tbody tr", new() { HasText = "Velve-Lindenhof" })).ToHaveCountAsync(1);
    }
}
