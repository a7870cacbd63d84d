using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// Every page every role can open, checked by axe (WCAG 2.1 A and AA) at desktop and phone width, and saved as a
/// screenshot of each (artifacts for review).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessibilityTests(BrowserApp browser)
{
    public static TheoryData<string> Roles => new() { "anonymous", "admin", "coach.anna", "lead.sanne", "schuldhulp.pieter" };

    [Theory, MemberData(nameof(Roles))]
    public async Task EveryPage_HasNoWcagViolations_AtDesktopAndPhoneWidth(string user)
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        var s = world.S;
        var request = (await world.SendAsync())["id"]!.GetValue<Guid>();
        // An unknown address in the team's area: it waits in the triage queue.
        await browser.App.ClientFor(s.BackOffice).PostJson("/api/v1/signals", Builders.ASignal(
            new { street = "Heechterp", houseNumber = 40, postalCode = "8925 AB", city = "Leeuwarden" }))
            .ExpectAsync(System.Net.HttpStatusCode.Created);
        var pages = PagesOf(user, s, world.HouseholdId, request);

        foreach (var (width, height, size) in new[] { (1280, 800, "desktop"), (375, 812, "phone") })
        {
            await using var context = await browser.NewContextAsync(width, height);
            var page = await context.NewPageAsync();
            if (user != "anonymous") await page.SignInAsync(user);
            foreach (var (path, name) in pages)
            {
                await page.GotoAsync(path);
                await page.AssertAccessibleAsync($"{name} as {user} ({size})");
                await page.ScreenshotAsync($"{Slug(user)}-{name}-{size}");
            }
            if (user == "admin")
            {
                // The states a person meets on the way: a refused form, and the open notification panel.
                await page.GotoAsync("/beheer/gebruikers/nieuw");
                await page.GetByRole(AriaRole.Button, new() { Name = "Gebruiker toevoegen" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
                await page.AssertAccessibleAsync($"refused user form ({size})");
                await page.ScreenshotAsync($"admin-gebruiker-fouten-{size}");

                await page.GotoAsync("/");
                await page.GetByRole(AriaRole.Button, new() { Name = "Meldingen" }).ClickAsync();
                await Expect(page.Locator("#bell-panel")).ToBeVisibleAsync();
                await page.AssertAccessibleAsync($"notification panel ({size})");
                await page.ScreenshotAsync($"admin-meldingen-{size}");
            }
        }
    }

    private static List<(string Path, string Name)> PagesOf(string user, Scenario s, Guid household, Guid request) => user switch
    {
        "anonymous" => [("/aanmelden", "aanmelden"), ("/bestaat-niet", "niet-gevonden")],
        "admin" =>
        [
            ("/", "overzicht"),
            ("/beheer/wijken", "wijken"), ("/beheer/wijken/nieuw", "wijk-nieuw"),
            ("/beheer/teams", "teams"), ("/beheer/teams/nieuw", "team-nieuw"), ($"/beheer/teams/{s.TeamId}", "team"),
            ("/beheer/organisaties", "organisaties"), ("/beheer/organisaties/nieuw", "organisatie-nieuw"),
            ($"/beheer/organisaties/{s.OrganisationId}", "organisatie"),
            ("/beheer/gebruikers", "gebruikers"), ("/beheer/gebruikers/nieuw", "gebruiker-nieuw"),
            ("/beheer/webhooks", "webhooks"), ("/beheer/bewaartermijnen", "bewaartermijnen"),
        ],
        "coach.anna" =>
        [
            ("/", "overzicht"), ("/huishoudens/nieuw", "huishouden-nieuw"), ($"/huishoudens/{household}", "huishouden"),
            ($"/huishoudens/{household}/verzoek", "verzoek-nieuw"), ($"/huishoudens/{household}/toestemming", "toestemming"),
            ($"/huishoudens/{household}/betrokkenheid", "betrokkenheid"), ($"/huishoudens/{household}/meting", "zrm-meting"),
            ($"/huishoudens/{household}/plan", "gezinsplan"), ($"/huishoudens/{household}/overdragen", "overdragen"),
            ("/verzoeken", "verzoeken"), ($"/verzoeken/{request}", "verzoek"), ("/beheer/wijken", "geen-toegang"),
        ],
        "lead.sanne" =>
        [
            ("/", "overzicht"), ("/team/triage", "triage"), ("/team/caseload", "caseload"), ("/team/rapportages", "rapportages"),
            ($"/team/rapportages/uitkomst/{household}", "uitkomst"), ($"/huishoudens/{household}", "huishouden"),
            ($"/huishoudens/{household}/overdragen", "toewijzen"), ("/verzoeken?filter=te-laat", "verzoeken-te-laat"),
            ($"/verzoeken/{request}", "verzoek"), ("/beheer/wijken", "geen-toegang"),
        ],
        "schuldhulp.pieter" =>
        [
            ("/", "overzicht"), ("/verzoeken", "verzoeken"), ($"/verzoeken/{request}", "verzoek"),
            ($"/huishoudens/{household}", "huishouden-niet-gevonden"), ("/beheer/wijken", "geen-toegang"),
        ],
        // Other roles: their home page, and what they see when they try an admin page.
        _ => [("/", "overzicht"), ("/beheer/wijken", "geen-toegang")],
    };

    private static string Slug(string user) => user.Replace('.', '-');
}
