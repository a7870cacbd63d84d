using System.Net;
using Frontlijn.UnitTests.Configuration;
using Frontlijn.Web.Features.Webhooks;

namespace Frontlijn.UnitTests.Webhooks;

/// <summary>
/// The address classifier against the IANA special-purpose registries (RFC 6890 and its updates), written out here
/// address by address rather than derived from the implementation's network list.
/// </summary>
public sealed class WebhookAddressPolicyTests
{
    private static readonly WebhookAddressPolicy NoneAllowed = new([]);

    [Theory]
    [InlineData("0.0.0.0")] // unspecified
    [InlineData("0.1.2.3")] // "this network"
    [InlineData("127.0.0.1")] // loopback
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")] // RFC 1918
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")] // RFC 1918
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")] // RFC 1918
    [InlineData("169.254.169.254")] // link-local (cloud metadata)
    [InlineData("100.64.0.1")] // carrier-grade NAT
    [InlineData("100.127.255.255")]
    [InlineData("192.0.0.8")] // IETF protocol assignments
    [InlineData("192.0.2.1")] // TEST-NET-1
    [InlineData("198.18.0.1")] // benchmarking
    [InlineData("198.51.100.7")] // TEST-NET-2
    [InlineData("203.0.113.9")] // TEST-NET-3
    [InlineData("224.0.0.251")] // multicast (mDNS)
    [InlineData("239.255.255.250")] // multicast (SSDP)
    [InlineData("240.0.0.1")] // reserved
    [InlineData("255.255.255.255")] // broadcast
    [InlineData("::")] // unspecified
    [InlineData("::1")] // loopback
    [InlineData("fe80::1")] // link-local
    [InlineData("febf:ffff::1")]
    [InlineData("fc00::1")] // unique-local
    [InlineData("fd12:3456:789a::1")]
    [InlineData("ff02::1")] // multicast
    [InlineData("2001:db8::1")] // documentation
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:10.1.2.3")] // IPv4-mapped private
    [InlineData("::ffff:169.254.169.254")] // IPv4-mapped link-local
    [InlineData("::ffff:100.64.0.1")] // IPv4-mapped CGNAT
    [InlineData("::ffff:0.0.0.0")] // IPv4-mapped unspecified
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("2002:c0a8:0101::1")] // 6to4 of 192.168.1.1
    [InlineData("::10.0.0.1")] // IPv4-compatible (deprecated) of a private address
    public void NonPublicAddresses_AreRefused(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.False(WebhookAddressPolicy.IsPublic(address), $"{text} was judged public");
        Assert.False(NoneAllowed.MayConnect(address, https: true));
        Assert.False(NoneAllowed.MayConnect(address, https: false));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.1")] // just above it
    [InlineData("100.63.255.255")] // just below CGNAT
    [InlineData("100.128.0.1")] // just above it
    [InlineData("11.0.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2a00:1450:4001:82b::200e")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:93.184.215.14")] // IPv4-mapped public
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void PublicAddresses_AreAllowedOverHttpsOnly(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.True(WebhookAddressPolicy.IsPublic(address), $"{text} was judged not public");
        Assert.True(NoneAllowed.MayConnect(address, https: true));
        Assert.False(NoneAllowed.MayConnect(address, https: false));
    }

    [Fact]
    public void AllowedNetworks_OpenExactlyTheirOwnRange_ForHttpToo()
    {
        var policy = new WebhookAddressPolicy([IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("fd00:1::/64")]);
        Assert.True(policy.MayConnect(IPAddress.Parse("10.20.0.1"), https: false));
        Assert.True(policy.MayConnect(IPAddress.Parse("10.20.255.254"), https: true));
        Assert.True(policy.MayConnect(IPAddress.Parse("::ffff:10.20.3.4"), https: false)); // the mapped form counts as IPv4
        Assert.True(policy.MayConnect(IPAddress.Parse("fd00:1::5"), https: false));
        Assert.False(policy.MayConnect(IPAddress.Parse("10.21.0.1"), https: true));
        Assert.False(policy.MayConnect(IPAddress.Parse("fd00:2::5"), https: true));
        Assert.False(policy.MayConnect(IPAddress.Parse("127.0.0.1"), https: true));
    }

    [Fact]
    public void AllowedNetworks_AreReadAsOneCommaSeparatedValue_OrAsAnArray()
    {
        var fromText = WebhookAddressPolicy.FromConfiguration(Config.From(("Webhooks:AllowedNetworks", "10.20.0.0/16, 127.0.0.0/8")));
        Assert.Equal(["10.20.0.0/16", "127.0.0.0/8"], fromText.AllowedNetworks.Select(n => n.ToString()));
        var fromArray = WebhookAddressPolicy.FromConfiguration(Config.From(
            ("Webhooks:AllowedNetworks:0", "192.168.10.0/24"), ("Webhooks:AllowedNetworks:1", "fd00::/8")));
        Assert.Equal(["192.168.10.0/24", "fd00::/8"], fromArray.AllowedNetworks.Select(n => n.ToString()));
        Assert.Empty(WebhookAddressPolicy.FromConfiguration(Config.From()).AllowedNetworks);
        Assert.Empty(WebhookAddressPolicy.FromConfiguration(Config.From(("Webhooks:AllowedNetworks", ""))).AllowedNetworks);
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("intern")]
    public void AnAllowedNetworkThatIsNoCidr_RefusesStartUp(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            WebhookAddressPolicy.FromConfiguration(Config.From(("Webhooks:AllowedNetworks", value))));
        Assert.Contains("Webhooks:AllowedNetworks", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://ggz.example.nl/hooks", true)]
    [InlineData("https://127.0.0.1/hooks", false)]
    [InlineData("https://localhost/hooks", false)]
    [InlineData("https://LOCALHOST./hooks", false)]
    [InlineData("https://x.localhost/hooks", false)]
    [InlineData("https://017700000001/hooks", false)] // octal 127.0.0.1
    [InlineData("https://[::ffff:7f00:1]/hooks", false)]
    [InlineData("https://ggz.example.nl/hooks#fragment", false)]
    [InlineData("https://user@ggz.example.nl/hooks", false)]
    public void CheckUrl_WithoutAllowedNetworks(string url, bool accepted) =>
        Assert.Equal(accepted, NoneAllowed.CheckUrl(url) is null);
}
