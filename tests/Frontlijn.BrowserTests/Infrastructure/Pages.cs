using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Frontlijn.BrowserTests.Infrastructure;

/// <summary>What every browser test does: sign in through the demo picker, check accessibility, take a screenshot.</summary>
public static class Pages
{
    public static readonly IReadOnlyList<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>Signs in as <paramref name="username"/> by pressing that person's button on the demo picker.</summary>
    public static async Task SignInAsync(this IPage page, string username)
    {
        await page.GotoAsync("/aanmelden");
        await page.Locator($"button[name='username'][value='{username}']").ClickAsync();
        // Wait for the redirect's URL, then for the page's main content, not for its load event: on a loaded CI machine
        // the landing page's load event (deferred scripts, the SignalR start) has taken over 30 s while its content
        // was there. What a test checks next auto-waits for its own elements.
        await page.WaitForURLAsync(url => !url.Contains("/aanmelden", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.Locator("main").First.WaitForAsync(new() { Timeout = 60_000 });
    }

    /// <summary>Fails with every WCAG 2.1 A/AA violation axe finds on the page as it is now, one line each.</summary>
    public static async Task AssertAccessibleAsync(this IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags.ToList() },
        });
        var violations = result.Violations
            .SelectMany(v => v.Nodes.Select(n => $"{v.Id} ({v.Impact}): {v.Help} at {n.Target} — {n.Html}"))
            .ToList();
        Assert.True(violations.Count == 0, $"{what} ({page.Url}) has accessibility violations:\n" + string.Join("\n", violations));
    }

    public static async Task ScreenshotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserApp.ScreenshotDirectory, name + ".png"),
            FullPage = true,
        });
}
