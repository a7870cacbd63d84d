using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Web;

/// <summary>
/// Pages and API share one service but not one way of refusing: people are sent to sign in or shown a page, machines
/// get a status code with problem+json. A bearer token opens pages as well, so tools and tests need no cookie.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class PageAuthenticationTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnonymousPage_RedirectsToSignIn_WhileAnonymousApiAnswers401ProblemJson(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.ServerAddress };

        using var page = await client.GetAsync("/beheer/wijken");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/aanmelden?ReturnUrl=%2Fbeheer%2Fwijken", page.Headers.Location!.PathAndQuery);

        using var api = await client.GetAsync("/api/v1/teams");
        var body = await api.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);
        Http.AssertProblem(api, body, 401);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BearerToken_OpensPages_AndARefusedPageIsAPageNotJson(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);

        using var admin = await app.ClientFor("admin").GetAsync("/beheer/teams");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("text/html", admin.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Frontlijnteam Oost", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var coach = await app.ClientFor(s.Coach).GetAsync("/beheer/teams");
        Assert.Equal(HttpStatusCode.Forbidden, coach.StatusCode);
        Assert.Equal("text/html", coach.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Geen toegang", await coach.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var missing = await app.ClientFor(s.Coach).GetAsync("/bestaat-niet");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Pagina niet gevonden", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ApiRefusals_StayProblemJson_ForPeopleWithAToken(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);

        await app.ClientFor(s.Coach).GetAsync("/api/v1/users").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor("admin").GetAsync("/api/v1/users/" + Guid.NewGuid()).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Pages_GetTheStrictUiContentSecurityPolicy(string provider)
    {
        var app = await apps.ResetAsync(provider);
        using var page = await app.ClientFor(null).GetAsync("/aanmelden");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
            page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }
}
