using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// Closing and reopening from the household page: each step asks for confirmation with a reason (an empty one is
/// refused at the field), the final closure withdraws the open request, and the team lead reopens and goes on to
/// choose a coach.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class HouseholdClosePagesTests(BrowserApp browser)
{
    [Fact]
    public async Task TheCoachClosesInTwoConfirmedSteps_AndTheTeamLeadReopens()
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        var request = (await world.SendAsync()).Id();
        await using var context = await browser.NewContextAsync();
        var coach = await context.NewPageAsync();
        await coach.SignInAsync(world.S.Coach);
        var household = $"/huishoudens/{world.HouseholdId}";
        await coach.GotoAsync(household);

        await coach.GetByRole(AriaRole.Link, new() { Name = "Afsluitfase starten" }).ClickAsync();
        await Expect(coach.Locator(".lead")).ToContainTextAsync("Weet u het zeker?");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Afsluitfase starten" }).ClickAsync();
        await Expect(coach.Locator("#reden-error")).Not.ToBeEmptyAsync();
        await coach.AssertAccessibleAsync("closure form with an error");
        await coach.GetByLabel("Reden van afsluiten").FillAsync("Doelen bereikt");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Afsluitfase starten" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.Locator("[role=status]").First).ToContainTextAsync("afsluitfase");

        await coach.GetByRole(AriaRole.Link, new() { Name = "Definitief afsluiten" }).ClickAsync();
        await Expect(coach.Locator(".lead")).ToContainTextAsync("ingetrokken");
        await coach.GetByLabel("Reden van afsluiten").FillAsync("Eindevaluatie gedaan");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Definitief afsluiten" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.Locator("[role=status]").First).ToContainTextAsync("afgesloten");
        Assert.Equal("withdrawn", (await world.GetAsync(request, browser.App.ClientFor(world.S.TeamLead)))["status"]!.GetValue<string>());

        await using var leadContext = await browser.NewContextAsync();
        var lead = await leadContext.NewPageAsync();
        await lead.SignInAsync(world.S.TeamLead);
        await lead.GotoAsync(household);
        await lead.GetByRole(AriaRole.Link, new() { Name = "Heropenen" }).ClickAsync();
        await lead.GetByRole(AriaRole.Button, new() { Name = "Heropenen" }).ClickAsync();
        await Expect(lead.Locator("#reden-error")).Not.ToBeEmptyAsync();
        await lead.GetByLabel("Reden van heropenen").FillAsync("Het gezin meldt zich opnieuw");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Heropenen" }).ClickAsync();
        await lead.WaitForURLAsync(new Regex($"{household}/overdragen$"));
        await Expect(lead.Locator("[role=status]").First).ToContainTextAsync("heropend");
    }
}
