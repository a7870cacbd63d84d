using System.Net;
using System.Net.Http.Headers;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Sessions;
using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Identity;

/// <summary>
/// The bearer-token cache (Infrastructure/Auth/ValidatedTokenCache.cs, issue 12) over real HTTP: a token validated once
/// is answered from memory, yet a token that differs from it in its signature is refused, a token past its exp is never
/// kept, and deactivation still refuses a cached token on the very next request.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class TokenCacheTests(ProviderApps apps)
{
    private const string Caseload = "/api/v1/caseload";

    private static HttpClient With(TestApp app, string token)
    {
        var client = new HttpClient { BaseAddress = app.ServerAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The same token with the first character of its signature changed (that character carries six full bits).</summary>
    private static string Tampered(string token)
    {
        var signatureStart = token.LastIndexOf('.') + 1;
        var replacement = token[signatureStart] == 'A' ? 'B' : 'A';
        return string.Concat(token.AsSpan(0, signatureStart), replacement.ToString(), token.AsSpan(signatureStart + 1));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ACachedToken_WithItsSignatureChanged_Is401_AndTheOriginalIsStillAdmitted(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var cache = app.Services.GetRequiredService<ValidatedTokenCache>();
        var token = app.TokenFor(s.Coach);

        await With(app, token).GetAsync(Caseload).ExpectAsync(HttpStatusCode.OK);
        Assert.True(cache.TryGet(token, out _), "a fully validated token is kept");

        await With(app, Tampered(token)).GetAsync(Caseload).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.False(cache.TryGet(Tampered(token), out _));
        await With(app, token).GetAsync(Caseload).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ATokenPastItsExp_IsNotKept_WhileTheValidatorsClockSkewStillAdmitsIt(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var cache = app.Services.GetRequiredService<ValidatedTokenCache>();
        // exp 20 s ago: inside the demo validator's one-minute clock skew, so still admitted, as before.
        var token = DemoTokens.Issue(app.Services.GetRequiredService<AuthSettings>(), s.Coach, TimeProvider.System,
            TimeSpan.FromSeconds(-20));

        await With(app, token).GetAsync(Caseload).ExpectAsync(HttpStatusCode.OK);
        Assert.False(cache.TryGet(token, out _), "a token past its exp must be validated in full every time");
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ACachedToken_OfAUserDeactivatedThroughTheApi_Is401OnTheNextRequest(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var cache = app.Services.GetRequiredService<ValidatedTokenCache>();
        var token = app.TokenFor(s.Coach);
        var anna = With(app, token);
        await anna.GetAsync(Caseload).ExpectAsync(HttpStatusCode.OK);
        Assert.True(cache.TryGet(token, out _));

        await UserPatchTests.Patch(app.ClientFor("admin"), s.CoachId, """{"active":false}""").ExpectAsync(HttpStatusCode.OK);
        await anna.GetAsync(Caseload).ExpectAsync(HttpStatusCode.Unauthorized);
        // Still the cached token: what refused it is the check after validation, not a validation failure.
        Assert.True(cache.TryGet(token, out _));
    }
}
