using System.Net;
using System.Net.WebSockets;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Sessions;

/// <summary>
/// What a browser session needs besides the session itself: antiforgery on unsafe API calls that come with the
/// cookie, an Origin check on the hub, no-store on personal data, and Secure / __Host- / HSTS behind a TLS proxy.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class BrowserSecurityTests(ProviderApps apps)
{
    private const string TokenHeader = "RequestVerificationToken";

    /// <summary>A household the team lead registers and gives to the coach: the coach gets a notification each time.</summary>
    private static async Task<Guid> NotificationForCoachAsync(TestApp app, Scenario s, int houseNumber)
    {
        var lead = app.ClientFor(s.TeamLead);
        var household = (await lead.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: houseNumber)).Id();
        await lead.AssignCoachAsync(household, s.CoachId);
        var inbox = await app.ClientFor(s.Coach).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        return inbox["items"]!.AsArray().Select(n => n!).Last(n => n["householdId"]?.GetValue<string>() == household.ToString()).Id();
    }

    private static Task<int> UnreadAsync(TestApp app, Guid id) =>
        app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE id = @id AND read_at IS NULL", new { id });

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task UnsafeApiCallWithTheCookie_NeedsTheAntiforgeryHeader_EvenWithoutABody_ButABearerCallDoesNot(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var first = await NotificationForCoachAsync(app, s, 1);
        var second = await NotificationForCoachAsync(app, s, 2);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync(s.Coach);

        // What another site could make the browser send: the cookie, no token. Refused, nothing marked read.
        using (var forged = await browser.PostAsync($"/api/v1/notifications/{first}/read"))
        {
            var body = await forged.Content.ReadAsStringAsync();
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{(int)forged.StatusCode}: {body}");
            Assert.Contains("antiforgery", Http.AssertProblem(forged, body, 400)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using (var wrong = await browser.PostAsync($"/api/v1/notifications/{first}/read", new Dictionary<string, string> { [TokenHeader] = "nep" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        Assert.Equal(1, await UnreadAsync(app, first));

        // Our own page's script sends the token from the meta tag: accepted.
        var token = await browser.MetaTokenAsync();
        using (var own = await browser.PostAsync($"/api/v1/notifications/{first}/read", new Dictionary<string, string> { [TokenHeader] = token }))
        {
            Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        }
        Assert.Equal(0, await UnreadAsync(app, first));

        // Another user's token does not fit this user's session.
        using var otherBrowser = new CookieBrowser(app);
        await otherBrowser.SignInAsync(s.SecondCoach);
        var otherToken = await otherBrowser.MetaTokenAsync();
        using (var foreign = await browser.PostAsync($"/api/v1/notifications/{second}/read", new Dictionary<string, string> { [TokenHeader] = otherToken }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        }
        Assert.Equal(1, await UnreadAsync(app, second));

        // A bearer token cannot be sent by another site: no header needed.
        using (var bearer = await app.ClientFor(s.Coach).PostAsync($"/api/v1/notifications/{second}/read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, bearer.StatusCode);
        }
        Assert.Equal(0, await UnreadAsync(app, second));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Hub_RefusesAForeignOrigin_AndAllowsItsOwnOrigin_AndClientsWithoutOrigin(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var client = app.ClientFor(s.Coach);
        var own = $"http://{app.ServerAddress.Authority}";

        async Task<HttpStatusCode> Negotiate(string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/notifications/negotiate?negotiateVersion=1");
            if (origin is not null) request.Headers.Add("Origin", origin);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Http.AssertProblem(response, await response.Content.ReadAsStringAsync(), 403);
            }
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await Negotiate("https://kwaadwillend.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await Negotiate("http://127.0.0.1:1"));
        Assert.Equal(HttpStatusCode.OK, await Negotiate(own));
        Assert.Equal(HttpStatusCode.OK, await Negotiate(null));

        async Task<bool> WebSocketOpens(string origin)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Origin", origin);
            var url = new Uri($"ws://{app.ServerAddress.Authority}/hubs/notifications?access_token={Uri.EscapeDataString(app.TokenFor(s.Coach))}");
            try
            {
                await socket.ConnectAsync(url, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                return false;
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return true;
        }

        Assert.False(await WebSocketOpens("https://kwaadwillend.example"), "a foreign origin opened the hub's WebSocket");
        Assert.True(await WebSocketOpens(own), "the service's own origin could not open the hub's WebSocket");

        // The .NET SignalR client sends no Origin.
        await using var hub = app.HubFor(s.Coach);
        await hub.StartAsync();
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PersonalData_IsNoStore_WhileTheContractAndStaticFilesStayCacheable(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        using var browser = new CookieBrowser(app);
        await browser.SignInAsync(s.Coach);

        async Task<string?> CacheControl(Task<HttpResponseMessage> sending)
        {
            using var response = await sending;
            return response.Headers.CacheControl?.ToString();
        }

        Assert.Equal("no-store", await CacheControl(coach.GetAsync("/api/v1/caseload")));
        Assert.Equal("no-store", await CacheControl(coach.GetAsync("/api/v1/users"))); // a 403 too
        Assert.Equal("no-store", await CacheControl(coach.PostAsync("/hubs/notifications/negotiate?negotiateVersion=1", null)));
        Assert.Equal("no-store", await CacheControl(browser.GetAsync("/")));
        Assert.Equal("no-store", await CacheControl(browser.GetAsync("/verzoeken")));
        Assert.Equal("no-store", await CacheControl(browser.GetAsync("/api/v1/notifications")));
        Assert.Equal("no-store", await CacheControl(app.ClientFor(null).GetAsync("/aanmelden")));

        Assert.NotEqual("no-store", await CacheControl(app.ClientFor(null).GetAsync("/api/v1/openapi.json")));
        var css = await CacheControl(app.ClientFor(null).GetAsync("/css/site.css"));
        Assert.NotNull(css);
        Assert.Contains("max-age", css, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BehindATlsProxy_CookiesAreSecureWithTheHostPrefix_AndHstsIsSent(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string>
        {
            ["ForwardedHeaders:Enabled"] = "true", ["Hub:AllowedOrigins:0"] = "https://portaal.gemeente.example",
            // The test signs in through the demo page as a client behind the proxy (203.0.113.7, a documentation
            // address; no traffic leaves loopback): demo mode serves such a client only when allowed explicitly.
            ["Demo:AllowRemote"] = "true",
        });
        await app.ResetAsync();
        var proxied = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "203.0.113.7" };
        using var browser = new CookieBrowser(app, proxied);
        await browser.SignInAsync("admin");

        var session = Assert.Single(browser.SetCookies, c => c.StartsWith("__Host-frontlijn-sessie=", StringComparison.Ordinal));
        var antiforgery = Assert.Single(browser.SetCookies, c => c.StartsWith("__Host-frontlijn-af=", StringComparison.Ordinal));
        foreach (var cookie in new[] { session, antiforgery })
        {
            var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("path=/", attributes);
            Assert.Contains("httponly", attributes);
            Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(browser.SetCookies, c => c.StartsWith("frontlijn-", StringComparison.Ordinal));

        using (var page = await browser.GetAsync("/beheer/gebruikers"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.StartsWith("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        }
        // The cookie-authenticated API through the proxy works, token header and all.
        var token = await browser.MetaTokenAsync();
        using (var patch = await browser.SendAsync(HttpMethod.Get, "/api/v1/users", headers: new Dictionary<string, string> { [TokenHeader] = token }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        // The hub behind the proxy: its public https origin and the configured portal may open it, others not.
        async Task<HttpStatusCode> Negotiate(string origin)
        {
            using var response = await browser.SendAsync(HttpMethod.Post, "/hubs/notifications/negotiate?negotiateVersion=1",
                new ByteArrayContent([]), new Dictionary<string, string> { ["Origin"] = origin });
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Negotiate($"https://{app.ServerAddress.Authority}"));
        Assert.Equal(HttpStatusCode.OK, await Negotiate("https://portaal.gemeente.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await Negotiate($"http://{app.ServerAddress.Authority}"));

        // Straight to the service over plain http (no proxy header): no prefix, not Secure, no HSTS.
        using var direct = new CookieBrowser(app);
        await direct.SignInAsync("admin");
        Assert.Contains(direct.SetCookies, c => c.StartsWith("frontlijn-sessie=", StringComparison.Ordinal) && !c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(direct.SetCookies, c => c.StartsWith("frontlijn-af=", StringComparison.Ordinal));
        using var plain = await direct.GetAsync("/beheer/gebruikers");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }
}
