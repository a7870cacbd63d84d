using System.Text.RegularExpressions;
using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>
/// The back office reports a signal in the browser (issue 10): from its navigation, with errors at the fields, and
/// without an oracle — an address where a household is in care and one where nobody is known read exactly the same.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SignalReportPageTests(BrowserApp browser)
{
    [Fact]
    public async Task TheBackOffice_ReportsASignal_ErrorsAtTheFields_AndTheAnswerRevealsNoHousehold()
    {
        await browser.App.ResetAsync();
        var s = await Scenario.CreateAsync(browser.App);
        // A household in care at Heechterp 12 (coach.anna); nobody at Heechterp 90, same PC4.
        await browser.App.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 12, familyName: "Bosma");

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(s.BackOffice);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Hoofdmenu" }).GetByRole(AriaRole.Link, new() { Name = "Signaal melden" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signalen/melden$"));
        await page.AssertAccessibleAsync("signal form");

        // Empty: every required field says so, at the field, and the summary links to each.
        await page.GetByRole(AriaRole.Button, new() { Name = "Signaal versturen" }).ClickAsync();
        await Expect(page.Locator("#formulierfouten")).ToBeFocusedAsync();
        await Expect(page.Locator("#straat-error")).ToHaveTextAsync("'Straat' mag niet leeg zijn.");
        await Expect(page.Locator("#nummer-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#postcode-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#plaats-error")).ToHaveTextAsync("'Plaats' mag niet leeg zijn.");
        await Expect(page.Locator("#zorg-error")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("Straat")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#formulierfouten a[href='#Input_Street']")).ToBeVisibleAsync();
        await Expect(page.Locator("#formulierfouten a[href='#Input_Concern']")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("signal form with errors");
        await page.ScreenshotAsync("schuldhulp-pieter-signaal-fouten-desktop");

        // A wrong BSN and a bad postal code: at their fields; the BSN is not shown back.
        await FillAddressAsync(page, 12, postalCode: "89 25");
        await page.GetByLabel("Achternaam").FillAsync("Bosma");
        await page.GetByLabel("BSN").FillAsync("123456789");
        await page.GetByLabel("Waar maakt u zich zorgen over?").FillAsync("Huurachterstand van drie maanden");
        await page.GetByRole(AriaRole.Button, new() { Name = "Signaal versturen" }).ClickAsync();
        await Expect(page.Locator("#postcode-error")).ToHaveTextAsync("Een postcode is vier cijfers en twee letters, zoals 8925 AB.");
        await Expect(page.Locator("#bsn-error")).ToContainTextAsync("geen geldig BSN");
        await Expect(page.GetByLabel("BSN")).ToHaveValueAsync("");
        await Expect(page.GetByLabel("Waar maakt u zich zorgen over?")).ToHaveValueAsync("Huurachterstand van drie maanden");
        Assert.Equal(0, await browser.App.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));

        // The household in care (by address only) and an address where nobody is known: the same answer.
        var known = await ReportAsync(page, 12, "Huurachterstand van drie maanden");
        var unknown = await ReportAsync(page, 90, "Huurachterstand van drie maanden");
        Assert.Equal("Uw signaal is ontvangen en gaat naar Frontlijnteam Oost.", known);
        Assert.Equal(known, unknown);
        Assert.DoesNotContain("Bosma", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("a[href^='/huishoudens/']").CountAsync());
        Assert.Equal(2, await browser.App.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));

        await using var phone = await browser.NewContextAsync(375, 812);
        var small = await phone.NewPageAsync();
        await small.SignInAsync(s.BackOffice);
        await small.GotoAsync("/signalen/melden");
        await small.ScreenshotAsync("schuldhulp-pieter-signaal-phone");
    }

    private static async Task FillAddressAsync(IPage page, int houseNumber, string postalCode = "8925 AB")
    {
        await page.GetByLabel("Straat").FillAsync("Heechterp");
        await page.GetByLabel("Huisnummer").FillAsync(houseNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Postcode").FillAsync(postalCode);
        await page.GetByLabel("Plaats").FillAsync("Leeuwarden");
    }

    private static async Task<string> ReportAsync(IPage page, int houseNumber, string concern)
    {
        await page.GotoAsync("/signalen/melden");
        await FillAddressAsync(page, houseNumber);
        await page.GetByLabel("Waar maakt u zich zorgen over?").FillAsync(concern);
        await page.GetByLabel("Financiën").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Signaal versturen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signalen/melden$"));
        var status = page.GetByRole(AriaRole.Status).First;
        await Expect(status).ToContainTextAsync("Uw signaal is ontvangen");
        return (await status.InnerTextAsync()).Trim();
    }
}
