using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The household pages of issue 10: a household's life in the browser (registered with five members, moved, a baby
/// born, a member leaving and one corrected, closed with its request withdrawn for the back office, signed off and
/// reopened by the team lead), and the coach's forms for consents, involvements and the plan. Every new form is sent
/// once with bad input (the message at the field, the summary linking to it) and once with good input.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class HouseholdLifePagesTests(BrowserApp browser)
{
    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task ExpectFieldErrorAsync(IPage page, string errorSelector, string fieldId, string text)
    {
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator(errorSelector)).ToContainTextAsync(text);
        await Expect(page.Locator($"#{fieldId}")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator($"#formulierfouten a[href='#{fieldId}']")).ToContainTextAsync(text);
    }

    private static Guid HouseholdIdFrom(IPage page) =>
        Guid.Parse(Regex.Match(page.Url, "/huishoudens/([0-9a-f-]{36})").Groups[1].Value);

    [Fact]
    public async Task AHouseholdsLife_Register5_Move_Born_Leaving_Close_SignOff_Reopen()
    {
        await browser.App.ResetAsync();
        var app = browser.App;
        var s = await Scenario.CreateAsync(app);
        var today = RequestWorld.Today(app);
        await using var context = await browser.NewContextAsync();
        var coach = await context.NewPageAsync();
        await coach.SignInAsync(s.Coach);

        // Register with five members, each with their own role: "Nog een lid" adds the fifth row and keeps what was
        // typed, except the BSN, which is never sent back.
        await coach.GotoAsync("/huishoudens/nieuw");
        await coach.Locator("#Input_NeighbourhoodId").SelectOptionAsync(new SelectOptionValue { Value = s.NeighbourhoodId.ToString() });
        await coach.Locator("#Input_Street").FillAsync("Heechterp");
        await coach.Locator("#Input_HouseNumber").FillAsync("12");
        await coach.Locator("#Input_PostalCode").FillAsync("8925 AB");
        await coach.Locator("#Input_City").FillAsync("Leeuwarden");
        var members = new (string Given, string Born, string Role)[]
        {
            ("Sandra", "1984-05-12", "head"), ("Peter", "1982-01-20", "partner"), ("Tim", "2012-09-01", "child"),
            ("Noor", "2016-04-03", "child"), ("Gerda", "1950-07-07", "other"),
        };
        async Task FillRowAsync(int i)
        {
            await coach.Locator($"#Input_Members_{i}__GivenName").FillAsync(members[i].Given);
            await coach.Locator($"#Input_Members_{i}__FamilyName").FillAsync("Bosma");
            await coach.Locator($"#Input_Members_{i}__DateOfBirth").FillAsync(members[i].Born);
            await coach.Locator($"#Input_Members_{i}__Role").SelectOptionAsync(new SelectOptionValue { Value = members[i].Role });
        }
        for (var i = 0; i < 4; i++) await FillRowAsync(i);
        await coach.Locator("#Input_Members_0__Bsn").FillAsync(Bsn1);
        Assert.Equal(0, await coach.Locator("#Input_Members_4__GivenName").CountAsync());
        await coach.GetByRole(AriaRole.Button, new() { Name = "Nog een lid" }).ClickAsync();
        await Expect(coach.Locator("#Input_Members_4__GivenName")).ToBeVisibleAsync();
        await Expect(coach.Locator("#Input_Members_3__GivenName")).ToHaveValueAsync("Noor");
        await Expect(coach.Locator("#Input_Members_1__Role")).ToHaveValueAsync("partner");
        await Expect(coach.Locator("#Input_Members_0__Bsn")).ToHaveValueAsync("");
        Assert.DoesNotContain(Bsn1, await coach.ContentAsync(), StringComparison.Ordinal);
        await Expect(coach.GetByRole(AriaRole.Status).Filter(new() { HasText = "BSN" })).ToContainTextAsync("opnieuw");
        await FillRowAsync(4);
        await coach.Locator("#Input_Members_0__Bsn").FillAsync(Bsn1);
        await coach.GetByRole(AriaRole.Button, new() { Name = "Huishouden registreren" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex("/huishoudens/[0-9a-f-]{36}$"));
        var id = HouseholdIdFrom(coach);
        var household = $"/huishoudens/{id}";
        var detail = await app.ClientFor(s.Coach).GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(members.Select(m => $"{m.Given}:{m.Role}").Order(),
            detail["members"]!.AsArray().Select(m => $"{m!["givenName"]!.GetValue<string>()}:{m["role"]!.GetValue<string>()}").Order());
        await Expect(coach.GetByRole(AriaRole.Region, new() { Name = "Leden van het huishouden" }).Locator("tbody tr")).ToHaveCountAsync(5);

        // An open request (consent and request through the API, as the other tests do), to be withdrawn at closure.
        var head = detail["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "head")!.Id();
        await app.ClientFor(s.Coach).PostJson($"/api/v1/households/{id}/consents", new
        {
            organisationId = s.OrganisationId, purpose = RequestWorld.Service, givenByMemberId = head,
            givenOn = Iso(today), validUntil = Iso(today.AddYears(1)),
        }).ExpectAsync(HttpStatusCode.Created);
        var request = (await app.ClientFor(s.Coach).PostJson("/api/v1/requests", new
        {
            householdId = id, organisationId = s.OrganisationId, serviceCode = RequestWorld.Service,
            question = "Kan de intake deze maand starten?", urgency = "normal",
        }).ExpectAsync(HttpStatusCode.Created)).Id();

        // The move: a wrong postal code is refused at the field; within the team; then to team Zuid's neighbourhood.
        await coach.GotoAsync(household);
        await coach.GetByRole(AriaRole.Link, new() { Name = "Adres of verhuizing" }).ClickAsync();
        await Expect(coach.Locator("#Input_Street")).ToHaveValueAsync("Heechterp");
        await coach.Locator("#Input_PostalCode").FillAsync("8925");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#postcode-error", "Input_PostalCode", "vier cijfers en twee letters");
        await coach.AssertAccessibleAsync("household edit form with an error");
        await coach.Locator("#Input_PostalCode").FillAsync("8924 XY");
        await coach.Locator("#Input_Street").FillAsync("Schieringerweg");
        await coach.Locator("#Input_HouseNumber").FillAsync("5");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("adres van het huishouden is bijgewerkt");
        await Expect(coach.Locator("h1")).ToContainTextAsync("Schieringerweg 5");

        await coach.GetByRole(AriaRole.Link, new() { Name = "Adres of verhuizing" }).ClickAsync();
        await coach.Locator("#Input_NeighbourhoodId").SelectOptionAsync(new SelectOptionValue { Value = s.OtherNeighbourhoodId.ToString() });
        await coach.Locator("#Input_Street").FillAsync("Velvetstraat");
        await coach.Locator("#Input_HouseNumber").FillAsync("3");
        await coach.Locator("#Input_PostalCode").FillAsync("7544 CD");
        await coach.Locator("#Input_City").FillAsync("Enschede");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("triagewachtrij van dat team");
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("blijft contactpersoon");
        var queue = (await app.ClientFor(s.OtherTeamLead).GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(id, Assert.Single(queue)!.Id("householdId"));

        // A baby is born: a future birth date and no name are refused at their fields; then Fenna joins.
        await coach.GetByRole(AriaRole.Link, new() { Name = "Lid toevoegen" }).ClickAsync();
        await coach.GetByLabel("Achternaam").FillAsync("Bosma");
        await coach.GetByLabel("Geboortedatum").FillAsync(Iso(today.AddDays(2)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Lid toevoegen" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#geboortedatum-error", "Input_DateOfBirth", "tussen 1900 en vandaag");
        await Expect(coach.Locator("#voornaam-error")).ToContainTextAsync("Voornaam");
        await coach.AssertAccessibleAsync("add member form with errors");
        await coach.GetByLabel("Voornaam").FillAsync("Fenna");
        await coach.GetByLabel("Geboortedatum").FillAsync(Iso(today.AddDays(-10)));
        await coach.GetByLabel("Rol").SelectOptionAsync(new SelectOptionValue { Value = "child" });
        await coach.GetByRole(AriaRole.Button, new() { Name = "Lid toevoegen" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("Fenna Bosma is toegevoegd");
        await Expect(coach.GetByRole(AriaRole.Region, new() { Name = "Leden van het huishouden" }).Locator("tbody tr")).ToHaveCountAsync(6);

        // A BSN typo: a number that fails the elfproef is refused at the field and never shown back; then corrected.
        await coach.GetByRole(AriaRole.Link, new() { Name = "Corrigeren (Peter Bosma)" }).ClickAsync();
        await Expect(coach.GetByLabel("Voornaam")).ToHaveValueAsync("Peter");
        await coach.GetByLabel("Nieuw BSN").FillAsync("123456789");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Correctie opslaan" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#bsn-error", "Input_Bsn", "elfproef");
        Assert.DoesNotContain("123456789", await coach.ContentAsync(), StringComparison.Ordinal);
        await coach.AssertAccessibleAsync("member correction form with an error");
        await coach.GetByLabel("Nieuw BSN").FillAsync(Bsn2);
        await coach.GetByLabel("Voornaam").FillAsync("Pieter");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Correctie opslaan" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("Pieter Bosma zijn gecorrigeerd");
        await Expect(coach.GetByRole(AriaRole.Row).Filter(new() { HasText = "Pieter Bosma" })).ToContainTextAsync("*****" + Bsn2[^4..]);

        // Tim leaves: without a reason refused at the field; then recorded, kept in the list as departed.
        await coach.GetByRole(AriaRole.Link, new() { Name = "Vertrek van Tim Bosma vastleggen" }).ClickAsync();
        await Expect(coach.Locator(".lead")).ToContainTextAsync("Weet u het zeker?");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Vertrek vastleggen" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#vertrek-reden-error", "Input_Reason", "reden van vertrek");
        await coach.AssertAccessibleAsync("member departure form with an error");
        await coach.GetByLabel("Reden van vertrek").FillAsync("Woont bij zijn vader");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Vertrek vastleggen" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Row).Filter(new() { HasText = "Tim Bosma" })).ToContainTextAsync("vertrokken op");
        Assert.Equal(1, (await app.ClientFor(s.Coach).GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK))["members"]!
            .AsArray().Count(m => m!["departedOn"] is not null));
        await Expect(coach.Locator("#statusgeschiedenis")).ToHaveCountAsync(0);
        await coach.AssertAccessibleAsync("household page with its new actions");
        await coach.ScreenshotAsync("household-life-coach");
        await using (var phone = await browser.NewContextAsync(width: 375, height: 800))
        {
            var small = await phone.NewPageAsync();
            await small.SignInAsync(s.Coach);
            await small.GotoAsync(household);
            await small.AssertAccessibleAsync("household page at 375 px");
            await small.ScreenshotAsync("household-life-coach-375");
            await small.GotoAsync($"{household}/wijzigen");
            await small.ScreenshotAsync("household-edit-375");
        }

        // Closed in two confirmed steps: the open request is withdrawn, and the back office sees it so.
        await coach.GetByRole(AriaRole.Link, new() { Name = "Afsluitfase starten" }).ClickAsync();
        await coach.GetByLabel("Reden van afsluiten").FillAsync("Doelen bereikt");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Afsluitfase starten" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        // People take these steps minutes apart; the history is ordered by time.
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await coach.GetByRole(AriaRole.Link, new() { Name = "Definitief afsluiten" }).ClickAsync();
        await coach.GetByLabel("Reden van afsluiten").FillAsync("Eindevaluatie gedaan");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Definitief afsluiten" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("afgesloten");
        app.Clock.Advance(TimeSpan.FromMinutes(3));

        await using var boContext = await browser.NewContextAsync();
        var backOffice = await boContext.NewPageAsync();
        await backOffice.SignInAsync(s.BackOffice);
        await backOffice.GotoAsync($"/verzoeken/{request}");
        await Expect(backOffice.Locator("#verzoek-live")).ToContainTextAsync("Ingetrokken");
        Assert.Equal("withdrawn", (await app.ClientFor(s.BackOffice).GetAsync($"/api/v1/requests/{request}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());

        // The team lead signs the outcome off, and reopens; the status history on the household page tells all three steps.
        await using var leadContext = await browser.NewContextAsync();
        var lead = await leadContext.NewPageAsync();
        await lead.SignInAsync(s.TeamLead);
        await lead.GotoAsync($"/team/rapportages/uitkomst/{id}");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Rapport aftekenen" }).ClickAsync();
        await Expect(lead.Locator("body")).ToContainTextAsync("Afgetekend door");
        await lead.GotoAsync(household);
        await Expect(lead.Locator("#statusgeschiedenis li")).ToHaveCountAsync(2);
        await lead.GetByRole(AriaRole.Link, new() { Name = "Heropenen" }).ClickAsync();
        await lead.GetByLabel("Reden van heropenen").FillAsync("Het gezin meldt zich opnieuw");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Heropenen" }).ClickAsync();
        await lead.WaitForURLAsync(new Regex($"{household}/overdragen$"));
        await lead.GotoAsync(household);
        var history = lead.Locator("#statusgeschiedenis li");
        await Expect(history).ToHaveCountAsync(3);
        await Expect(history.First).ToContainTextAsync("Afgesloten → Wacht op coach");
        await Expect(history.First).ToContainTextAsync("Het gezin meldt zich opnieuw");
        await Expect(history.Last).ToContainTextAsync("Doelen bereikt");
        await lead.AssertAccessibleAsync("household page with its status history");
        await lead.ScreenshotAsync("household-life-lead");
    }

    [Fact]
    public async Task TheCoachsForms_Consent_Withdrawal_Involvement_AndPlan_RefuseBadInputAtTheField()
    {
        await browser.App.ResetAsync();
        var app = browser.App;
        var w = await RequestWorld.CreateAsync(app);
        var today = RequestWorld.Today(app);
        var api = app.ClientFor(w.S.Coach);
        var household = $"/huishoudens/{w.HouseholdId}";
        await using var context = await browser.NewContextAsync();
        var coach = await context.NewPageAsync();
        await coach.SignInAsync(w.S.Coach);

        // Consent: only Sandra (16+) is offered, not Tim (13); the purpose is the service's name; more than 24 months refused.
        await coach.GotoAsync($"{household}/toestemming");
        var givers = await coach.Locator("#Input_GivenByMemberId option").AllTextContentsAsync();
        Assert.Contains(givers, g => g.StartsWith("Sandra Bosma", StringComparison.Ordinal));
        Assert.DoesNotContain(givers, g => g.Contains("Tim", StringComparison.Ordinal));
        await Expect(coach.Locator("#lid-hint")).ToContainTextAsync("Tim Bosma");
        Assert.Contains("Intake", await coach.Locator("#Input_Service option").AllTextContentsAsync());
        await coach.Locator("#Input_Service").SelectOptionAsync(new SelectOptionValue { Value = $"{w.S.OrganisationId}|{RequestWorld.Service}" });
        await coach.Locator("#Input_GivenByMemberId").SelectOptionAsync(new SelectOptionValue { Value = w.HeadMemberId.ToString() });
        await coach.GetByLabel("Geldig tot en met").FillAsync(Iso(today.AddYears(3)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Toestemming vastleggen" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#geldig-error", "Input_ValidUntil", "hoogstens 24 maanden");
        Assert.DoesNotContain("validUntil", await coach.Locator("main, body").First.InnerTextAsync(), StringComparison.Ordinal);
        await coach.AssertAccessibleAsync("consent form with an error");
        await coach.GetByLabel("Geldig tot en met").FillAsync(Iso(today.AddMonths(18)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Toestemming vastleggen" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        var consents = coach.Locator("div[role=region][aria-label='Toestemmingen']");
        await Expect(consents.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(consents).Not.ToContainTextAsync(RequestWorld.Service);
        await Expect(consents).ToContainTextAsync("Intake");

        // Withdraw, confirmed: a consent withdrawn meanwhile (elsewhere) is refused with a message; then one is withdrawn.
        var links = consents.GetByRole(AriaRole.Link, new() { Name = "Intrekken (Intake, Schuldhulp Leeuwarden)" });
        await links.First.ClickAsync();
        await Expect(coach.Locator(".lead")).ToContainTextAsync("Weet u het zeker?");
        await coach.AssertAccessibleAsync("consent withdrawal confirmation");
        var first = Guid.Parse(Regex.Match(coach.Url, "/toestemming/([0-9a-f-]{36})/intrekken").Groups[1].Value);
        await api.DeleteAsync($"/api/v1/households/{w.HouseholdId}/consents/{first}").ExpectAsync(HttpStatusCode.OK);
        await coach.GetByRole(AriaRole.Button, new() { Name = "Toestemming intrekken" }).ClickAsync();
        await Expect(coach.Locator("#formulierfouten")).ToContainTextAsync(
            $"al ingetrokken op {today.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("nl-NL"))}");
        await coach.GotoAsync(household);
        await Expect(links).ToHaveCountAsync(1);
        await links.ClickAsync();
        await coach.GetByRole(AriaRole.Button, new() { Name = "Toestemming intrekken" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("is ingetrokken");
        await Expect(consents.GetByText("Ingetrokken op")).ToHaveCountAsync(2);
        var listed = (await api.GetAsync($"/api/v1/households/{w.HouseholdId}/consents").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.All(listed, c => Assert.NotNull(c!["withdrawnOn"]));

        // End an involvement: a day in the future is refused at the field; today ends it.
        await api.PostJson($"/api/v1/households/{w.HouseholdId}/involvements", new { providerName = "Buurtsportcoach", since = Iso(today.AddDays(-30)) })
            .ExpectAsync(HttpStatusCode.Created);
        await coach.GotoAsync(household);
        await coach.GetByRole(AriaRole.Link, new() { Name = "Beëindigen (Buurtsportcoach)" }).ClickAsync();
        await coach.GetByLabel("Betrokken tot en met").FillAsync(Iso(today.AddDays(1)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Betrokkenheid beëindigen" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#einddatum-error", "Input_EndedOn", "niet in de toekomst");
        await coach.AssertAccessibleAsync("end involvement form with an error");
        await coach.GetByLabel("Betrokken tot en met").FillAsync(Iso(today));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Betrokkenheid beëindigen" }).ClickAsync();
        await coach.WaitForURLAsync(new Regex($"{household}$"));
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("Buurtsportcoach is niet meer betrokken");
        await Expect(coach.GetByRole(AriaRole.Link, new() { Name = "Beëindigen (Buurtsportcoach)" })).ToHaveCountAsync(0);

        // The plan: an action done (not in the future), a goal's status (a status must be chosen), the review (after today).
        var goal = (await api.PostJson($"/api/v1/households/{w.HouseholdId}/plan/goals", new { domain = "financien", description = "Vaste lasten op tijd betaald" })
            .ExpectAsync(HttpStatusCode.Created)).Id();
        await api.PostJson($"/api/v1/households/{w.HouseholdId}/plan/goals/{goal}/actions", new
        {
            description = "Budgetplan maken", owner = new { kind = "coach" }, dueOn = Iso(today.AddDays(14)),
        }).ExpectAsync(HttpStatusCode.Created);
        await coach.GotoAsync($"{household}/plan");
        var doneField = coach.GetByLabel("Gedaan op (Budgetplan maken)");
        await doneField.FillAsync(Iso(today.AddDays(3)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Actie gedaan" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#DoneForm_DoneOn-error", "DoneForm_DoneOn", "niet in de toekomst");
        await coach.AssertAccessibleAsync("plan page with an action error");
        await coach.GetByLabel("Gedaan op (Budgetplan maken)").FillAsync(Iso(today.AddDays(-1)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Actie gedaan" }).ClickAsync();
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("Budgetplan maken");
        await Expect(coach.GetByRole(AriaRole.Button, new() { Name = "Actie gedaan" })).ToHaveCountAsync(0);

        await coach.GetByRole(AriaRole.Button, new() { Name = "Status wijzigen" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#StatusForm_Status-error", "StatusForm_Status", "Status");
        await coach.GetByLabel("Status van dit doel (Vaste lasten op tijd betaald)").SelectOptionAsync(new SelectOptionValue { Label = "Bereikt" });
        await coach.GetByRole(AriaRole.Button, new() { Name = "Status wijzigen" }).ClickAsync();
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("is bereikt");
        await Expect(coach.Locator(".status-goal-achieved")).ToHaveCountAsync(1);

        await coach.GetByLabel("Volgende evaluatie").FillAsync(Iso(today.AddDays(-1)));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Evaluatie vastleggen" }).ClickAsync();
        await ExpectFieldErrorAsync(coach, "#evaluatie-error", "ReviewForm_NextReviewOn", "na vandaag");
        var next = today.AddMonths(3);
        await coach.GetByLabel("Volgende evaluatie").FillAsync(Iso(next));
        await coach.GetByRole(AriaRole.Button, new() { Name = "Evaluatie vastleggen" }).ClickAsync();
        await Expect(coach.GetByRole(AriaRole.Status).First).ToContainTextAsync("De evaluatie is vastgelegd");
        var plan = await api.GetAsync($"/api/v1/households/{w.HouseholdId}/plan").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Iso(next), plan["reviewOn"]!.GetValue<string>());
        Assert.Equal("achieved", plan["goals"]![0]!["status"]!.GetValue<string>());
        Assert.NotNull(plan["goals"]![0]!["actions"]![0]!["doneOn"]);
        await coach.AssertAccessibleAsync("plan page after the changes");
        await coach.ScreenshotAsync("household-plan-forms");
    }
}
