using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>The admin's user page: edit through PATCH's command, deactivate with a confirmation step.</summary>
[Collection(BrowserGroup.Name)]
public sealed class UserEditTests(BrowserApp browser)
{
    [Fact]
    public async Task Admin_EditsAUser_WithFieldErrors_AndDeactivation_EndsThatUsersOpenSession()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        await browser.App.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId);

        // Bram is signed in in his own browser.
        await using var bramContext = await browser.NewContextAsync();
        var bram = await bramContext.NewPageAsync();
        await bram.SignInAsync(s.SecondCoach);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");
        await page.GotoAsync("/beheer/gebruikers");
        await page.GetByRole(AriaRole.Link, new() { Name = s.Coach, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Gebruiker {s.Coach}");
        await page.AssertAccessibleAsync("user edit page");

        await page.GetByLabel("Weergavenaam").FillAsync("");
        await page.GetByLabel("Maximale caseload").FillAsync("500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#displayname-error")).ToContainTextAsync("'Weergavenaam' mag niet leeg zijn.");
        await Expect(page.Locator("#caseload-error")).ToContainTextAsync("Maximale caseload");
        await Expect(page.GetByLabel("Weergavenaam")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByLabel("Weergavenaam").FillAsync("Anna de Vries");
        await page.GetByLabel("Maximale caseload").FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync($"Gebruiker Anna de Vries ({s.Coach}) is opgeslagen.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = s.Coach }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync([s.Coach, "Anna de Vries", "Wijkcoach", "Frontlijnteam Oost", "25", "niet gekoppeld", "Actief"]);

        // Anna is still the contact of a household: deactivation is refused, with the count, after confirming.
        await page.GetByRole(AriaRole.Link, new() { Name = s.Coach, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Deactiveren" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, deactiveren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 open huishouden");

        // Bram has none: deactivated, and his open page goes to sign-in with the reason.
        await page.GotoAsync("/beheer/gebruikers");
        await page.GetByRole(AriaRole.Link, new() { Name = s.SecondCoach, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Deactiveren" }).ClickAsync();
        await page.AssertAccessibleAsync("user deactivation confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, deactiveren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("is gedeactiveerd");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = s.SecondCoach }).GetByRole(AriaRole.Cell).Last)
            .ToHaveTextAsync("Gedeactiveerd");

        await bram.ReloadAsync();
        await Expect(bram).ToHaveURLAsync(new Regex("/aanmelden"));
        await Expect(bram.GetByRole(AriaRole.Alert)).ToContainTextAsync("Uw sessie is verlopen");
        await Expect(bram.Locator($"button[name='username'][value='{s.SecondCoach}']")).ToHaveCountAsync(0);
    }
}
