using System.Net;
using System.Net.Sockets;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>
/// Demo mode cannot leak into a server, and the operators' pages are not for everyone. Every server here listens on
/// 127.0.0.1; a "remote" client is simulated with X-Forwarded-For from the trusted loopback proxy, so no test sends
/// traffic beyond this machine, and refused start-ups are refused before anything is bound.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DemoModeTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DemoMode_IsRefused_InProductionAndStaging(string provider)
    {
        foreach (var environment in new[] { "Production", "Staging", "Testing" })
        {
            var error = await StartRefusedAsync(provider, new() { ["environment"] = environment });
            Assert.Contains($"refused in {environment}", error, StringComparison.Ordinal);
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DemoMode_WithANonLoopbackUrl_RefusesToStart_BeforeBinding(string provider)
    {
        // 192.0.2.10 (TEST-NET-1) is on no interface: even a broken check could not listen there.
        var error = await StartRefusedAsync(provider, new() { ["urls"] = "http://127.0.0.1:0;http://192.0.2.10:0" });
        Assert.Contains("Demo mode serves only on loopback", error, StringComparison.Ordinal);
        Assert.Contains("http://192.0.2.10:0", error, StringComparison.Ordinal);
        Assert.Contains("Demo:AllowRemote", error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task WithoutABsnHashKey_StartUpIsRefused_OutsideDevelopmentOnSqlite(string provider)
    {
        var error = await StartRefusedAsync(provider, new() { ["Security:BsnHashKey"] = "" });
        Assert.Contains("Security:BsnHashKey must be set", error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DemoMode_RefusesClientsThatAreNotLoopback_UnlessAllowRemote(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string> { ["ForwardedHeaders:Enabled"] = "true" });
        var client = app.ClientFor("admin");

        using var local = await client.GetAsync("/api/v1/teams");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);

        using var apiRequest = Remote(HttpMethod.Get, "/api/v1/teams");
        using var api = await client.SendAsync(apiRequest);
        var body = await api.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Http.AssertProblem(api, body, 403);
        Assert.Contains("alleen bereikbaar vanaf de computer", body, StringComparison.Ordinal);

        using var pageRequest = Remote(HttpMethod.Get, "/");
        using var page = await client.SendAsync(pageRequest);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Geen toegang", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var open = await TestApp.StartAsync(provider, new Dictionary<string, string>
        {
            ["ForwardedHeaders:Enabled"] = "true", ["Demo:AllowRemote"] = "true",
        });
        using var allowedRequest = Remote(HttpMethod.Get, "/api/v1/teams");
        using var allowed = await open.ClientFor("admin").SendAsync(allowedRequest);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DemoBanner_IsOnEveryPage_AndNotOutsideDemoMode(string provider)
    {
        var app = await apps.ResetAsync(provider);
        foreach (var (user, path) in new[] { ((string?)null, "/aanmelden"), ("admin", "/"), ("admin", "/beheer/organisaties") })
        {
            using var response = await app.ClientFor(user).GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains($"<p class=\"demo-banner\" role=\"note\">{DemoMode.Banner}</p>", html, StringComparison.Ordinal);
        }

        // oidc mode (no identity provider is contacted for an anonymous page): no banner.
        await using var oidc = await TestApp.StartAsync(provider, new Dictionary<string, string>
        {
            ["Auth:Mode"] = "oidc", ["Auth:Authority"] = "https://login.example.invalid", ["Auth:Audience"] = "frontlijn",
        });
        using var signIn = await oidc.ClientFor(null).GetAsync("/aanmelden");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("demo-banner", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Metrics_WithoutManagementPort_AreForAdminsOnly(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        await app.ClientFor(null).GetAsync("/metrics").ExpectAsync(HttpStatusCode.Unauthorized);
        foreach (var user in new[] { s.Coach, s.TeamLead, s.BackOffice })
        {
            await app.ClientFor(user).GetAsync("/metrics").ExpectAsync(HttpStatusCode.Forbidden);
        }
        using var admin = await app.ClientFor("admin").GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("# TYPE", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Decision: no relaxed CSP anywhere. Hangfire gets the UI policy, Scalar a per-response nonce.</summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task HangfireAndApiReference_AreUnderTheStrictCsp(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var hangfire = await app.ClientFor("admin").GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, hangfire.StatusCode);
        Assert.Equal(WebConventions.UiContentSecurityPolicy, Csp(hangfire));

        using var reference = await app.ClientFor(null).GetAsync("/api/reference");
        var html = await reference.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        var scriptSrc = Directive(Csp(reference), "script-src");
        Assert.DoesNotContain("unsafe-inline", scriptSrc, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", Csp(reference), StringComparison.Ordinal);
        var nonce = System.Text.RegularExpressions.Regex.Match(scriptSrc, "'nonce-([^']+)'").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), scriptSrc);
        Assert.Contains($"nonce=\"{nonce}\"", html, StringComparison.Ordinal);
        // Every inline script carries it; a second response has another.
        using var again = await app.ClientFor(null).GetAsync("/api/reference");
        Assert.DoesNotContain(nonce, Csp(again), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task WithManagementPort_OperatorsPages_AreServedOnlyThere(string provider)
    {
        var managementPort = FreeLoopbackPort();
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string>
        {
            ["Management:Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var publicPort = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port).Single(p => p != managementPort);
        var publicAdmin = app.ClientFor("admin");
        publicAdmin.BaseAddress = new Uri($"http://127.0.0.1:{publicPort}");
        var management = app.ClientFor(null);
        management.BaseAddress = new Uri($"http://127.0.0.1:{managementPort}");
        var managementAdmin = app.ClientFor("admin");
        managementAdmin.BaseAddress = management.BaseAddress;

        foreach (var path in new[] { "/metrics", "/hangfire", "/api/reference" })
        {
            await publicAdmin.GetAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        }
        await publicAdmin.GetAsync("/api/v1/teams").ExpectAsync(HttpStatusCode.OK);

        using var metrics = await management.GetAsync("/metrics"); // the scraper needs no token on the management port
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var hangfire = await managementAdmin.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, hangfire.StatusCode);
        using var reference = await management.GetAsync("/api/reference");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        using var document = await management.GetAsync("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        await managementAdmin.GetAsync("/api/v1/teams").ExpectAsync(HttpStatusCode.NotFound);
        using var home = await managementAdmin.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, home.StatusCode);
    }

    private static HttpRequestMessage Remote(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return request;
    }

    private static string Csp(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single();

    private static string Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal));

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts an app that must refuse to start; returns the whole error text (exception chain).</summary>
    private static async Task<string> StartRefusedAsync(string provider, Dictionary<string, string> settings)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await TestApp.StartAsync(provider, settings);
        });
        return error.ToString();
    }
}
