using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The whole request flow in two browsers at once, each page live: the coach sends a request from the household page;
/// the back office, with its inbox open, sees it appear without reloading, acknowledges and answers it; the coach's
/// household page, open all the while, shows the answer without reloading.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class LiveRequestFlowTests(BrowserApp browser)
{
    private const string SamePage = "() => window.frontlijnSamePage === true";

    [Fact]
    public async Task CoachSendsRequest_BackOfficeSeesItLive_AnswersIt_CoachSeesAnswerLive()
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        var s = world.S;

        // The back office opens its inbox and leaves it open.
        await using var backOfficeContext = await browser.NewContextAsync();
        var inbox = await backOfficeContext.NewPageAsync();
        await inbox.SignInAsync(s.BackOffice);
        await inbox.GotoAsync("/verzoeken");
        await Expect(inbox.Locator("body")).ToHaveAttributeAsync("data-realtime", "connected");
        await Expect(inbox.Locator("#verzoeken-lijst tbody tr")).ToHaveCountAsync(0);
        await inbox.EvaluateAsync("() => { window.frontlijnSamePage = true; }");

        // The coach sends a request from the household page.
        await using var coachContext = await browser.NewContextAsync(375, 812);
        var coach = await coachContext.NewPageAsync();
        await coach.SignInAsync(s.Coach);
        await coach.GotoAsync($"/huishoudens/{world.HouseholdId}");
        await coach.GetByRole(AriaRole.Link, new() { Name = "Verzoek versturen" }).ClickAsync();
        await coach.GetByLabel("Organisatie en dienst").SelectOptionAsync(new SelectOptionValue { Label = "Intake (5 werkdagen, spoed 1)" });
        await coach.GetByLabel("Vraag").FillAsync("Kan de intake voor schuldhulp deze maand starten?");
        await coach.AssertAccessibleAsync("send request form (phone)");
        await coach.ScreenshotAsync("coach-anna-verzoek-versturen-phone");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Verzoek versturen" }).ClickAsync();
        // The redirect's URL is what this waits for; the page's content is awaited by the assertions below (the load
        // event of the household page, with its live regions, once took over 30 s on a loaded CI machine).
        await coach.WaitForURLAsync(new Regex($"/huishoudens/{world.HouseholdId}$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(coach.Locator("[role=status]").First).ToContainTextAsync("is verstuurd", new() { Timeout = 30_000 });
        await Expect(coach.Locator("#huishouden-verzoeken [data-status]")).ToHaveTextAsync("Verstuurd");
        await Expect(coach.Locator("body")).ToHaveAttributeAsync("data-realtime", "connected");
        await coach.EvaluateAsync("() => { window.frontlijnSamePage = true; }");

        // The inbox shows it without a reload.
        await Expect(inbox.Locator("#verzoeken-lijst tbody tr")).ToHaveCountAsync(1);
        await Expect(inbox.Locator("#verzoeken-lijst tbody tr")).ToContainTextAsync("Intake");
        await Expect(inbox.Locator("#bell-count")).ToHaveTextAsync("1");
        Assert.True(await inbox.EvaluateAsync<bool>(SamePage), "the inbox was reloaded");
        await inbox.AssertAccessibleAsync("inbox with a live request");
        await inbox.ScreenshotAsync("schuldhulp-pieter-verzoeken-live-desktop");

        // The back office acknowledges and answers it.
        await inbox.Locator("#verzoeken-lijst tbody a").First.ClickAsync();
        await inbox.GetByRole(AriaRole.Button, new() { Name = "In behandeling nemen" }).ClickAsync();
        await Expect(inbox.Locator("#verzoek-status")).ToHaveTextAsync("In behandeling");
        await Expect(coach.Locator("#huishouden-verzoeken [data-status]")).ToHaveTextAsync("In behandeling");
        await inbox.GetByLabel("Antwoord", new() { Exact = true }).FillAsync("Intake gepland op dinsdag 10 maart.");
        await inbox.AssertAccessibleAsync("request page for the back office");
        await inbox.ScreenshotAsync("schuldhulp-pieter-verzoek-desktop");
        await inbox.GetByRole(AriaRole.Button, new() { Name = "Antwoord versturen" }).ClickAsync();
        await Expect(inbox.Locator("#verzoek-status")).ToHaveTextAsync("Beantwoord");

        // The coach's page, open all the while, shows the answer.
        await Expect(coach.Locator("#huishouden-verzoeken [data-status]")).ToHaveTextAsync("Beantwoord");
        await Expect(coach.Locator("#huishouden-verzoeken")).ToContainTextAsync("Intake gepland op dinsdag 10 maart.");
        Assert.True(await coach.EvaluateAsync<bool>(SamePage), "the coach's page was reloaded");
        await coach.AssertAccessibleAsync("household page with a live answer (phone)");
        await coach.ScreenshotAsync("coach-anna-huishouden-antwoord-phone");

        // And the request page shows the answer and the history to the coach.
        await coach.Locator("#huishouden-verzoeken a").First.ClickAsync();
        await Expect(coach.Locator("#verzoek-antwoord")).ToHaveTextAsync("Intake gepland op dinsdag 10 maart.");
        await Expect(coach.Locator(".timeline li")).ToHaveCountAsync(3);
        await coach.AssertAccessibleAsync("answered request for the coach (phone)");
        await coach.ScreenshotAsync("coach-anna-verzoek-beantwoord-phone");
    }
}
