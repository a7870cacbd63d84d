using System.Net;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure;
using Frontlijn.Web.Infrastructure.Auth;

namespace Frontlijn.UnitTests.Configuration;

/// <summary>Demo mode's loopback rule, the BSN key rule and the management port's routing decision.</summary>
public sealed class DemoModeTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://192.168.1.5:8080")]
    [InlineData("http://frontlijn.example.nl:8080")] // a host name binds every interface in Kestrel
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081")]
    public void ANonLoopbackUrl_RefusesDemoStartUp_NamingIt(string urls)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoMode.ValidateListening(Config.From(("urls", urls))));
        Assert.Contains("Demo:AllowRemote", error.Message, StringComparison.Ordinal);
        Assert.Contains(urls.Split(';')[^1], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://127.0.0.2:0;https://localhost:5001")]
    [InlineData("http://unix:/run/frontlijn.sock")]
    public void LoopbackUrls_AreFine(string urls) => DemoMode.ValidateListening(Config.From(("urls", urls)));

    [Fact]
    public void NothingConfigured_IsKestrelsLocalhostDefault_AndFine() => DemoMode.ValidateListening(Config.From());

    [Fact]
    public void HttpPorts_BindEveryInterface_AndAreRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoMode.ValidateListening(Config.From(("http_ports", "8080"))));
        Assert.Contains("http://*:8080", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KestrelEndpoints_AreCheckedToo()
    {
        Assert.Throws<InvalidOperationException>(() => DemoMode.ValidateListening(Config.From(
            ("urls", "http://127.0.0.1:5080"), ("Kestrel:Endpoints:Public:Url", "https://0.0.0.0:443"))));
    }

    [Fact]
    public void AllowRemote_LetsADemoListenOutward() =>
        DemoMode.ValidateListening(Config.From(("urls", "http://0.0.0.0:8080"), ("Demo:AllowRemote", "true")));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("203.0.113.5", false)]
    [InlineData("::ffff:203.0.113.5", false)]
    [InlineData("fe80::1", false)]
    public void RemoteAddress_IsLoopback(string address, bool loopback) =>
        Assert.Equal(loopback, DemoMode.IsLoopback(IPAddress.Parse(address)));

    private const string Key = "unit-test-bsn-key-that-is-long-enough-0123456789";

    [Theory]
    [InlineData("Development", "sqlite", true)]
    [InlineData("Development", null, true)] // sqlite is the default provider
    [InlineData("Development", "postgres", false)]
    [InlineData("Demo", "sqlite", false)]
    [InlineData("Testing", "sqlite", false)]
    [InlineData("Staging", "sqlite", false)]
    [InlineData("Production", "postgres", false)]
    public void TheBuiltInBsnKey_IsOnlyForDevelopmentOnSqlite(string environment, string? provider, bool allowed)
    {
        var configuration = Config.From(("Database:Provider", provider));
        if (allowed)
        {
            Assert.NotNull(BsnHasher.FromConfiguration(configuration, new TestEnvironment(environment)));
        }
        else
        {
            var error = Assert.Throws<InvalidOperationException>(() => BsnHasher.FromConfiguration(configuration, new TestEnvironment(environment)));
            Assert.Contains("Security:BsnHashKey", error.Message, StringComparison.Ordinal);
        }
        // With a key every environment starts, and the key is the one used (an independent HMAC over a test number).
        var hasher = BsnHasher.FromConfiguration(Config.From(("Database:Provider", provider), ("Security:BsnHashKey", Key)),
            new TestEnvironment(environment));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Key), "111222333"u8));
        Assert.Equal(expected, hasher.Hash("111222333"));
    }

    [Theory]
    [InlineData(9090, "/metrics", true)]
    [InlineData(9090, "/hangfire", true)]
    [InlineData(9090, "/hangfire/jobs/enqueued", true)]
    [InlineData(9090, "/api/reference", true)]
    [InlineData(9090, "/api/v1/openapi.json", true)]
    [InlineData(9090, "/health/ready", true)]
    [InlineData(9090, "/api/v1/teams", false)]
    [InlineData(9090, "/", false)]
    [InlineData(8080, "/metrics", false)]
    [InlineData(8080, "/hangfire", false)]
    [InlineData(8080, "/api/reference", false)]
    [InlineData(8080, "/api/v1/teams", true)]
    [InlineData(8080, "/api/v1/openapi.json", true)]
    [InlineData(8080, "/", true)]
    public void ManagementPort_ServesTheOperatorsPagesOnlyThere(int localPort, string path, bool served) =>
        Assert.Equal(served, new ManagementPort(9090).Serves(localPort, path));

    [Fact]
    public void WithoutManagementPort_EverythingIsOnThePublicPort() =>
        Assert.True(new ManagementPort((int?)null).Serves(8080, "/metrics"));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("metrics")]
    public void ManagementPort_ThatIsNoPort_RefusesStartUp(string value) =>
        Assert.Throws<InvalidOperationException>(() => ManagementPort.FromConfiguration(Config.From(("Management:Port", value))));
}
