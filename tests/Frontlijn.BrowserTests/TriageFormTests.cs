using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The triage form (issue 10): as it comes it can be submitted (a new household in the neighbourhood that covers the
/// address, with a coach of the team), and a refusal is shown at the field of the signal whose form was posted, with
/// the summary linking there.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class TriageFormTests(BrowserApp browser)
{
    [Fact]
    public async Task TheDefaults_CanBeSubmitted_AndARefusalIsShownAtTheFieldOfThatSignal()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        var backOffice = browser.App.ClientFor(s.BackOffice);
        var first = (await backOffice.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 40), "Huurachterstand van drie maanden"))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");
        var second = (await backOffice.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 41), "Kinderen vaak niet op school"))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");
        var firstKey = first.ToString("N");
        var secondKey = second.ToString("N");

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync("/team/triage");
        await page.AssertAccessibleAsync("triage queue");

        // Bad input on the second signal: a new household with "its current coach" (it has none), a reason too long.
        await page.Locator($"#coach-{secondKey}").SelectOptionAsync("");
        await page.Locator($"#reden-{secondKey}").FillAsync(new string('x', 1001));
        await page.Locator($"article:has(#coach-{secondKey})").GetByRole(AriaRole.Button, new() { Name = "Signaal toewijzen" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator($"#reden-{secondKey}-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator($"#reden-{secondKey}")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator($"#formulierfouten a[href='#reden-{secondKey}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#reden-{firstKey}-error")).ToBeEmptyAsync();
        await page.AssertAccessibleAsync("triage with an error");
        await page.Locator($"#reden-{secondKey}").FillAsync("Past bij Bram");
        await page.Locator($"article:has(#coach-{secondKey})").GetByRole(AriaRole.Button, new() { Name = "Signaal toewijzen" }).ClickAsync();
        await Expect(page.Locator($"#coach-{secondKey}-error")).ToHaveTextAsync("Dit huishouden heeft nog geen coach: kies er een.");
        await Expect(page.Locator($"#formulierfouten a[href='#coach-{secondKey}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#reden-{secondKey}")).ToHaveValueAsync("Past bij Bram");
        await page.ScreenshotAsync("lead-sanne-triage-fout-desktop");
        Assert.Equal(2, await browser.App.ScalarAsync<int>("SELECT COUNT(*) FROM signals WHERE status = 'untriaged'"));

        // The first signal's form as it came: a new household, Oost's neighbourhood, the first coach by name.
        await Expect(page.Locator($"#wijk-{firstKey} option:checked")).ToHaveTextAsync("Heechterp-Schieringen");
        await Expect(page.Locator($"#coach-{firstKey} option:checked")).ToHaveTextAsync(s.Coach);
        await page.Locator($"article:has(#coach-{firstKey})").GetByRole(AriaRole.Button, new() { Name = "Signaal toewijzen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync($"Het signaal is bij {s.Coach} terechtgekomen (nieuw huishouden).");
        Assert.Equal("triaged", await browser.App.ScalarAsync<string>("SELECT status FROM signals WHERE id = @first", new { first }));

        // The second one, with a coach chosen.
        await page.Locator($"#coach-{secondKey}").SelectOptionAsync(new SelectOptionValue { Label = s.SecondCoach });
        await page.Locator($"article:has(#coach-{secondKey})").GetByRole(AriaRole.Button, new() { Name = "Signaal toewijzen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync($"Het signaal is bij {s.SecondCoach} terechtgekomen (nieuw huishouden).");
        await Expect(page.GetByText("Er wachten geen signalen op triage.")).ToBeVisibleAsync();
    }
}
