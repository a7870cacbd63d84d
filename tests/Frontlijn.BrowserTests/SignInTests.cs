using System.Text.Json;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

[Collection(BrowserGroup.Name)]
public sealed class SignInTests(BrowserApp browser)
{
    [Theory]
    [InlineData("admin", "Beheerder", "Beheer", "Functioneel beheerder")]
    [InlineData("coach.anna", "Wijkcoach", "Mijn caseload")]
    [InlineData("lead.sanne", "Teamleider", "Teamoverzicht: Frontlijnteam Oost")]
    [InlineData("schuldhulp.pieter", "Backoffice", "Diensten en reactietermijnen")]
    public async Task DemoPicker_SignsInEachRole_OnThatRolesHomePage(string username, string roleLabel, string section, string? displayName = null)
    {
        await browser.App.ResetAsync();
        await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/aanmelden\\?ReturnUrl=%2F$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = roleLabel, Exact = true })).ToBeVisibleAsync();
        await page.SignInAsync(username);

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Welkom, {displayName ?? username}");
        await Expect(page.Locator(".user-role")).ToHaveTextAsync(roleLabel);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = section, Exact = true })).ToBeVisibleAsync();
        var cookies = await context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "frontlijn-sessie");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
    }

    [Fact]
    public async Task Navigation_ShowsAdminPagesOnlyToAdmins_AndSignOutEndsTheSession()
    {
        await browser.App.ResetAsync();
        await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("coach.anna");
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Hoofdmenu" });
        await Expect(nav.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Overzicht", "Verzoeken", "Signaal melden", "Huisbezoeken"]);

        await page.GotoAsync("/beheer/wijken");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/geen-toegang"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Geen toegang");

        await page.GetByRole(AriaRole.Button, new() { Name = "Afmelden" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/aanmelden$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/aanmelden"));

        await page.SignInAsync("admin");
        await Expect(nav.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Overzicht", "Wijken", "Teams", "Organisaties", "Gebruikers", "Webhooks", "Bewaartermijnen"]);
    }

    [Fact]
    public async Task Page_OpenedWithBearerHeader_RendersForThatUser_WithoutACookie()
    {
        await browser.App.ResetAsync();
        await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync(bearerFor: "admin");
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/beheer/wijken");

        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Wijken");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Heechterp-Schieringen" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "frontlijn-sessie");
    }

    [Fact]
    public async Task Api_WithTheSessionCookie_StillAnswersProblemJson_NeverARedirect()
    {
        await browser.App.ResetAsync();
        await Scenario.CreateAsync(browser.App);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("coach.anna");

        // The cookie authenticates API calls from the pages' own scripts...
        var teams = await context.APIRequest.GetAsync("/api/v1/teams");
        Assert.Equal(200, teams.Status);
        // ...and a refusal stays a 403 problem+json, not the HTML sign-in or access-denied page.
        var users = await context.APIRequest.GetAsync("/api/v1/users", new() { MaxRedirects = 0 });
        Assert.Equal(403, users.Status);
        Assert.StartsWith("application/problem+json", users.Headers["content-type"], StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(await users.TextAsync());
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());

        await using var anonymous = await browser.NewContextAsync();
        var refused = await anonymous.APIRequest.GetAsync("/api/v1/teams", new() { MaxRedirects = 0 });
        Assert.Equal(401, refused.Status);
        Assert.StartsWith("application/problem+json", refused.Headers["content-type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_SendTheStrictContentSecurityPolicy_AndTheApiKeepsItsOwn()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var signIn = await page.GotoAsync("/aanmelden");
        var api = await context.APIRequest.GetAsync("/api/v1/teams");

        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
            await signIn!.HeaderValueAsync("content-security-policy"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", api.Headers["content-security-policy"]);
    }

    [Fact]
    public async Task SkipLink_IsTheFirstTabStop_AndMovesFocusToTheMainContent()
    {
        await browser.App.ResetAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");

        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Naar de inhoud" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
    }
}
