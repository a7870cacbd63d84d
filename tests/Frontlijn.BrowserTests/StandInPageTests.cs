using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The team lead's stand-in page (waarneming): bad input is refused at each field in Dutch; a good stand-in lets the
/// colleague open the coach's household and take the coach's actions there; ending it takes that away again.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class StandInPageTests(BrowserApp browser)
{
    [Fact]
    public async Task TeamLead_SetsAStandIn_AfterFieldErrors_AndEndsIt()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var bram = app.ClientFor(s.SecondCoach);
        // Dates relative to the shared test clock (other tests move it on).
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await bram.GetAsync($"/api/v1/households/{household}").ExpectAsync(HttpStatusCode.OK);
        await bram.PostJson($"/api/v1/households/{household}/involvements", new { providerName = "Buurtteam", since = "2025-01-01" })
            .ExpectAsync(HttpStatusCode.Forbidden);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Waarneming" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Waarneming");
        await Expect(page.Locator(".empty-state")).ToContainTextAsync("geen waarneming");
        await page.AssertAccessibleAsync("stand-in page");
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Waarneming instellen" });

        // Nothing chosen.
        await page.GetByLabel("Eerste dag").FillAsync("");
        await submit.ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#coach-error")).ToHaveTextAsync("Kies de coach die afwezig is.");
        await Expect(page.GetByLabel("Afwezige coach")).ToHaveAttributeAsync("aria-invalid", "true");

        // A coach standing in for herself, and a period that ends before it begins.
        await page.GetByLabel("Afwezige coach").SelectOptionAsync(new SelectOptionValue { Label = s.Coach });
        await page.GetByLabel("Waarnemer").SelectOptionAsync(new SelectOptionValue { Label = s.Coach });
        await page.GetByLabel("Eerste dag").FillAsync(Iso(today.AddDays(8)));
        await page.GetByLabel("Laatste dag").FillAsync(Iso(today.AddDays(3)));
        await submit.ClickAsync();
        await Expect(page.Locator("#waarnemer-error")).ToHaveTextAsync("Een coach neemt niet voor zichzelf waar.");
        await Expect(page.Locator("#tot-error")).ToHaveTextAsync("De laatste dag ligt op of na de eerste dag.");
        await Expect(page.Locator("#coach-error")).ToBeEmptyAsync();
        await page.AssertAccessibleAsync("stand-in form with errors");
        await page.ScreenshotAsync("teamlead-waarneming-fouten-1280");

        // Good: Bram stands in for Anna from today for a week.
        await page.GetByLabel("Waarnemer").SelectOptionAsync(new SelectOptionValue { Label = s.SecondCoach });
        await page.GetByLabel("Eerste dag").FillAsync(Iso(today));
        await page.GetByLabel("Laatste dag").FillAsync(Iso(today.AddDays(7)));
        await submit.ClickAsync();
        // Dates as Dutch readers write them (the page's date format, "2 mrt 2026").
        var dutch = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
        var from = today.ToString("d MMM yyyy", dutch);
        var until = today.AddDays(7).ToString("d MMM yyyy", dutch);
        await Expect(page.GetByRole(AriaRole.Status).First)
            .ToHaveTextAsync($"{s.SecondCoach} neemt waar voor {s.Coach} van {from} tot en met {until}.");
        var row = page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasText = s.SecondCoach });
        await Expect(row.GetByRole(AriaRole.Cell)).ToHaveTextAsync([s.Coach, s.SecondCoach, from, until, "Loopt", "Beëindigen (waarneming voor coach.anna)"]);
        await bram.PostJson($"/api/v1/households/{household}/involvements", new { providerName = "Buurtteam", since = "2025-01-01" })
            .ExpectAsync(HttpStatusCode.Created);

        // The stand-in's household page offers the coach's actions, because the API accepts them from him.
        await using var bramContext = await browser.NewContextAsync();
        var bramPage = await bramContext.NewPageAsync();
        await bramPage.SignInAsync(s.SecondCoach);
        await bramPage.GotoAsync($"/huishoudens/{household}");
        var coachActions = bramPage.GetByRole(AriaRole.Navigation, new() { Name = "Acties voor dit huishouden" });
        await Expect(coachActions.GetByRole(AriaRole.Link, new() { Name = "Verzoek versturen" })).ToBeVisibleAsync();

        await using (var phone = await browser.NewContextAsync(375, 812))
        {
            var small = await phone.NewPageAsync();
            await small.SignInAsync(s.TeamLead);
            await small.GotoAsync("/team/waarneming");
            await small.AssertAccessibleAsync("stand-in page at 375 px");
            await small.ScreenshotAsync("teamlead-waarneming-375");
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Beëindigen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("De waarneming is beëindigd.");
        await Expect(page.Locator(".empty-state")).ToContainTextAsync("geen waarneming");
        await bram.PostJson($"/api/v1/households/{household}/involvements", new { providerName = "Humanitas", since = "2025-01-01" })
            .ExpectAsync(HttpStatusCode.Forbidden);
        await bramPage.GotoAsync($"/huishoudens/{household}");
        await Expect(bramPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(bramPage.GetByRole(AriaRole.Link, new() { Name = "Verzoek versturen" })).ToHaveCountAsync(0);
    }
}
