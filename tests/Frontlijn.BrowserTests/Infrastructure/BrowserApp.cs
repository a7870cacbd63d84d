using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Frontlijn.BrowserTests.Infrastructure;

/// <summary>
/// One running service (the integration tests' <see cref="TestApp"/> over SQLite: the pages are the same on every
/// provider, which the integration tests already cover) and one Chromium for the whole run.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;

    public TestApp App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: FRONTLIJN_TEST_SCREENSHOTS, else TestResults/screenshots beside this project.</summary>
    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("FRONTLIJN_TEST_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            // Never a skip: a missing browser must not look like a passing UI (on CI or anywhere else).
            throw new InvalidOperationException(
                $"Chromium was not found at '{chromium}'. Install it with `apt-get install -y chromium`, or set " +
                "FRONTLIJN_TEST_CHROMIUM to the browser's path." + (Providers.InCi ? " (CI=true: browser tests never skip.)" : ""));
        }
        App = await TestApp.StartAsync(Providers.Sqlite);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser profile (no cookies) on the app; desktop size unless told otherwise.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, string? bearerFor = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = App.ServerAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "nl-NL",
            TimezoneId = "Europe/Amsterdam",
        };
        if (bearerFor is not null)
        {
            options.ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {App.TokenFor(bearerFor)}" };
        }
        return await Browser.NewContextAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }

    private static string FindScreenshotDirectory()
    {
        if (Environment.GetEnvironmentVariable("FRONTLIJN_TEST_SCREENSHOTS") is { Length: > 0 } configured) return configured;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Frontlijn.BrowserTests.csproj")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserApp>
{
    public const string Name = "browser";
}
