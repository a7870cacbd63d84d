using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// Outreach visits in the browser (issue 14): plan a visit (bad input refused at its field, in Dutch words), find it on
/// the day's list, record the outcome from a phone; a concern reaches the household's coach or the team's triage queue,
/// and the page says which. Every visit page passes axe at 1280 and 375 px and never scrolls sideways on a phone.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class VisitPagesTests(BrowserApp browser)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(browser.App.Clock.GetUtcNow(), Amsterdam).DateTime);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex("/bezoeken/([0-9a-f-]{36})/uitkomst$")]
    private static partial Regex OutcomeUrl();

    private static async Task WaitForAsync(IPage page, string urlPattern, string heading)
    {
        await page.WaitForURLAsync(new Regex(urlPattern), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading, new() { Timeout = 60_000 });
    }

    private static async Task FillAddressAsync(IPage page, string postalCode, int number, string street = "Heechterp", string city = "Leeuwarden")
    {
        await page.GetByLabel("Postcode").FillAsync(postalCode);
        await page.GetByLabel("Huisnummer").FillAsync(number.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Straat").FillAsync(street);
        await page.GetByLabel("Plaats").FillAsync(city);
    }

    /// <summary>On a phone nothing may stick out sideways: the page is never wider than the screen.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{what} is {widths[0]}px wide on a {widths[1]}px screen");
    }

    [Fact]
    public async Task PlanWithBadThenGoodInput_TheListShowsIt_AndAConcernReachesTheHouseholdsCoach()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 5)).Id();
        var today = Today;

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.SecondCoach);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Hoofdmenu" }).GetByRole(AriaRole.Link, new() { Name = "Huisbezoeken" }).ClickAsync();
        await WaitForAsync(page, "/bezoeken$", "Huisbezoeken");
        await Expect(page.Locator(".visit-day")).ToContainTextAsync("Vandaag");
        await Expect(page.Locator(".empty-state")).ToContainTextAsync("geen bezoeken gepland");
        await page.AssertAccessibleAsync("visit list, empty");

        await page.GetByRole(AriaRole.Link, new() { Name = "Bezoek plannen" }).ClickAsync();
        await WaitForAsync(page, "/bezoeken/plannen", "Bezoek plannen");
        await Expect(page.GetByLabel("Datum")).ToHaveValueAsync(Iso(today));
        await page.AssertAccessibleAsync("plan a visit");

        // Bad input: a postal code without letters, a day more than a year ahead, no reason. Each said at its field,
        // in words for people (not the API's field names), and nothing is saved.
        await FillAddressAsync(page, "8925", 5);
        await page.GetByLabel("Datum").FillAsync(Iso(today.AddDays(400)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Bezoek plannen" }).ClickAsync();
        await Expect(page.Locator("#postcode-error")).ToHaveTextAsync("Een postcode is vier cijfers en twee letters, zoals 8925 AB.");
        await Expect(page.GetByLabel("Postcode")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#datum-error")).ToHaveTextAsync("De datum van het bezoek ligt hoogstens een jaar van vandaag.");
        await Expect(page.GetByLabel("Datum")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#reden-error")).ToHaveTextAsync("De reden van het bezoek is verplicht.");
        await Expect(page.Locator("#formulierfouten a[href='#Input_PostalCode']")).ToBeVisibleAsync();
        await Expect(page.Locator("#straat-error")).ToBeEmptyAsync();
        await Expect(page.GetByLabel("Straat")).ToHaveValueAsync("Heechterp");
        await page.AssertAccessibleAsync("plan a visit with errors");
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM visits"));

        await page.GetByLabel("Postcode").FillAsync("8925 ab");
        await page.GetByLabel("Datum").FillAsync(Iso(today));
        await page.GetByLabel("Reden van het bezoek").FillAsync("Buren melden dat de post zich opstapelt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bezoek plannen" }).ClickAsync();
        await WaitForAsync(page, $"/bezoeken\\?dag={Iso(today)}$", "Huisbezoeken");
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Het bezoek aan Heechterp 5, 8925 AB Leeuwarden op");
        var card = page.Locator(".visit");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card.Locator(".visit-address")).ToHaveTextAsync("Heechterp 5, 8925 AB Leeuwarden");
        await Expect(card).ToContainTextAsync("Buren melden dat de post zich opstapelt");
        await Expect(card).ToContainTextAsync($"Gepland door {s.SecondCoach}");
        await page.AssertAccessibleAsync("visit list with a visit");
        await page.ScreenshotAsync("coach-bezoeken-1280");

        // The outcome: "zorg" says beforehand where it goes; nothing chosen is refused at the choice.
        await card.GetByRole(AriaRole.Link, new() { Name = "Uitkomst vastleggen" }).ClickAsync();
        await WaitForAsync(page, OutcomeUrl().ToString(), "Uitkomst van het bezoek");
        await Expect(page.Locator("#uitkomst-concern-uitleg")).ToContainTextAsync("signaal naar de coach van het huishouden");
        await Expect(page.Locator("#uitkomst-concern-uitleg")).ToContainTextAsync("triagewachtrij");
        await page.AssertAccessibleAsync("record an outcome");
        await page.GetByRole(AriaRole.Button, new() { Name = "Uitkomst opslaan" }).ClickAsync();
        await Expect(page.Locator("#uitkomst-error")).ToHaveTextAsync("De uitkomst is verplicht.");
        await Expect(page.Locator("#formulierfouten a[href='#Input_Result']")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("record an outcome with an error");
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM visits WHERE result IS NOT NULL"));

        await page.GetByLabel("Zorg", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Notitie (optioneel)").FillAsync("Deur bleef dicht, brievenbus puilt uit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Uitkomst opslaan" }).ClickAsync();
        await WaitForAsync(page, $"/bezoeken\\?dag={Iso(today)}$", "Huisbezoeken");
        // Bram is of the household's team: the API names its coach to him, and so does the page.
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync($"Het signaal gaat naar {s.Coach}, de coach bij Frontlijnteam Oost.");
        await Expect(card).ToContainTextAsync("Uitkomst: Zorg");
        await Expect(card).ToContainTextAsync("Er is een signaal over dit adres gemeld.");
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = "Uitkomst vastleggen" })).ToHaveCountAsync(0);

        // The signal is on the coach's household page, sent by the visitor.
        var signalCoach = await app.ScalarAsync<Guid>("SELECT s.coach_id FROM signals s JOIN visits v ON v.signal_id = s.id");
        Assert.Equal(s.CoachId, signalCoach);
        Assert.Equal(household, await app.ScalarAsync<Guid>("SELECT household_id FROM signals"));
        await using var coachContext = await browser.NewContextAsync();
        var coach = await coachContext.NewPageAsync();
        await coach.SignInAsync(s.Coach);
        await coach.GotoAsync($"/huishoudens/{household}", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(coach.Locator(".timeline")).ToContainTextAsync($"Signaal van {s.SecondCoach}");

        // Recorded once: the outcome page now shows it, without a form.
        var visitId = await app.ScalarAsync<Guid>("SELECT id FROM visits");
        await page.GotoAsync($"/bezoeken/{visitId}/uitkomst", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".visit-outcome")).ToContainTextAsync("Deur bleef dicht, brievenbus puilt uit");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Uitkomst opslaan" })).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("a recorded outcome");
    }

    [Fact]
    public async Task OnAPhone_AConcernAtAnUnknownAddress_GoesToTheTeamsTriageQueue_AndNothingScrollsSideways()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var tomorrow = Today.AddDays(1);

        await using var phone = await browser.NewContextAsync(375, 812);
        var page = await phone.NewPageAsync();
        await page.SignInAsync(s.Coach);
        await page.GotoAsync("/bezoeken/plannen", new() { WaitUntil = WaitUntilState.Commit });
        await AssertNoSidewaysScrollAsync(page, "plan a visit");
        await page.AssertAccessibleAsync("plan a visit at 375 px");
        await FillAddressAsync(page, "8925AB", 40);
        await page.GetByLabel("Datum").FillAsync(Iso(tomorrow));
        await page.GetByLabel("Reden van het bezoek").FillAsync("Melding van ernstige vervuiling: aanbellen en kennismaken");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bezoek plannen" }).ClickAsync();
        await WaitForAsync(page, $"/bezoeken\\?dag={Iso(tomorrow)}$", "Huisbezoeken");
        await Expect(page.Locator(".visit")).ToHaveCountAsync(1);

        // Day by day: back to today (nothing), forward again (the visit), and "vandaag" from anywhere.
        await page.GetByRole(AriaRole.Link, new() { Name = "Vorige dag" }).ClickAsync();
        await WaitForAsync(page, $"/bezoeken\\?dag={Iso(tomorrow.AddDays(-1))}$", "Huisbezoeken");
        await Expect(page.Locator(".visit-day")).ToContainTextAsync("Vandaag");
        await Expect(page.Locator(".visit")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Volgende dag" }).ClickAsync();
        await WaitForAsync(page, $"/bezoeken\\?dag={Iso(tomorrow)}$", "Huisbezoeken");
        await Expect(page.Locator(".visit-address")).ToHaveTextAsync("Heechterp 40, 8925 AB Leeuwarden");
        await AssertNoSidewaysScrollAsync(page, "visit list");
        await page.AssertAccessibleAsync("visit list at 375 px");
        await page.ScreenshotAsync("coach-bezoeken-375");

        // Big touch targets: the record button and each outcome choice at least 44 px high, the choices full width.
        var record = page.GetByRole(AriaRole.Link, new() { Name = "Uitkomst vastleggen" });
        Assert.True((await record.BoundingBoxAsync())!.Height >= 44);
        await record.ClickAsync();
        await WaitForAsync(page, OutcomeUrl().ToString(), "Uitkomst van het bezoek");
        foreach (var (code, label) in new[] { ("no-answer", "Niet thuis"), ("talked", "Gesproken"), ("concern", "Zorg"), ("no-concern", "Geen zorg") })
        {
            var choice = page.Locator($"label[for='uitkomst-{code}']");
            await Expect(choice).ToHaveTextAsync(label);
            var box = (await choice.BoundingBoxAsync())!;
            Assert.True(box.Height >= 44, $"'{label}' is {box.Height}px high");
            Assert.True(box.Width >= 280, $"'{label}' is {box.Width}px wide");
        }
        await AssertNoSidewaysScrollAsync(page, "record an outcome");
        await page.AssertAccessibleAsync("record an outcome at 375 px");
        await page.ScreenshotAsync("coach-bezoek-uitkomst-375");

        await page.Locator("label[for='uitkomst-concern']").ClickAsync();
        await Expect(page.GetByLabel("Zorg", new() { Exact = true })).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Uitkomst opslaan" }).ClickAsync();
        await WaitForAsync(page, $"/bezoeken\\?dag={Iso(tomorrow)}$", "Huisbezoeken");
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Het signaal komt in de triagewachtrij van Frontlijnteam Oost.");
        await AssertNoSidewaysScrollAsync(page, "visit list with an outcome");

        // Nobody is known there: the signal waits in the team lead's triage queue, with the visit's reason as its concern.
        await using var leadContext = await browser.NewContextAsync();
        var lead = await leadContext.NewPageAsync();
        await lead.SignInAsync(s.TeamLead);
        await lead.GotoAsync("/team/triage", new() { WaitUntil = WaitUntilState.Commit });
        var signal = lead.Locator("article.signal");
        await Expect(signal).ToHaveCountAsync(1);
        await Expect(signal.Locator("h2")).ToHaveTextAsync("Heechterp 40, 8925 AB Leeuwarden");
        await Expect(signal).ToContainTextAsync($"Zorg na bezoek achter de voordeur op {tomorrow.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture)}: Melding van ernstige vervuiling");
        await Expect(signal).ToContainTextAsync($"Van {s.Coach}");
    }

    [Fact]
    public async Task TheDemo_ShowsTodaysVisits_AndOnlyCoachesAndTeamLeadsOfTheTeamHaveThePages()
    {
        var app = browser.App;
        await app.ResetAsync();
        await app.Services.GetRequiredService<DemoSeeder>().SeedDemoDataAsync(CancellationToken.None);

        // First start: Anna's team has visits today, one of them a concern already signalled, one still to record.
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("coach.anna");
        await page.GotoAsync("/bezoeken", new() { WaitUntil = WaitUntilState.Commit });
        var cards = page.Locator(".visit");
        await Expect(cards).ToHaveCountAsync(4);
        var concern = cards.Filter(new() { HasText = "Kalverdijkje 7" });
        await Expect(concern).ToContainTextAsync("Uitkomst: Zorg");
        await Expect(concern).ToContainTextAsync("Er is een signaal over dit adres gemeld.");
        await Expect(cards.Filter(new() { HasText = "Heechterp 40" }).GetByRole(AriaRole.Link, new() { Name = "Uitkomst vastleggen" })).ToHaveCountAsync(1);
        await page.AssertAccessibleAsync("demo visit list");
        await page.ScreenshotAsync("demo-anna-bezoeken-1280");

        // A day that is no date is said at the field; today's list is shown meanwhile.
        await page.GotoAsync("/bezoeken?dag=morgen", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#dag-error")).ToHaveTextAsync("Dit is geen geldige datum; kies een dag.");
        await Expect(page.GetByLabel("Dag", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(cards).ToHaveCountAsync(4);
        await page.AssertAccessibleAsync("visit list with a bad day");

        // Back office: no link and no page (its role never plans visits).
        await using var boContext = await browser.NewContextAsync();
        var backOffice = await boContext.NewPageAsync();
        await backOffice.SignInAsync("schuldhulp.pieter");
        await Expect(backOffice.GetByRole(AriaRole.Navigation, new() { Name = "Hoofdmenu" }).GetByRole(AriaRole.Link, new() { Name = "Huisbezoeken" }))
            .ToHaveCountAsync(0);
        await backOffice.GotoAsync("/bezoeken", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(backOffice).ToHaveURLAsync(new Regex("/geen-toegang"));

        // Another team's lead may use the pages, but this team's visit is outside their need-to-know: 404.
        var visit = await app.ScalarAsync<Guid>("SELECT id FROM visits WHERE postal_code = '8925AB' AND house_number = 40");
        await using var otherContext = await browser.NewContextAsync();
        var other = await otherContext.NewPageAsync();
        await other.SignInAsync("teamlead.joost");
        await Expect(other.GetByRole(AriaRole.Navigation, new() { Name = "Hoofdmenu" }).GetByRole(AriaRole.Link, new() { Name = "Huisbezoeken" }))
            .ToHaveCountAsync(1);
        var response = await other.GotoAsync($"/bezoeken/{visit}/uitkomst");
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM visits WHERE id = @visit AND result IS NULL", new { visit }));
    }
}
