using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

[Collection(BrowserGroup.Name)]
public sealed class AdminPagesTests(BrowserApp browser)
{
    [Fact]
    public async Task Admin_CreatesNeighbourhood_AfterDutchFieldErrors_AndSeesTheNewRow()
    {
        await browser.App.ResetAsync();
        await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");

        await page.GotoAsync("/beheer/wijken");
        await page.GetByRole(AriaRole.Link, new() { Name = "Wijk toevoegen" }).ClickAsync();
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync("LW hs!");
        await page.GetByLabel("Gemeente").FillAsync("Leeuwarden");
        await page.GetByLabel("Postcodegebieden").FillAsync("8924, 12, abcd");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijk toevoegen" }).ClickAsync();

        // The command's own validator, in Dutch, next to each field; the summary takes focus.
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Het formulier is niet opgeslagen");
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#code-error")).ToHaveTextAsync("Code bestaat uit letters, cijfers en koppeltekens.");
        await Expect(page.Locator("#name-error")).ToHaveTextAsync("'Naam' mag niet leeg zijn.");
        await Expect(page.Locator("#postal-error")).ToHaveTextAsync("Een postcodegebied is een PC4-code van vier cijfers, zoals 8925.");
        await Expect(page.GetByLabel("Naam", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Gemeente")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Gemeente")).ToHaveValueAsync("Leeuwarden");

        // A code that exists is a conflict from the handler: shown for the whole form.
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync("LW-HS");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Vrijheidswijk");
        await page.GetByLabel("Postcodegebieden").FillAsync("8921");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijk toevoegen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Er is al een wijk met code 'LW-HS'.");

        await page.GetByLabel("Code", new() { Exact = true }).FillAsync("LW-VW");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijk toevoegen" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/beheer/wijken$"));
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Wijk Vrijheidswijk (LW-VW) is toegevoegd.");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "LW-VW" });
        await Expect(row.GetByRole(AriaRole.Cell)).ToHaveTextAsync(["LW-VW", "Vrijheidswijk", "Leeuwarden", "8921"]);
        Assert.Equal(1, await browser.App.ScalarAsync<int>("SELECT COUNT(*) FROM neighbourhoods WHERE code = 'LW-VW'"));
    }

    [Fact]
    public async Task Admin_CreatesTeamOrganisationAndUser_ThroughTheForms()
    {
        await browser.App.ResetAsync();
        await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");

        await page.GotoAsync("/beheer/teams/nieuw");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Wijkteam Noord");
        await page.GetByRole(AriaRole.Button, new() { Name = "Team toevoegen" }).ClickAsync();
        await Expect(page.Locator("#wijken-error")).ToHaveTextAsync("Een team werkt in minstens één wijk.");
        await page.GetByLabel("Heechterp-Schieringen").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Team toevoegen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Wijkteam Noord" })).ToContainTextAsync("Heechterp-Schieringen");

        await page.GotoAsync("/beheer/organisaties/nieuw");
        await page.GetByLabel("Naam", new() { Exact = true }).First.FillAsync("GGD Fryslân");
        await page.GetByLabel("Soort").FillAsync("ggd");
        await page.GetByRole(AriaRole.Button, new() { Name = "Nog een dienst toevoegen" }).ClickAsync();
        var first = page.GetByRole(AriaRole.Group, new() { Name = "Dienst 1" });
        var second = page.GetByRole(AriaRole.Group, new() { Name = "Dienst 2" });
        await first.GetByLabel("Naam").FillAsync("Zorgmelding");
        await first.GetByLabel("Dienstcode").FillAsync("zorgmelding");
        await second.GetByLabel("Naam").FillAsync("Spoedconsult");
        await second.GetByLabel("Dienstcode").FillAsync("spoedconsult");
        await second.GetByLabel("Termijn", new() { Exact = true }).FillAsync("2");
        await second.GetByLabel("Bij spoed").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Organisatie toevoegen" }).ClickAsync();
        await Expect(page.Locator("#service-1-urgent-error")).ToHaveTextAsync("Een spoedverzoek krijgt niet meer tijd dan een gewoon verzoek.");
        await page.GetByRole(AriaRole.Group, new() { Name = "Dienst 2" }).GetByLabel("Bij spoed").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Organisatie toevoegen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Organisatie GGD Fryslân is toegevoegd met 2 diensten.");
        await page.GetByRole(AriaRole.Link, new() { Name = "GGD Fryslân" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "spoedconsult" }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync(["Spoedconsult", "spoedconsult", "2", "1", "Geen tarief", "Actief", "Aanpassen dienst Spoedconsult"]);

        await page.GotoAsync("/beheer/gebruikers/nieuw");
        await page.GetByLabel("Gebruikersnaam").FillAsync("ggd.ilse");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Ilse Kramer");
        await page.GetByLabel("Rol").SelectOptionAsync(new SelectOptionValue { Label = "Backoffice" });
        // Only the organisation applies to a back-office user; team and caseload are hidden and not sent.
        await Expect(page.GetByLabel("Team")).ToBeHiddenAsync();
        await page.GetByLabel("Organisatie").SelectOptionAsync(new SelectOptionValue { Label = "GGD Fryslân" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Gebruiker toevoegen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Gebruiker Ilse Kramer (ggd.ilse) is toegevoegd.");
        await page.GetByLabel("Rol").SelectOptionAsync(new SelectOptionValue { Label = "Backoffice" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filteren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ggd.ilse" }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync(["ggd.ilse", "Ilse Kramer", "Backoffice", "GGD Fryslân", "—", "niet gekoppeld", "Actief"]);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "coach.anna" })).ToHaveCountAsync(0);
    }
}
