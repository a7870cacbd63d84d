using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>The admin's edit forms for teams and neighbourhoods: PATCH's commands, Dutch errors at the field.</summary>
[Collection(BrowserGroup.Name)]
public sealed class TeamAndNeighbourhoodEditTests(BrowserApp browser)
{
    [Fact]
    public async Task Admin_EditsATeamAndANeighbourhood_AfterDutchFieldErrors()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");

        // The team: no name and no neighbourhood are refused at their fields; then renamed, with a second neighbourhood.
        await page.GotoAsync($"/beheer/teams/{s.TeamId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Wijzigen" }).ClickAsync();
        await page.AssertAccessibleAsync("team edit page");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Heechterp-Schieringen").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#name-error")).ToHaveTextAsync("'Naam' mag niet leeg zijn.");
        await Expect(page.Locator("#wijken-error")).ToHaveTextAsync("Een team werkt in minstens één wijk.");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Frontlijnteam Noord-Oost");
        await page.GetByLabel("Heechterp-Schieringen").CheckAsync();
        await page.GetByLabel("Velve-Lindenhof").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Team Frontlijnteam Noord-Oost is opgeslagen.");
        var team = await browser.App.ClientFor("admin").GetAsync($"/api/v1/teams/{s.TeamId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, team["neighbourhoodIds"]!.AsArray().Count);

        // The neighbourhood: a wrong PC4 is refused at the field; then renamed, with other postal codes.
        await page.GotoAsync("/beheer/wijken");
        await page.GetByRole(AriaRole.Link, new() { Name = "Heechterp-Schieringen" }).ClickAsync();
        await page.AssertAccessibleAsync("neighbourhood edit page");
        await Expect(page.GetByLabel("Postcodegebieden")).ToHaveValueAsync("8924, 8925");
        await page.GetByLabel("Postcodegebieden").FillAsync("8925, 89x1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.Locator("#postal-error")).ToHaveTextAsync("Een postcodegebied is een PC4-code van vier cijfers, zoals 8925.");
        await Expect(page.GetByLabel("Postcodegebieden")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Heechterp");
        await page.GetByLabel("Postcodegebieden").FillAsync("8925, 8911");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Wijk Heechterp (LW-HS) is opgeslagen.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "LW-HS" }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync(["LW-HS", "Heechterp", "Leeuwarden", "8911, 8925"]);
    }
}
