using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The admin sees what the retention sweep will erase before it happens, and places a legal hold through the form
/// (errors at the fields). Its own app: the clock moves five years ahead, which must not reach the shared one.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class RetentionPagesTests(BrowserApp browser)
{
    [Fact]
    public async Task Admin_SeesTheHouseholdDueForErasure_AndPlacesALegalHold_AfterFieldErrors()
    {
        await using var app = await TestApp.StartAsync(Providers.Sqlite);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await coach.PostJson("/api/v1/requests", new
        {
            householdId = household, organisationId = s.OrganisationId, serviceCode = "schuldhulp-intake",
            question = "Kan de intake starten?", urgency = "normal", legalBasis = "wettelijke-taak-wgs",
        }).ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Eindevaluatie" }).ExpectAsync(HttpStatusCode.OK);
        app.Clock.SetUtcNow(app.Clock.GetUtcNow().AddYears(5).AddDays(-10));

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.ServerAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "nl-NL",
            TimezoneId = "Europe/Amsterdam",
        });
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Hoofdmenu" }).GetByRole(AriaRole.Link, new() { Name = "Bewaartermijnen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Bewaartermijnen");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = household.ToString() });
        await Expect(row).ToContainTextAsync("schuldhulp");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(6)).ToHaveTextAsync("—");
        await page.AssertAccessibleAsync("bewaartermijnen");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Bewaarplicht vastleggen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaarplicht vastleggen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Het formulier is niet opgeslagen");
        await Expect(page.Locator("#reason-error")).ToContainTextAsync("Geef de reden");
        await Expect(page.Locator("#until-error")).ToContainTextAsync("Geef de datum");
        await Expect(page.GetByLabel("Reden")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertAccessibleAsync("bewaarplicht met fouten");
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM legal_holds"));

        await page.GetByLabel("Reden").FillAsync("Lopende procedure bij de rechtbank");
        await page.GetByLabel("Bewaren tot").FillAsync("2040-12-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaarplicht vastleggen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/beheer/bewaartermijnen$"));
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("2040-12-31");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = household.ToString() }).GetByRole(AriaRole.Cell).Nth(6))
            .ToHaveTextAsync("tot 2040-12-31: Lopende procedure bij de rechtbank");
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM legal_holds WHERE household_id = @household", new { household }));
    }
}
