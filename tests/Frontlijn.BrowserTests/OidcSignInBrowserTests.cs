using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Identity;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The service in oidc mode (SQLite) against a real OpenID provider process on loopback, and the sign-in a person does:
/// the sign-in page's button, the provider's login form, authorization code + PKCE back to the web app.
/// </summary>
public sealed class OidcBrowserApp : IAsyncLifetime
{
    public OidcProvider Idp { get; private set; } = null!;
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Idp = await OidcProvider.StartAsync();
        App = await TestApp.StartAsync(Providers.Sqlite, Idp.AppSettings());
    }

    /// <summary>An empty installation whose bootstrap admin is bound; the clock at real time, as the provider's.</summary>
    public async Task<OidcWorld> ResetAsync()
    {
        await App.ResetAsync();
        if (DateTimeOffset.UtcNow > App.Clock.GetUtcNow()) App.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        return await OidcWorld.CreateAsync(App, Idp);
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Idp is not null) await Idp.DisposeAsync();
    }
}

[Collection(BrowserGroup.Name)]
public sealed class OidcSignInBrowserTests(BrowserApp browser, OidcBrowserApp oidc) : IClassFixture<OidcBrowserApp>
{
    private async Task<IBrowserContext> NewContextAsync() => await browser.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = oidc.App.ServerAddress.ToString().TrimEnd('/'),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        Locale = "nl-NL",
        TimezoneId = "Europe/Amsterdam",
    });

    /// <summary>From the start page through the sign-in page and the provider's login form, as <paramref name="login"/>.</summary>
    private async Task<IPage> SignInThroughProviderAsync(IBrowserContext context, string login)
    {
        var page = await context.NewPageAsync();
        // A stuck sign-in says where it stuck: every response (with its redirect) and console message, e.g. a CSP
        // violation that silently blocks the form's redirect to the provider.
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Response += (_, r) => log.Enqueue($"{r.Status} {r.Request.Method} {r.Url} -> {r.Headers.GetValueOrDefault("location")}");
        page.Console += (_, m) => log.Enqueue("console: " + m.Text);
        try
        {
            return await SignInStepsAsync(page, login);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Sign-in as {login} stuck at {page.Url}:\n{string.Join("\n", log)}", ex);
        }
    }

    private async Task<IPage> SignInStepsAsync(IPage page, string login)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/aanmelden\\?ReturnUrl=%2F$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden met uw organisatieaccount" }).ClickAsync();

        // At the identity provider (another origin on loopback): its own login form.
        await page.WaitForURLAsync(url => url.StartsWith(oidc.Idp.Issuer.ToString().TrimEnd('/') + "/interaction/", StringComparison.Ordinal));
        await page.Locator("input[name='login']").FillAsync(login);
        await page.Locator("input[name='password']").FillAsync("test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(oidc.App.ServerAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)
            && !url.Contains("/aanmelden/oidc", StringComparison.Ordinal));
        return page;
    }

    [Theory]
    [InlineData("admin", "admin", "Beheerder", "Beheer")]
    [InlineData("coach.anna", "coach", "Wijkcoach", "Mijn caseload")]
    [InlineData("lead.sanne", "team-lead", "Teamleider", "Teamoverzicht: Frontlijnteam Oost")]
    [InlineData("schuldhulp.pieter", "back-office", "Backoffice", "Diensten en reactietermijnen")]
    public async Task ProviderSignIn_EveryRole_LandsOnThatRolesStartPage_WithTheirName(
        string username, string role, string roleLabel, string section)
    {
        var world = await oidc.ResetAsync();
        string subject, displayName;
        if (role == "admin")
        {
            (subject, displayName) = (world.AdminSubject, "Functioneel beheerder");
        }
        else
        {
            (_, subject) = await world.BoundUserAsync(username, role);
            displayName = $"Naam van {username}";
        }
        await using var context = await NewContextAsync();

        var page = await SignInThroughProviderAsync(context, subject);

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Welkom, {displayName}");
        await Expect(page.Locator(".user-role")).ToHaveTextAsync(roleLabel);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = section, Exact = true })).ToBeVisibleAsync();
        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "frontlijn-sessie");
        Assert.True(session.HttpOnly);
        await page.ScreenshotAsync($"oidc-signin-{role}");
    }

    [Fact]
    public async Task ProviderSignIn_WithoutMfa_IsRefused_WithADutchExplanation_AndNoSession()
    {
        var world = await oidc.ResetAsync();
        var (_, subject) = await world.BoundUserAsync("coach.bram", "coach");
        await world.Idp.PutAccountAsync(subject, "coach.bram", amr: ["pwd"]);
        await using var context = await NewContextAsync();

        var page = await SignInThroughProviderAsync(context, subject);

        await Expect(page).ToHaveURLAsync(new Regex("/aanmelden/geweigerd\\?reden=mfa$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Aanmelden is niet gelukt");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("zonder tweede stap");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "frontlijn-sessie");
        await page.AssertAccessibleAsync("Aanmelden geweigerd");
        await page.ScreenshotAsync("oidc-signin-refused-mfa");

        // And the start page still sends them to sign in.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/aanmelden\\?ReturnUrl=%2F$"));
    }

    [Fact]
    public async Task ProviderSignIn_AnAccountFrontlijnDoesNotKnow_IsRefused_WithADutchExplanation()
    {
        var world = await oidc.ResetAsync();
        var subject = OidcWorld.NewSubject("stranger");
        await world.Idp.PutAccountAsync(subject, "vreemde");
        await using var context = await NewContextAsync();

        var page = await SignInThroughProviderAsync(context, subject);

        await Expect(page).ToHaveURLAsync(new Regex("/aanmelden/geweigerd\\?reden=onbekend$"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("niet gekoppeld aan een gebruiker van Frontlijn");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "frontlijn-sessie");
    }

    [Fact]
    public async Task Admin_AddsAUserWithTheirExternalAccountId_WhoThenSignsInThroughTheProvider()
    {
        var world = await oidc.ResetAsync();
        var subject = OidcWorld.NewSubject("ilse");
        await world.Idp.PutAccountAsync(subject, "i.kramer", "Ilse Kramer");
        await using var adminContext = await NewContextAsync();
        var admin = await SignInThroughProviderAsync(adminContext, world.AdminSubject);

        await admin.GotoAsync("/beheer/gebruikers/nieuw");
        await admin.GetByLabel("Gebruikersnaam").FillAsync("coach.ilse");
        await admin.GetByLabel("Naam", new() { Exact = true }).FillAsync("Ilse Kramer");
        await admin.GetByLabel("Rol").SelectOptionAsync(new SelectOptionValue { Label = "Wijkcoach" });
        await admin.GetByLabel("Team").SelectOptionAsync(new SelectOptionValue { Label = "Frontlijnteam Oost" });
        await admin.GetByLabel("Extern account-ID (sub)").FillAsync(subject);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Gebruiker toevoegen" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Gebruiker Ilse Kramer (coach.ilse) is toegevoegd.");
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "coach.ilse" }).GetByRole(AriaRole.Cell).Nth(5))
            .ToHaveTextAsync(subject);

        // Her account at the provider is called i.kramer, not coach.ilse: the subject is what binds her.
        await using var context = await NewContextAsync();
        var page = await SignInThroughProviderAsync(context, "i.kramer");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welkom, Ilse Kramer");
        await Expect(page.Locator(".user-role")).ToHaveTextAsync("Wijkcoach");
    }
}
