using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Residents;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The resident portal in a real browser on a phone (375 px): a demo resident signs in, sees their contact, plan,
/// consents and who looked at their file, adds a note and their agreement, withdraws a consent — and the coach's
/// household page, open the whole time, shows it without a reload (SignalR). axe on every resident page; a staff URL
/// is 404 to a resident.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ResidentPortalTests(BrowserApp browser)
{
    private const string SamePage = "() => window.frontlijnSamePage === true";

    [Fact]
    public async Task AResidentSignsIn_SeesTheirFile_WithdrawsAConsent_AndTheCoachsOpenPageShowsItLive()
    {
        await browser.App.ResetAsync();
        var world = await ResidentWorld.CreateAsync(browser.App);
        // A team lead looks at the household: the resident will see that in "Wie keek in ons dossier".
        await browser.App.ClientFor(world.Scenario.TeamLead).GetAsync($"/api/v1/households/{world.HouseholdId}");

        await using var coachContext = await browser.NewContextAsync();
        var coach = await coachContext.NewPageAsync();
        await coach.SignInAsync(world.Scenario.Coach);
        await coach.GotoAsync($"/huishoudens/{world.HouseholdId}");
        await Expect(coach.Locator("body")).ToHaveAttributeAsync("data-realtime", "connected");
        await Expect(coach.Locator("#stem-van-het-huishouden")).ToContainTextAsync("Nog niemand heeft laten weten");
        await coach.EvaluateAsync("() => { window.frontlijnSamePage = true; }");

        await using var residentContext = await browser.NewContextAsync(375, 812);
        var resident = await residentContext.NewPageAsync();
        await resident.GotoAsync("/mijn");
        await resident.WaitForURLAsync(new Regex("/mijn/aanmelden"));
        await resident.AssertAccessibleAsync("resident sign-in (phone)");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Sandra Bosma" }).ClickAsync();
        await resident.WaitForURLAsync(new Regex("/mijn$"));

        await Expect(resident.Locator("#contact")).ToContainTextAsync("coach.anna");
        await Expect(resident.Locator("#contact")).ToContainTextAsync("Frontlijnteam Oost");
        await Expect(resident.Locator("#plan")).ToContainTextAsync("De vaste lasten worden op tijd betaald.");
        await Expect(resident.Locator("#plan")).ToContainTextAsync("Aanmelden bij budgetbeheer");
        await Expect(resident.Locator("#organisaties")).ToContainTextAsync("Huisartsenpraktijk Heechterp");
        await Expect(resident.Locator("#verzoeken")).ToContainTextAsync("Schuldhulp Leeuwarden");
        await Expect(resident.Locator("#verzoeken")).ToContainTextAsync("Verstuurd, nog niet in behandeling");
        await Expect(resident.Locator($"#toestemming-{world.SandraConsentId}")).ToContainTextAsync("Geldig");
        // Piet's consent is shown, but only Piet can withdraw it.
        await Expect(resident.Locator($"#toestemming-{world.PietConsentId} a")).ToHaveCountAsync(0);
        await resident.AssertAccessibleAsync("resident overview (phone)");
        await resident.ScreenshotAsync("bewoner-sandra-mijn-huishouden-phone");

        // An empty note is refused at the field, and the summary links to it.
        var noteField = resident.GetByLabel("Uw opmerking bij dit doel");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Opmerking opslaan" }).ClickAsync();
        await Expect(resident.Locator($"#opmerking-fout-{world.GoalId}")).ToContainTextAsync("Schrijf uw opmerking");
        await Expect(noteField).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(resident.Locator($"#formulierfouten a[href='#opmerking-{world.GoalId}']")).ToHaveCountAsync(1);
        await resident.AssertAccessibleAsync("resident note with an error (phone)");
        await resident.GetByLabel("Uw opmerking bij dit doel").FillAsync("Ik wil eerst de huur regelen.");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Opmerking opslaan" }).ClickAsync();
        await Expect(resident.Locator("[role=status]").First).ToContainTextAsync("Uw opmerking is opgeslagen");
        await Expect(resident.Locator("#plan")).ToContainTextAsync("Sandra Bosma");
        await resident.GetByLabel("Ja, ik ben het eens").CheckAsync();
        await resident.GetByRole(AriaRole.Button, new() { Name = "Opslaan", Exact = true }).ClickAsync();
        await Expect(resident.Locator("[role=status]").First).ToContainTextAsync("u bent het eens met het plan");

        // The coach's page, never reloaded, shows the note and the agreement.
        await Expect(coach.Locator("#stem-van-het-huishouden")).ToContainTextAsync("Ik wil eerst de huur regelen.");
        await Expect(coach.Locator("#stem-van-het-huishouden")).ToContainTextAsync("Sandra Bosma: eens");

        // Withdraw Sandra's consent, after one confirmation.
        var withdraw = resident.Locator($"#toestemming-{world.SandraConsentId}").GetByRole(AriaRole.Link, new() { Name = "Intrekken" });
        await Expect(withdraw).ToContainTextAsync("Schuldhulp Leeuwarden");
        await withdraw.ClickAsync();
        await resident.WaitForURLAsync(new Regex("/intrekken$"));
        await resident.AssertAccessibleAsync("withdraw confirmation (phone)");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Ja, toestemming intrekken" }).ClickAsync();
        await resident.WaitForURLAsync(new Regex("/mijn"));
        await Expect(resident.Locator("[role=status]").First).ToContainTextAsync("ingetrokken");
        await Expect(resident.Locator($"#toestemming-{world.SandraConsentId} .consent-status")).ToContainTextAsync("Ingetrokken op");

        await Expect(coach.Locator("#stem-van-het-huishouden")).ToContainTextAsync("ingetrokken door Sandra Bosma");
        await Expect(coach.Locator("#bell-count")).Not.ToHaveTextAsync("0");
        Assert.True(await coach.EvaluateAsync<bool>(SamePage), "the coach's household page was reloaded");
        await coach.AssertAccessibleAsync("household page with the household's voice");

        // Who looked at the file: the team lead, by team and role, not by name.
        await resident.GetByRole(AriaRole.Link, new() { Name = "Wie keek in ons dossier" }).First.ClickAsync();
        await resident.WaitForURLAsync(new Regex("/mijn/inzage$"));
        await Expect(resident.Locator(".access-log")).ToContainTextAsync("Teamleider bij Frontlijnteam Oost");
        await Expect(resident.Locator(".access-log")).Not.ToContainTextAsync("lead.sanne");
        await resident.AssertAccessibleAsync("resident access log (phone)");
        await resident.ScreenshotAsync("bewoner-sandra-inzage-phone");

        // A staff URL, even of their own household, is 404 to a resident.
        foreach (var staff in new[] { $"/huishoudens/{world.HouseholdId}", "/verzoeken", "/team/caseload", "/beheer/gebruikers" })
        {
            var response = await resident.GotoAsync(staff);
            Assert.Equal(404, response!.Status);
        }
        await resident.AssertAccessibleAsync("not found page for a resident (phone)");
    }

    [Fact]
    public async Task TheResidentPagesWithoutASession_AreAccessibleOnAPhone()
    {
        await browser.App.ResetAsync();
        await using var context = await browser.NewContextAsync(375, 812);
        var page = await context.NewPageAsync();
        foreach (var reason in new[] { "onbekend", "niveau", "fout" })
        {
            await page.GotoAsync($"/mijn/aanmelden/geweigerd?reden={reason}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Inloggen lukt niet");
            await page.AssertAccessibleAsync($"resident sign-in refused ({reason}, phone)");
        }
        await page.GotoAsync("/mijn/aanmelden?sessie=verlopen");
        await Expect(page.Locator("[role=alert]")).ToContainTextAsync("automatisch uitgelogd");
        await page.AssertAccessibleAsync("resident sign-in after an expired session (phone)");
    }
}
