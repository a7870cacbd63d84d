using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Frontlijn.UnitTests.Configuration;

/// <summary>The oidc settings of issue 9 (sign-in through a real provider): defaults, refusals, MFA evidence.</summary>
public sealed class OidcSettingsTests
{
    private static AuthSettings Oidc(params (string Key, string? Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "oidc", ["Auth:Authority"] = "https://login.example.nl/realms/gemeente",
            ["Auth:Audience"] = "api://frontlijn", ["Auth:ClientId"] = "frontlijn-web",
        };
        foreach (var (key, value) in extra) values[key] = value;
        return AuthSettings.FromConfiguration(Config.From([.. values.Select(kv => (kv.Key, kv.Value))]),
            new TestEnvironment("Production"));
    }

    [Fact]
    public void Oidc_Defaults_SubMfaRequiredNoBindingAtJwtOnly()
    {
        var settings = Oidc();
        Assert.Equal("sub", settings.SubjectClaim);
        Assert.True(settings.RequireMfa);
        Assert.Empty(settings.MfaAcr);
        Assert.False(settings.BindByUsername);
        Assert.Equal(["at+jwt", "application/at+jwt"], settings.AccessTokenTypes);
        Assert.False(settings.AuthorityIsLoopback);
    }

    [Fact]
    public void Demo_DoesNotRequireMfa_ByDefault()
    {
        var settings = AuthSettings.FromConfiguration(
            Config.From(("Auth:Mode", "demo"), ("Auth:DemoSigningKey", "0123456789abcdef0123456789abcdef")),
            new TestEnvironment("Development"));
        Assert.False(settings.RequireMfa);
    }

    [Fact]
    public void Oidc_SettingsAreRead()
    {
        var settings = Oidc(("Auth:SubjectClaim", " oid "), ("Auth:RequireMfa", "false"),
            ("Auth:MfaAcr", " urn:a  urn:b "), ("Auth:BindByUsername", "true"), ("Auth:AccessTokenTypes", "JWT"));
        Assert.Equal("oid", settings.SubjectClaim);
        Assert.False(settings.RequireMfa);
        Assert.Equal(["urn:a", "urn:b"], settings.MfaAcr);
        Assert.True(settings.BindByUsername);
        Assert.Equal(["JWT"], settings.AccessTokenTypes);
    }

    [Theory]
    [InlineData("http://login.example.nl")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://127.0.0.1")]
    public void Oidc_PlainHttpAuthority_IsRefused_UnlessLoopback(string authority)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Oidc(("Auth:Authority", authority)));
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:45123")]
    [InlineData("http://localhost:8080/realms/test")]
    public void Oidc_PlainHttpAuthority_OnLoopback_IsAllowed(string authority) =>
        Assert.True(Oidc(("Auth:Authority", authority)).AuthorityIsLoopback);

    [Fact]
    public void UntypedAccessTokens_WithClientIdEqualToAudience_AreRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Oidc(("Auth:AccessTokenTypes", "JWT"), ("Auth:ClientId", "api://frontlijn")));
        Assert.Contains("Auth:ClientId must differ from Auth:Audience", error.Message, StringComparison.Ordinal);
    }

    private static JsonWebToken Token(string payload) =>
        new(new JsonWebTokenHandler().CreateToken(payload));

    [Theory]
    [InlineData("""{"amr":["pwd","mfa"]}""", true)]
    [InlineData("""{"amr":["pwd","otp"]}""", true)]
    [InlineData("""{"amr":["hwk"]}""", true)]
    [InlineData("""{"amr":["pwd","sms"]}""", true)]
    [InlineData("""{"amr":["pwd"]}""", false)]
    [InlineData("""{"amr":"pwd"}""", false)]
    [InlineData("""{}""", false)]
    [InlineData("""{"acr":"urn:b"}""", true)]
    [InlineData("""{"acr":"urn:c","amr":["pwd"]}""", false)]
    public void MultiFactorEvidence_IsAmrMfaOtpHwkSms_OrAConfiguredAcr(string payload, bool expected) =>
        Assert.Equal(expected, UserDirectory.HasMfa(Token(payload), Oidc(("Auth:MfaAcr", "urn:a urn:b"))));

    [Theory]
    [InlineData("frontlijn:uid", true)]
    [InlineData("Frontlijn:Team", true)]
    [InlineData("role", true)]
    [InlineData("roles", true)]
    [InlineData(ClaimTypes.Role, true)]
    [InlineData(ClaimTypes.Name, true)]
    [InlineData("sub", false)]
    [InlineData("preferred_username", false)]
    [InlineData("amr", false)]
    public void ReservedClaimTypes_AreFrontlijnsAndRoleNames(string type, bool reserved) =>
        Assert.Equal(reserved, UserClaimsTransformation.IsReserved(type));

    [Fact]
    public void ExternalIdentity_IsTheValidatedIssuerAndTheConfiguredSubjectClaim()
    {
        var settings = Oidc(("Auth:SubjectClaim", "oid"));
        var identity = new ClaimsIdentity([
            new Claim("sub", "pairwise-sub", null, "https://login.example.nl/t/v2.0"),
            new Claim("oid", "object-id", null, "https://login.example.nl/t/v2.0"),
        ], "Bearer");
        Assert.Equal(("https://login.example.nl/t/v2.0", "object-id"),
            UserDirectory.ExternalIdentity(new ClaimsPrincipal(identity), settings));
        // Without the configured claim there is no identity (never a fall back to another claim).
        var withoutOid = new ClaimsIdentity([new Claim("sub", "pairwise-sub", null, "https://login.example.nl/t/v2.0")], "Bearer");
        Assert.Null(UserDirectory.ExternalIdentity(new ClaimsPrincipal(withoutOid), settings));
    }
}
