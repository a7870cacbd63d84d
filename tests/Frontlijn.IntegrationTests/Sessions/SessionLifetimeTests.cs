using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Sessions;

/// <summary>
/// The session behind the cookie (auth_sessions): idle timeout <c>Auth:IdleMinutes</c> (30), absolute limit
/// <c>Auth:SessionHours</c> (10), sign-out ends it on the server, and a refused cookie is a 401 problem+json for the
/// API and the sign-in page with "Uw sessie is verlopen" for people.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class SessionLifetimeTests(ProviderApps apps)
{
    private const string ApiPath = "/api/v1/users";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SignIn_StartsAServerSession_ThatTheCookieNames(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync("admin");

        Assert.True(browser.Cookies.ContainsKey("frontlijn-sessie"), "no session cookie after signing in");
        var admins = await app.ClientFor("admin").GetAsync("/api/v1/users?role=admin").ExpectAsync(HttpStatusCode.OK);
        var adminId = admins["items"]![0]!.Id();
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM auth_sessions WHERE ended_at IS NULL AND user_id = @adminId", new { adminId }));
        await Ok(browser);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task IdleTimeout_EndsASessionWithoutRequests_ButActivityKeepsItAlive(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync("admin");

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        await Ok(browser);
        // 58 minutes after signing in, but only 29 after the last request: still valid.
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        await Ok(browser);

        using var stale = browser.CopyTo(app.ServerAddress);
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await Refused(browser, ApiPath);
        Assert.False(browser.Cookies.ContainsKey("frontlijn-sessie"), "the refused cookie was not removed");
        Assert.Equal("idle-timeout", await EndReasonAsync(app));

        // A person with the old cookie is sent to sign in, and told why.
        using var page = await stale.GetAsync("/beheer/gebruikers");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location!.PathAndQuery;
        Assert.StartsWith("/aanmelden?", location, StringComparison.Ordinal);
        Assert.Contains("sessie=verlopen", location, StringComparison.Ordinal);
        using var signIn = await stale.GetAsync(location);
        Assert.Contains("Uw sessie is verlopen", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AbsoluteLimit_EndsEvenAnActiveSession_AfterTenHours(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var browser = new CookieBrowser(app);
        var signedInAt = app.Clock.GetUtcNow();
        await browser.SignInAsync("admin");

        // A request every 25 minutes: the idle timeout never strikes.
        while (app.Clock.GetUtcNow() + TimeSpan.FromMinutes(25) < signedInAt + TimeSpan.FromHours(10))
        {
            app.Clock.Advance(TimeSpan.FromMinutes(25));
            await Ok(browser);
        }
        Assert.True(app.Clock.GetUtcNow() > signedInAt + TimeSpan.FromHours(9.5));
        app.Clock.SetUtcNow(signedInAt + TimeSpan.FromHours(10));
        await Refused(browser, ApiPath);
        Assert.Equal("absolute-limit", await EndReasonAsync(app));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SignOut_EndsTheSessionOnTheServer_SoTheOldCookieIsRefused(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync("admin");
        await Ok(browser);
        using var copied = browser.CopyTo(app.ServerAddress);

        await browser.SignOutAsync();
        Assert.False(browser.Cookies.ContainsKey("frontlijn-sessie"), "sign-out did not remove the cookie");
        Assert.Equal("signed-out", await EndReasonAsync(app));

        // Someone who kept a copy of the cookie (a shared computer, a stolen cookie) gets nothing with it.
        await Refused(copied, ApiPath);
        using var page = await copied.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/aanmelden", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SigningInAgain_EndsTheSessionTheBrowserHad(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync("admin");
        using var first = browser.CopyTo(app.ServerAddress);

        await browser.SignInAsync(s.TeamLead);
        await Ok(browser, "/api/v1/caseload/coaches");
        await Refused(first, ApiPath);
        Assert.Equal("replaced", await EndReasonAsync(app));
    }

    internal static async Task Ok(CookieBrowser browser, string path = ApiPath)
    {
        using var response = await browser.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"{path} with the session cookie answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    internal static async Task Refused(CookieBrowser browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} answered {(int)response.StatusCode}: {body}");
        var problem = Http.AssertProblem(response, body, 401);
        Assert.Contains("sessie", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>The reason recorded for the one session of the test that has ended.</summary>
    private static async Task<string> EndReasonAsync(TestApp app)
    {
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM auth_sessions WHERE ended_at IS NOT NULL"));
        return await app.ScalarAsync<string>("SELECT ended_reason FROM auth_sessions WHERE ended_at IS NOT NULL");
    }
}
