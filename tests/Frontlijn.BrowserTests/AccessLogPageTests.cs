using System.Net;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The team lead's access-log page of a household: reached from the household page, newest first in Dutch, with the
/// people, their roles and organisations, "namens" for a stand-in, a refused attempt, paging and a period filter whose
/// bad input is refused at the field.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessLogPageTests(BrowserApp browser)
{
    [Fact]
    public async Task TeamLead_ReadsTheAccessLog_InDutch_WithStandIn_Refusal_Paging_AndAPeriod()
    {
        var app = browser.App;
        await app.ResetAsync();
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var path = $"/api/v1/households/{household}";
        // Dates relative to the shared test clock (other tests move it on).
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // 30 reads by the coach: more than one page of 25.
        for (var i = 0; i < 30; i++) await app.ClientFor(s.Coach).GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.ClientFor(s.TeamLead).PutJson($"/api/v1/users/{s.CoachId}/stand-in", new
        {
            standInId = s.SecondCoachId, from = Iso(today), until = Iso(today.AddDays(1)),
        }).ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.SecondCoach).GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.BackOffice).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var rows = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household", new { household });

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.TeamLead);
        await page.GotoAsync($"/huishoudens/{household}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Toegangslog" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Toegangslog");
        await page.AssertAccessibleAsync("access log page");
        await page.ScreenshotAsync("teamlead-toegangslog-1280");

        var table = page.GetByRole(AriaRole.Table);
        await Expect(table).ToContainTextAsync("waarnemer namens coach.anna");
        var bram = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "waarnemer namens coach.anna" }).First;
        await Expect(bram).ToContainTextAsync("Wijkcoach");
        await Expect(bram).ToContainTextAsync("Ingezien");
        await Expect(bram).ToContainTextAsync("Huishouden");
        var refused = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Geweigerd" }).First;
        await Expect(refused).ToContainTextAsync("schuldhulp.pieter");
        await Expect(refused).ToContainTextAsync("Backoffice, Schuldhulp Leeuwarden");
        await Expect(table).ToContainTextAsync("Teamleider");
        await Expect(table).Not.ToContainTextAsync("read");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(25);

        // Page 2 goes on where page 1 stopped (the log grew by the team lead's own reads of this page).
        var pager = page.GetByRole(AriaRole.Navigation, new() { Name = "Paginering" });
        await Expect(pager).ToContainTextAsync("1–25 van");
        await pager.GetByRole(AriaRole.Link, new() { Name = "Volgende pagina" }).ClickAsync();
        await Expect(pager).ToContainTextAsync("26–");
        var onPageTwo = await table.Locator("tbody tr").CountAsync();
        Assert.True(onPageTwo >= rows - 25, $"{onPageTwo} rows on page 2 of a log that had {rows} before the team lead looked");

        // Bad period: the end before the start, refused at the field; then a good period.
        await page.GetByLabel("Van").FillAsync(Iso(today.AddDays(8)));
        await page.GetByLabel("Tot en met").FillAsync(Iso(today.AddDays(-1)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Periode tonen" }).ClickAsync();
        await Expect(page.Locator("#tot-error")).ToHaveTextAsync("De einddatum ligt op of na de begindatum.");
        await Expect(page.GetByLabel("Tot en met")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#formulierfouten")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("access log page with a period error");

        await page.GetByLabel("Van").FillAsync(Iso(today.AddDays(1)));
        await page.GetByLabel("Tot en met").FillAsync(Iso(today.AddDays(29)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Periode tonen" }).ClickAsync();
        await Expect(page.Locator(".empty-state")).ToContainTextAsync("geen regels");
        await page.GetByLabel("Van").FillAsync(Iso(today));
        await page.GetByLabel("Tot en met").FillAsync(Iso(today));
        await page.GetByRole(AriaRole.Button, new() { Name = "Periode tonen" }).ClickAsync();
        await Expect(table).ToContainTextAsync("Ingezien");
        await Expect(page.Locator("#tot-error")).ToBeEmptyAsync();

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(s.TeamLead);
        await small.GotoAsync($"/team/huishoudens/{household}/toegangslog");
        await small.AssertAccessibleAsync("access log page at 375 px");
        await small.ScreenshotAsync("teamlead-toegangslog-375");

        // The coach has no access-log page (team leads only), and another team's lead cannot see this household's.
        await using var otherContext = await browser.NewContextAsync();
        var other = await otherContext.NewPageAsync();
        await other.SignInAsync(s.OtherTeamLead);
        var response = await other.GotoAsync($"/team/huishoudens/{household}/toegangslog");
        Assert.Equal(404, response!.Status);
    }
}
