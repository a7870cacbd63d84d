using Frontlijn.Web.Infrastructure.Auth;

namespace Frontlijn.UnitTests.Configuration;

public sealed class AuthSettingsTests
{
    private const string Key32 = "0123456789abcdef0123456789abcdef";

    private static AuthSettings Read(string environment, params (string Key, string? Value)[] values) =>
        AuthSettings.FromConfiguration(Config.From(values), new TestEnvironment(environment));

    [Fact]
    public void Development_WithoutMode_IsDemo()
    {
        var settings = Read("Development", ("Auth:DemoSigningKey", Key32));
        Assert.Equal(AuthMode.Demo, settings.Mode);
        Assert.Equal(Key32, settings.DemoSigningKey);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void OtherEnvironments_WithoutMode_AreOidc(string environment)
    {
        var settings = Read(environment, ("Auth:Authority", "https://sso.example.nl/realms/frontlijn"), ("Auth:Audience", "frontlijn"));
        Assert.Equal(AuthMode.Oidc, settings.Mode);
        Assert.Equal("https://sso.example.nl/realms/frontlijn", settings.Authority);
        Assert.Equal("frontlijn", settings.Audience);
    }

    [Fact]
    public void Production_WithoutMode_AndWithoutOidcSettings_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read("Production"));
        Assert.Contains("Auth:Authority", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData(" Demo ")]
    public void Demo_InProduction_IsRefused_WithAClearMessage(string mode)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Read("Production", ("Auth:Mode", mode), ("Auth:DemoSigningKey", Key32)));
        Assert.Contains("refused in Production", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Mode=oidc", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Demo")]
    public void Demo_InDevelopmentOrDemo_IsAllowed_WhenAsked(string environment) =>
        Assert.Equal(AuthMode.Demo, Read(environment, ("Auth:Mode", "demo"), ("Auth:DemoSigningKey", Key32)).Mode);

    [Theory]
    [InlineData("Staging")]
    [InlineData("Acceptatie")]
    [InlineData("Testing")] // allowed before the second round; the SPEC's double switch names Development or Demo only
    public void Demo_InAnyOtherEnvironment_IsRefused(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Read(environment, ("Auth:Mode", "demo"), ("Auth:DemoSigningKey", Key32)));
        Assert.Contains($"refused in {environment}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BootstrapAdmin_IsReadLowerCase()
    {
        var settings = Read("Production", ("Auth:Mode", "oidc"), ("Auth:Authority", "https://login.example.nl"),
            ("Auth:Audience", "frontlijn"), ("Auth:BootstrapAdmin", " Beheer.Jan "));
        Assert.Equal("beheer.jan", settings.BootstrapAdmin);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcde")] // 31 bytes
    public void Demo_NeedsASigningKeyOfAtLeast32Bytes(string? key)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Read("Development", ("Auth:Mode", "demo"), ("Auth:DemoSigningKey", key)));
        Assert.Contains("Auth:DemoSigningKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_KeyLength_IsCountedInUtf8Bytes()
    {
        // 16 characters of two bytes each: 32 bytes, enough for HS256.
        Assert.Equal(AuthMode.Demo, Read("Development", ("Auth:DemoSigningKey", new string('é', 16))).Mode);
    }

    [Theory]
    [InlineData(null, "frontlijn")]
    [InlineData("https://sso.example.nl/realms/frontlijn", null)]
    [InlineData(" ", " ")]
    public void Oidc_NeedsAuthorityAndAudience(string? authority, string? audience)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Read("Production", ("Auth:Mode", "oidc"), ("Auth:Authority", authority), ("Auth:Audience", audience)));
        Assert.Contains("Auth:Authority and Auth:Audience", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMode_IsRefused_Naming()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read("Development", ("Auth:Mode", "basic")));
        Assert.Contains("'basic'", error.Message, StringComparison.Ordinal);
    }
}
