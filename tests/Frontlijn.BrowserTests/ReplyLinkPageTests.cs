using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Outside;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The service with mail to a real SMTP server on loopback, and Chromium: what an organisation without an account
/// sees when it follows the link in its mail.
/// </summary>
public sealed class ReplyLinkBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SmtpTestServer Smtp { get; private set; } = null!;
    public TestApp App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("FRONTLIJN_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium)) throw new InvalidOperationException($"Chromium was not found at '{chromium}' (browser tests never skip).");
        Smtp = await SmtpTestServer.StartAsync();
        App = await TestApp.StartAsync(Providers.Sqlite, Smtp.AppSettings());
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = BrowserApp.ChromiumArgs,
        });
    }

    /// <summary>A fresh profile without any sign-in: the organisation has no account.</summary>
    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = App.ServerAddress.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        Locale = "nl-NL", TimezoneId = "Europe/Amsterdam",
    });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Smtp is not null) await Smtp.DisposeAsync();
    }
}

public sealed class ReplyLinkPageTests(ReplyLinkBrowser browser) : IClassFixture<ReplyLinkBrowser>
{
    [Fact]
    public async Task TheFoundation_AcknowledgesAndAnswersOnTheDutchPage_BadInputIsShownAtTheField_AndTheSpentLinkIsRefused()
    {
        var app = browser.App;
        await app.ResetAsync();
        await browser.Smtp.ClearAsync();
        var w = await OutsideWorld.CreateAsync(app);
        var requestId = await w.SendAsync();
        var token = OutsideWorld.TokenIn((await browser.Smtp.WaitForAsync(OutsideWorld.FoundationEmail)).Single());

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync($"/antwoord/{token}");
        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reageren op een verzoek" })).ToBeVisibleAsync();
        await Expect(page.Locator("#vraag")).ToHaveTextAsync(OutsideWorld.Question);
        await page.AssertAccessibleAsync("reply link page");

        // Nothing chosen: the message is at the field, the summary says the form was not saved.
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Expect(page.Locator("#actie-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("reply link page with an error");

        await page.GetByLabel("In behandeling nemen").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Expect(page.Locator("#bevestiging")).ToContainTextAsync("in behandeling");
        await Expect(page.Locator("#status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("behandeling", System.Text.RegularExpressions.RegexOptions.IgnoreCase));

        // Answering without an answer: refused at the answer field, nothing changed.
        await page.GetByLabel("Antwoorden", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Expect(page.Locator("#antwoord-error")).Not.ToBeEmptyAsync();
        Assert.Equal(("acknowledged", 2), await w.RequestStateAsync(requestId));

        await page.GetByLabel("Antwoorden", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Antwoord (bij Antwoorden)").FillAsync("Maatje Gerda neemt volgende week contact op.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Expect(page.Locator("#bevestiging")).ToContainTextAsync("werkt nu niet meer");
        Assert.Equal(("answered", 3), await w.RequestStateAsync(requestId));

        // The spent link, and a tampered one: a clear Dutch page with the API's status, and no form.
        var again = await page.GotoAsync($"/antwoord/{token}");
        Assert.Equal((int)HttpStatusCode.Gone, again!.Status);
        await Expect(page.Locator("#link-geweigerd")).ToContainTextAsync("al gebruikt");
        Assert.Equal(0, await page.Locator("form[method=post]").CountAsync());
        var tampered = await page.GotoAsync($"/antwoord/{token[..^2]}xx");
        Assert.Equal((int)HttpStatusCode.NotFound, tampered!.Status);
        await Expect(page.Locator("#link-geweigerd")).ToContainTextAsync("ongeldig");
        await page.AssertAccessibleAsync("refused reply link");

        // The coach sees on the request that the link was used.
        await using var coachContext = await browser.NewContextAsync();
        var coach = await coachContext.NewPageAsync();
        await coach.SignInAsync(w.S.Coach);
        await coach.GotoAsync($"/verzoeken/{requestId}");
        await Expect(coach.Locator("#antwoordlink-status")).ToContainTextAsync("Gebruikt");
        Assert.Equal(0, await coach.GetByRole(AriaRole.Button, new() { Name = "Antwoordlink intrekken" }).CountAsync());
    }

    [Fact]
    public async Task TheCoach_SeesTheLinkOpened_AndRevokesIt_AfterWhichThePageRefusesIt()
    {
        var app = browser.App;
        await app.ResetAsync();
        await browser.Smtp.ClearAsync();
        var w = await OutsideWorld.CreateAsync(app);
        var requestId = await w.SendAsync();
        var token = OutsideWorld.TokenIn((await browser.Smtp.WaitForAsync(OutsideWorld.FoundationEmail)).Single());
        await using var foundationContext = await browser.NewContextAsync();
        var foundation = await foundationContext.NewPageAsync();
        await foundation.GotoAsync($"/antwoord/{token}");

        await using var coachContext = await browser.NewContextAsync();
        var coach = await coachContext.NewPageAsync();
        await coach.SignInAsync(w.S.Coach);
        await coach.GotoAsync($"/verzoeken/{requestId}");
        await Expect(coach.Locator("#antwoordlink-status")).ToContainTextAsync("geopend");
        await coach.AssertAccessibleAsync("request with a reply link");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Antwoordlink intrekken" }).ClickAsync();
        await Expect(coach.Locator("#antwoordlink-status")).ToContainTextAsync("Ingetrokken");

        await foundation.GetByLabel("In behandeling nemen").CheckAsync();
        await foundation.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Expect(foundation.Locator("#link-geweigerd")).ToContainTextAsync("ingetrokken");
        Assert.Equal(("sent", 1), await w.RequestStateAsync(requestId));
    }
}
