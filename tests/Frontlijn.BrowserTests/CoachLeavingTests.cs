using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// A coach leaves, all in the browser: the admin's deactivation is refused while she has open households (the message
/// says how many), the team lead hands her caseload over, the admin deactivates her, and then her demo token gets 401
/// and her open browser session is refused.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CoachLeavingTests(BrowserApp browser)
{
    [Fact]
    public async Task DeactivationIsRefused_ThenTheCaseloadIsHandedOver_ThenTheCoachIsDeactivated_AndHerTokenAndSessionAreRefused()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var anna = app.ClientFor(s.Coach);
        var households = new[]
        {
            (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1, familyName: "Bosma")).Id(),
            (await anna.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2, familyName: "Visser")).Id(),
        };

        // Anna works in her own browser until she leaves.
        await using var annaContext = await browser.NewContextAsync();
        var annaPage = await annaContext.NewPageAsync();
        await annaPage.SignInAsync(s.Coach);
        await anna.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.OK);

        // 1. The admin tries to deactivate her: refused, with the number of open households.
        await using var adminContext = await browser.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await admin.SignInAsync("admin");
        await admin.GotoAsync("/beheer/gebruikers");
        await admin.GetByRole(AriaRole.Link, new() { Name = s.Coach, Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Deactiveren" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ja, deactiveren" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("2 open huishoudens");
        await admin.AssertAccessibleAsync("refused deactivation");
        await anna.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.OK);

        // 2. The team lead hands the whole caseload over to Bram.
        await using var leadContext = await browser.NewContextAsync();
        var lead = await leadContext.NewPageAsync();
        await lead.SignInAsync(s.TeamLead);
        await lead.GotoAsync("/team/caseload");
        await lead.GetByRole(AriaRole.Link, new() { Name = $"Caseload overdragen van {s.Coach}" }).ClickAsync();
        await lead.GetByRole(AriaRole.Checkbox, new() { Name = $"{s.SecondCoach} (ruimte: 20)" }).CheckAsync();
        await lead.GetByLabel("Reden").FillAsync("Coach gaat uit dienst");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Caseload overdragen" }).ClickAsync();
        await Expect(lead.GetByRole(AriaRole.Status).First).ToHaveTextAsync("2 huishoudens zijn overgedragen.");
        foreach (var household in households)
        {
            var read = await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(s.SecondCoachId, read["coach"]!.Id());
        }

        // 3. Now the admin's deactivation goes through.
        await admin.GotoAsync("/beheer/gebruikers");
        await admin.GetByRole(AriaRole.Link, new() { Name = s.Coach, Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Deactiveren" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ja, deactiveren" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status).First).ToContainTextAsync("is gedeactiveerd");
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = s.Coach }).GetByRole(AriaRole.Cell).Last)
            .ToHaveTextAsync("Gedeactiveerd");

        // 4. Her token is refused at once (a fresh client with a freshly signed demo token, too) ...
        await anna.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.Unauthorized);
        await app.ClientFor(s.Coach).GetAsync($"/api/v1/households/{households[0]}").ExpectAsync(HttpStatusCode.Unauthorized);
        // ... and so is her browser session: back to sign-in, and the demo picker no longer offers her.
        await annaPage.ReloadAsync();
        await Expect(annaPage).ToHaveURLAsync(new Regex("/aanmelden"));
        await Expect(annaPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("Uw sessie is verlopen");
        await Expect(annaPage.Locator($"button[name='username'][value='{s.Coach}']")).ToHaveCountAsync(0);
        // Her history stays: the households' coach history still names her.
        var history = await app.ClientFor(s.TeamLead).GetAsync($"/api/v1/households/{households[0]}/coach-history").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(history.AsArray(), a => a!.Id("coachId") == s.CoachId);
    }
}
