using Frontlijn.BrowserTests.Infrastructure;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Frontlijn.BrowserTests;

/// <summary>The admin rotates a webhook secret in the browser; the demo banner; the API reference under its CSP.</summary>
[Collection(BrowserGroup.Name)]
public sealed class WebhookSecretsPageTests(BrowserApp browser)
{
    [Fact]
    public async Task Admin_AddsAGeneratedSecret_SeesItOnce_AndRemovesTheOldOne()
    {
        await browser.App.ResetAsync();
        var admin = browser.App.ClientFor("admin");
        var first = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var organisationId = (await admin.PostJson("/api/v1/organisations", new
        {
            name = "GGZ Friesland", kind = "ggz", webhookUrl = "https://ggz.example.nl/hooks", webhookSecret = first,
            services = Array.Empty<object>(),
        }).ExpectAsync(System.Net.HttpStatusCode.Created)).Id();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync("admin");

        await page.GotoAsync($"/beheer/organisaties/{organisationId}");
        await Expect(page.GetByRole(AriaRole.Note)).ToHaveTextAsync(DemoMode.Banner);
        var secrets = page.GetByRole(AriaRole.Region, new() { Name = "Webhookgeheimen" });
        await Expect(secrets.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);

        // A pasted secret that is not in Standard Webhooks form: a Dutch field error, nothing stored.
        await page.GetByLabel("Eigen geheim").FillAsync("geheim123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Geheim toevoegen" }).ClickAsync();
        await Expect(page.Locator("#newsecret-error")).ToContainTextAsync("whsec_");
        await page.AssertAccessibleAsync("refused webhook secret");
        Assert.Equal(1, await browser.App.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_secrets"));

        // Left empty: Frontlijn makes one and shows it this once.
        await page.GetByLabel("Eigen geheim").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Geheim toevoegen" }).ClickAsync();
        var shown = await page.Locator("#nieuw-geheim").TextContentAsync();
        Assert.StartsWith("whsec_", shown, StringComparison.Ordinal);
        await Expect(secrets.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await page.AssertAccessibleAsync("generated webhook secret");
        await page.ScreenshotAsync("admin-webhookgeheim-nieuw-desktop");
        var stored = await browser.App.ScalarAsync<string>(
            "SELECT protected_secret FROM webhook_secrets ORDER BY created_at DESC, id DESC");
        Assert.DoesNotContain(shown![6..], stored, StringComparison.Ordinal);

        // Never again: not after a reload.
        await page.GotoAsync($"/beheer/organisaties/{organisationId}");
        Assert.DoesNotContain(shown[6..], await page.ContentAsync(), StringComparison.Ordinal);

        await secrets.GetByRole(AriaRole.Listitem).First.GetByRole(AriaRole.Button, new() { NameRegex = new("^Verwijderen") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Het webhookgeheim is verwijderd en ondertekent geen berichten meer.");
        await Expect(secrets.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        // The last one stays: removing it is refused with the reason.
        await secrets.GetByRole(AriaRole.Button, new() { NameRegex = new("^Verwijderen") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("voeg eerst een nieuw geheim toe");
        Assert.Equal(1, await browser.App.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_secrets WHERE removed_at IS NULL"));
    }

    [Fact]
    public async Task ApiReference_Renders_UnderItsNonceCsp_WithoutViolations()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) &&
                message.Text.Contains("script", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync("/api/reference");
        await Expect(page.GetByText("Frontlijn API").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Empty(violations);
    }

    [Fact]
    public async Task HangfireDashboard_RunsUnderTheStrictUiCsp_WithoutAScriptViolation()
    {
        await browser.App.ResetAsync();
        await using var context = await browser.NewContextAsync(bearerFor: "admin");
        var page = await context.NewPageAsync();
        var scriptViolations = new List<string>();
        page.Console += (_, message) =>
        {
            // Its few inline style attributes are refused (cosmetic, and expected); a refused script would not be.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) &&
                message.Text.Contains("script", StringComparison.OrdinalIgnoreCase))
            {
                scriptViolations.Add(message.Text);
            }
        };
        var response = await page.GotoAsync("/hangfire");
        Assert.Equal(200, response!.Status);
        Assert.Equal(Frontlijn.Web.Infrastructure.Web.WebConventions.UiContentSecurityPolicy,
            await response.HeaderValueAsync("content-security-policy"));
        // Its own script (Chart.js) takes over the realtime graph's canvas; that only happens when its scripts ran.
        await Expect(page.Locator("canvas#realtimeGraph.chartjs-render-monitor")).ToBeAttachedAsync(new() { Timeout = 15_000 });
        Assert.Empty(scriptViolations);
    }
}
