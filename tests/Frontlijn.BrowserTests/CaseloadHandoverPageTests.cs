using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>The team lead's caseload page: "Caseload overdragen" hands a coach's whole caseload over in one step.</summary>
[Collection(BrowserGroup.Name)]
public sealed class CaseloadHandoverPageTests(BrowserApp browser)
{
    [Fact]
    public async Task TeamLead_HandsOverACoachsCaseload_AfterDutchFieldErrors_ThenTheCoachCanBeDeactivated()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        var anna = browser.App.ClientFor(s.Coach);
        var first = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1, familyName: "Bosma")).Id();
        var second = (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2, familyName: "Visser")).Id();

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync("/team/caseload");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Caseload overdragen van {s.Coach}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = $"Caseload van {s.Coach} overdragen" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("caseload handover form");

        await page.GetByRole(AriaRole.Button, new() { Name = "Caseload overdragen" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#tocoaches-error")).ToContainTextAsync("Geef minstens één coach");
        await Expect(page.Locator("#reason-error")).ToHaveTextAsync("'Reden' mag niet leeg zijn.");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"{s.SecondCoach} (ruimte: 20)" }).CheckAsync();
        await page.GetByLabel("Reden").FillAsync("Coach vertrekt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Caseload overdragen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("2 huishoudens zijn overgedragen.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = s.Coach }).GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("0");

        var lead = browser.App.ClientFor(s.TeamLead);
        foreach (var household in new[] { first, second })
        {
            var read = await lead.GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(s.SecondCoachId, read["coach"]!.Id());
        }
        // Nothing open any more: the coach can be deactivated.
        var patch = new StringContent("""{"active": false}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        await browser.App.ClientFor("admin").PatchAsync($"/api/v1/users/{s.CoachId}", patch).ExpectAsync(HttpStatusCode.OK);
    }
}
