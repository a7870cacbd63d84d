using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The send-request page offers the configured legal bases (Requests:LegalBases) as a select, each with its law; a
/// request sent on one without a consent shows that basis and its law.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SendRequestLegalBasisTests(BrowserApp browser)
{
    [Fact]
    public async Task TheSendRequestPage_OffersTheConfiguredLegalBasesWithTheirLaw_AndSendsOnOne()
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var coach = await context.NewPageAsync();
        await coach.SignInAsync(world.S.Coach);
        await coach.GotoAsync($"/huishoudens/{world.HouseholdId}/verzoek");

        var options = await coach.GetByLabel("Grondslag").Locator("option").AllTextContentsAsync();
        Assert.Equal(
        [
            "Toestemming van het huishouden",
            "zwaarwegend-belang — AVG art. 6(1)(d)/(e) / WGBO 7:457",
            "wettelijke-taak-jeugdwet — Jeugdwet art. 7.4.0",
            "wettelijke-taak-wmo — Wmo 2015 art. 5.2.1",
            "wettelijke-taak-participatiewet — Participatiewet art. 7 (taak van het college)",
            "wettelijke-taak-wgs — Wet gemeentelijke schuldhulpverlening art. 8a",
        ], options.Select(o => o.Trim()).ToList());

        // No consent exists for the housing corporation: the legal basis carries the request.
        await coach.GetByLabel("Organisatie en dienst").SelectOptionAsync(new SelectOptionValue { Label = "Huurachterstand (5 werkdagen, spoed 1)" });
        await coach.GetByLabel("Vraag").FillAsync("Kan de ontruiming worden aangehouden zolang de schuldhulp loopt?");
        await coach.GetByLabel("Grondslag").SelectOptionAsync("wettelijke-taak-wgs");
        await coach.AssertAccessibleAsync("send request form with a legal basis");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Verzoek versturen" }).ClickAsync();
        // The redirect's URL is what this waits for; the page's content is awaited by the assertions below (the load
        // event of the household page, with its live regions, once took over 30 s on a loaded CI machine).
        await coach.WaitForURLAsync(new Regex($"/huishoudens/{world.HouseholdId}$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(coach.Locator("[role=status]").First).ToContainTextAsync("is verstuurd", new() { Timeout = 30_000 });

        await coach.Locator("#huishouden-verzoeken a").First.ClickAsync();
        await Expect(coach.Locator(".facts")).ToContainTextAsync("wettelijke-taak-wgs (Wet gemeentelijke schuldhulpverlening art. 8a)");
    }
}
