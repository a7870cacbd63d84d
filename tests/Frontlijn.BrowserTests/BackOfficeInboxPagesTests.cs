using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The back office's day one (issue 10): the inbox says who a request is about and who the coach is, shows work in
/// progress on its default tab, pages, and lets work be assigned to a colleague; declining is confirmed and its reason
/// chosen; every status form shows its errors at the field, with the summary linking there; no API words.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class BackOfficeInboxPagesTests(BrowserApp browser)
{
    [Fact]
    public async Task TheInbox_NamesHouseholdAndCoach_ShowsWorkInProgress_AssignsAColleague_FiltersMine_AndPages()
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        var petra = await NewBackOfficeAsync(world, "schuldhulp.petra", "Petra Hoekstra");
        var inProgress = (await world.SendAsync()).Id();
        await world.ChangeAsync(inProgress, "acknowledged", 1);
        var fresh = (await world.SendAsync(urgency: "urgent")).Id();
        var answered = (await world.SendAsync()).Id();
        await world.ChangeAsync(answered, "acknowledged", 1);
        await world.ValidChangeAsync(answered, "answered", 2);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(world.S.BackOffice);
        await page.GotoAsync("/verzoeken");

        // The default tab holds the new and the acknowledged request, not the answered one.
        await Expect(page.Locator(".tabs a[aria-current=page]")).ToContainTextAsync("Open");
        var rows = page.Locator("#verzoeken-lijst tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator($"tr[data-request='{inProgress}']")).ToContainTextAsync("In behandeling");
        await Expect(page.Locator($"tr[data-request='{fresh}']")).ToContainTextAsync("Verstuurd");
        await Expect(page.Locator($"tr[data-request='{answered}']")).ToHaveCountAsync(0);
        foreach (var row in new[] { inProgress, fresh })
        {
            var cells = page.Locator($"tr[data-request='{row}']");
            await Expect(cells.Locator("td[data-label=Huishouden]")).ToContainTextAsync("Fam. Bosma");
            await Expect(cells.Locator("td[data-label=Huishouden]")).ToContainTextAsync("Heechterp 12, 8925 AB Leeuwarden");
            await Expect(cells.Locator("td[data-label=Coach]")).ToHaveTextAsync(world.S.Coach);
        }
        await page.AssertAccessibleAsync("back-office inbox");
        await page.ScreenshotAsync("schuldhulp-pieter-inbox-open-desktop");
        await page.GetByRole(AriaRole.Link, new() { Name = "Afgerond" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-request='{answered}']")).ToContainTextAsync("Beantwoord");

        // Assign the acknowledged request to Petra on its page. A tampered choice is refused at the field.
        await page.GotoAsync($"/verzoeken/{inProgress}");
        await Expect(page.Locator("#verzoek-huishouden")).ToHaveTextAsync("Fam. Bosma, Heechterp 12, 8925 AB Leeuwarden");
        await Expect(page.Locator("#verzoek-coach")).ToHaveTextAsync(world.S.Coach);
        await Expect(page.Locator("#verzoek-toegewezen")).ToHaveTextAsync("Niemand in het bijzonder");
        await page.EvaluateAsync($"() => {{ const o = new Option('Iemand anders', '{world.S.CoachId}'); document.getElementById('toewijzen').add(o); }}");
        await page.Locator("#toewijzen").SelectOptionAsync(world.S.CoachId.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Toewijzen" }).ClickAsync();
        await Expect(page.Locator("#toewijzen-error")).ToHaveTextAsync("Kies een collega van de back office van uw eigen organisatie.");
        await Expect(page.Locator("#toewijzen")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#formulierfouten a[href='#toewijzen']")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("assignment with an error");
        await page.GetByLabel("Wie van uw organisatie behandelt dit verzoek?").SelectOptionAsync(new SelectOptionValue { Label = "Petra Hoekstra" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Toewijzen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Het verzoek is toegewezen aan Petra Hoekstra.");
        await Expect(page.Locator("#verzoek-toegewezen")).ToHaveTextAsync("Petra Hoekstra");
        Assert.Equal(petra, (await world.GetAsync(inProgress, world.BackOffice))["assignee"]!.Id());

        // The new one to myself; "aan mij toegewezen" shows only that one.
        await page.GotoAsync($"/verzoeken/{fresh}");
        await page.GetByLabel("Wie van uw organisatie behandelt dit verzoek?").SelectOptionAsync(new SelectOptionValue { Label = $"{world.S.BackOffice} (ik)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Toewijzen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Het verzoek is toegewezen aan u.");
        await page.GotoAsync("/verzoeken");
        await Expect(page.Locator($"tr[data-request='{inProgress}'] td[data-label='Toegewezen aan']")).ToHaveTextAsync("Petra Hoekstra");
        await page.GetByRole(AriaRole.Link, new() { Name = "Alleen aan mij toegewezen" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-request='{fresh}'] td[data-label='Toegewezen aan']")).ToHaveTextAsync($"{world.S.BackOffice} (u)");
        await page.ScreenshotAsync("schuldhulp-pieter-inbox-mijn-desktop");

        // Paging: 25 a page, the most urgent first (the urgent new one is due first: tomorrow).
        for (var i = 0; i < 24; i++) await world.SendAsync();
        await page.GotoAsync("/verzoeken");
        await Expect(page.Locator(".pager-summary")).ToHaveTextAsync("1–25 van 26");
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToHaveAttributeAsync("data-request", fresh.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Volgende pagina" }).ClickAsync();
        await Expect(page.Locator(".pager-summary")).ToHaveTextAsync("26–26 van 26");
        await Expect(rows).ToHaveCountAsync(1);
        await page.AssertAccessibleAsync("inbox, second page");

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(world.S.BackOffice);
        await small.GotoAsync("/verzoeken");
        await small.ScreenshotAsync("schuldhulp-pieter-inbox-phone");
    }

    [Fact]
    public async Task Declining_IsConfirmed_WithAChosenReason_AndEveryStatusFormShowsItsErrorsAtTheField()
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        var id = (await world.SendAsync()).Id();

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(world.S.BackOffice);
        await page.GotoAsync($"/verzoeken/{id}");

        // Extend without anything: both messages at their fields, the summary links to them.
        await page.GetByRole(AriaRole.Button, new() { Name = "Verlengen" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#termijn-error")).ToHaveTextAsync("Kies de nieuwe termijn.");
        await Expect(page.Locator("#toelichting-extended-error")).ToContainTextAsync("Geef een reden");
        await Expect(page.Locator("#termijn")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#formulierfouten a[href='#termijn']")).ToHaveTextAsync("Kies de nieuwe termijn.");
        await Expect(page.Locator("#formulierfouten a[href='#toelichting-extended']")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("extend form with errors");
        await page.ScreenshotAsync("schuldhulp-pieter-verlengen-fout-desktop");
        // A day in the past: at the field, and the reason typed is kept.
        var today = RequestWorld.Today(browser.App);
        await page.Locator("#termijn").FillAsync(today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#toelichting-extended").FillAsync("Wachten op stukken van de bank");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verlengen" }).ClickAsync();
        await Expect(page.Locator("#termijn-error")).ToContainTextAsync("in de toekomst");
        await Expect(page.Locator("#toelichting-extended")).ToHaveValueAsync("Wachten op stukken van de bank");
        await page.Locator("#termijn").FillAsync(today.AddDays(40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verlengen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Het verzoek is bijgewerkt");
        Assert.Equal(2, (await world.GetAsync(id, world.BackOffice))["version"]!.GetValue<int>());

        // Suspend without a reason: at the reason field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Opschorten" }).ClickAsync();
        await Expect(page.Locator("#toelichting-suspended-error")).ToContainTextAsync("Geef een reden");

        // Acknowledge; then an empty answer is refused at the answer field.
        await page.GetByRole(AriaRole.Button, new() { Name = "In behandeling nemen" }).ClickAsync();
        await Expect(page.Locator("#verzoek-status")).ToHaveTextAsync("In behandeling");
        await page.GetByRole(AriaRole.Button, new() { Name = "Antwoord versturen" }).ClickAsync();
        await Expect(page.Locator("#antwoord-error")).ToHaveTextAsync("'Antwoord' mag niet leeg zijn.");
        await Expect(page.Locator("#formulierfouten a[href='#antwoord']")).ToBeVisibleAsync();

        // Declining: no reason preselected; without one it is refused at the field; with one it asks first.
        await Expect(page.GetByLabel("Reden van afwijzen")).ToHaveValueAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afwijzen…" }).ClickAsync();
        await Expect(page.Locator("#reden-error")).ToHaveTextAsync("Kies de reden van afwijzen.");
        await Expect(page.Locator("#reden")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#formulierfouten a[href='#reden']")).ToBeVisibleAsync();
        await page.GetByLabel("Reden van afwijzen").SelectOptionAsync(new SelectOptionValue { Label = "Geen capaciteit" });
        await page.Locator("#toelichting-declined").FillAsync("Wachtlijst tot het voorjaar");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afwijzen…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Weet u zeker dat u dit verzoek wilt afwijzen?" })).ToBeVisibleAsync();
        await Expect(page.Locator("#afwijzen-bevestigen")).ToContainTextAsync("Geen capaciteit");
        await page.AssertAccessibleAsync("decline confirmation");
        await page.ScreenshotAsync("schuldhulp-pieter-afwijzen-bevestigen-desktop");
        Assert.Equal("acknowledged", (await world.GetAsync(id, world.BackOffice))["status"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Link, new() { Name = "Annuleren" }).ClickAsync();
        Assert.Equal("acknowledged", (await world.GetAsync(id, world.BackOffice))["status"]!.GetValue<string>());
        await page.GetByLabel("Reden van afwijzen").SelectOptionAsync(new SelectOptionValue { Label = "Geen capaciteit" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Afwijzen…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, afwijzen" }).ClickAsync();
        await Expect(page.Locator("#verzoek-status")).ToHaveTextAsync("Afgewezen");
        await Expect(page.Locator("#verzoek-afwijzing")).ToHaveTextAsync("Reden: Geen capaciteit");
        var detail = await world.GetAsync(id, world.BackOffice);
        Assert.Equal("declined", detail["status"]!.GetValue<string>());
        Assert.Equal("geen-capaciteit", detail["declineReasonCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChangeMadeMeanwhile_IsExplainedInDutch_WithoutApiWords()
    {
        await browser.App.ResetAsync();
        var world = await RequestWorld.CreateAsync(browser.App);
        var id = (await world.SendAsync()).Id();

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(world.S.BackOffice);
        await page.GotoAsync($"/verzoeken/{id}");
        // Block the live refresh, so that the page keeps the version it showed.
        await page.RouteAsync(new Regex("handler=Live"), route => route.AbortAsync());
        await world.Coach.PostJson($"/api/v1/requests/{id}/status-changes", new { status = "withdrawn", expectedVersion = 1 })
            .ExpectAsync(HttpStatusCode.Created);
        await page.GetByRole(AriaRole.Button, new() { Name = "In behandeling nemen" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToContainTextAsync("iemand heeft het verzoek intussen gewijzigd");
        await Expect(page.Locator("#formulierfouten")).ToContainTextAsync("ingetrokken");
        var text = await page.Locator("main").InnerTextAsync();
        foreach (var word in new[] { "expectedVersion", "legalBasis", "withdrawn", "acknowledged", "reasonCode", "newDueAt" })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }
        Assert.Equal("withdrawn", (await world.GetAsync(id, world.BackOffice))["status"]!.GetValue<string>());
        await Expect(page).ToHaveURLAsync(new Regex($"/verzoeken/{id}"));
    }

    private static async Task<Guid> NewBackOfficeAsync(RequestWorld world, string username, string displayName) =>
        (await world.App.ClientFor("admin").PostJson("/api/v1/users", new
        {
            username, displayName, role = "back-office", organisationId = world.S.OrganisationId,
        }).ExpectAsync(HttpStatusCode.Created)).Id();
}
