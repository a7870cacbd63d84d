using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>The admin's organisation edit form: PATCH /organisations/{id}'s command, Dutch errors at the field.</summary>
[Collection(BrowserGroup.Name)]
public sealed class OrganisationEditTests(BrowserApp browser)
{
    [Fact]
    public async Task Admin_EditsAnOrganisation_WithFieldErrors_ThenDeactivatesIt_AndNamesAnEscalationContact()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");

        await page.GotoAsync($"/beheer/organisaties/{s.OrganisationId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Wijzigen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Schuldhulp Leeuwarden wijzigen");
        await page.AssertAccessibleAsync("organisation edit page");

        // The command's own rules: an empty name, a kind that is no code, a webhook into the private network.
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Soort").FillAsync("Schuld Hulp");
        await page.GetByLabel("Webhook-URL").FillAsync("https://10.0.0.7/frontlijn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#name-error")).ToHaveTextAsync("'Naam' mag niet leeg zijn.");
        await Expect(page.Locator("#kind-error")).ToContainTextAsync("Soort is een code in kleine letters");
        await Expect(page.Locator("#webhook-error")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("Naam", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertAccessibleAsync("organisation edit page with errors");
        var unchanged = await browser.App.ClientFor("admin").GetAsync($"/api/v1/organisations/{s.OrganisationId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Schuldhulp Leeuwarden", unchanged["name"]!.GetValue<string>());

        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Schuldhulp Friesland");
        await page.GetByLabel("Soort").FillAsync("schuldhulp");
        await page.GetByLabel("Webhook-URL").FillAsync("");
        await page.GetByLabel("Escalatiecontact").SelectOptionAsync(new SelectOptionValue { Label = $"{s.BackOffice} ({s.BackOffice})" });
        await page.GetByLabel("Actief").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First)
            .ToHaveTextAsync("Organisatie Schuldhulp Friesland is opgeslagen (gedeactiveerd: geen nieuwe verzoeken).");
        await Expect(page.GetByText("Gedeactiveerd: krijgt geen nieuwe verzoeken")).ToBeVisibleAsync();

        var saved = await browser.App.ClientFor("admin").GetAsync($"/api/v1/organisations/{s.OrganisationId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Schuldhulp Friesland", saved["name"]!.GetValue<string>());
        Assert.False(saved["active"]!.GetValue<bool>());
        Assert.NotNull(saved["escalationContactId"]);

        // The coach's request form offers only what can still be requested: the other organisation, not this one.
        var household = (await browser.App.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        await using var coachContext = await browser.NewContextAsync();
        var coach = await coachContext.NewPageAsync();
        await coach.SignInAsync(s.Coach);
        await coach.GotoAsync($"/huishoudens/{household}/verzoek");
        await Expect(coach.Locator("optgroup[label='Woningcorporatie Elkien']")).ToHaveCountAsync(1);
        await Expect(coach.Locator("optgroup[label='Schuldhulp Friesland']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_ChangesAServicesResponseTimes_AndAddsOne_AfterDutchFieldErrors()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");
        await page.GotoAsync($"/beheer/organisaties/{s.OrganisationId}");

        await page.GetByLabel("Dienstcode").FillAsync("schuldhulp-intake");
        await page.GetByLabel("Naam van de dienst").FillAsync("Intake");
        await page.GetByLabel("Termijn (werkdagen)", new() { Exact = true }).FillAsync("0");
        await page.GetByLabel("Termijn bij spoed (werkdagen)").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dienst opslaan" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#service-days-error")).ToContainTextAsync("Termijn");
        await page.AssertAccessibleAsync("organisation page with service errors");

        await page.GetByLabel("Termijn (werkdagen)", new() { Exact = true }).FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dienst opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First)
            .ToHaveTextAsync("Dienst Intake is opgeslagen; de termijnen gelden voor verzoeken die vanaf nu worden verstuurd.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "schuldhulp-intake" }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync(["Intake", "schuldhulp-intake", "3", "1", "Geen tarief", "Actief", "Aanpassen dienst Intake"]);

        await page.GetByLabel("Dienstcode").FillAsync("budgetbeheer");
        await page.GetByLabel("Naam van de dienst").FillAsync("Budgetbeheer");
        await page.GetByLabel("Termijn (werkdagen)", new() { Exact = true }).FillAsync("10");
        await page.GetByLabel("Termijn bij spoed (werkdagen)").FillAsync("2");
        await page.GetByLabel("Dienst actief").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dienst opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Dienst Budgetbeheer is toegevoegd.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "budgetbeheer" }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync(["Budgetbeheer", "budgetbeheer", "10", "2", "Geen tarief", "Gedeactiveerd", "Aanpassen dienst Budgetbeheer"]);
    }
}
