using System.Net;
using System.Net.Sockets;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// Where a webhook may go (SPEC "Webhooks"): <c>https</c> to a public address. Without this rule an admin account (or
/// anyone who takes one over) could make Frontlijn POST into its own network — the database, the metrics port, a cloud
/// metadata service at 169.254.169.254 — and read the outcome in the delivery list (server-side request forgery).
/// <para>
/// Checked twice: when the URL is set (<see cref="CheckUrl"/>, literal addresses and well-known local names, no DNS
/// lookup, so a typo costs no traffic) and again for every connection (<see cref="MayConnect"/>, on every address the
/// name resolves to at that moment), so a name that was public when it was entered and resolves inward later (DNS
/// rebinding) is refused before a single packet is sent.
/// </para>
/// <para>
/// <c>Webhooks:AllowedNetworks</c> (CIDR list, comma-separated or as an array) names networks that are nevertheless
/// allowed: an on-premise receiver in the municipality's own network, or the tests' receiver on loopback. Inside those
/// networks <c>http</c> is allowed too (TLS is then the network's business).
/// </para>
/// </summary>
public sealed class WebhookAddressPolicy
{
    public const string AllowedNetworksKey = "Webhooks:AllowedNetworks";

    public WebhookAddressPolicy(IEnumerable<IPNetwork> allowedNetworks) => AllowedNetworks = allowedNetworks.ToList();

    public IReadOnlyList<IPNetwork> AllowedNetworks { get; }

    public static WebhookAddressPolicy FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(AllowedNetworksKey);
        // Both "10.1.0.0/16,127.0.0.0/8" (one environment variable) and an array in appsettings.json.
        var texts = (section.Value ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0));
        var networks = new List<IPNetwork>();
        foreach (var text in texts)
        {
            if (!IPNetwork.TryParse(text, out var network))
            {
                throw new InvalidOperationException(
                    $"{AllowedNetworksKey}: '{text}' is not a network in CIDR notation (such as 10.20.0.0/16 or fd00:1::/64).");
            }
            networks.Add(network);
        }
        return new WebhookAddressPolicy(networks);
    }

    /// <summary>Whether <paramref name="address"/> lies in one of the allowed networks (IPv4-mapped IPv6 counts as IPv4).</summary>
    public bool IsInAllowedNetwork(IPAddress address)
    {
        var plain = Unmap(address);
        return AllowedNetworks.Any(n => n.Contains(plain) || n.Contains(address));
    }

    /// <summary>
    /// The connect-time rule for one resolved address: an allowed network (any scheme), else a public address over
    /// https only.
    /// </summary>
    public bool MayConnect(IPAddress address, bool https) =>
        IsInAllowedNetwork(address) || (https && IsPublic(address));

    /// <summary>
    /// The rule when a URL is set. Returns null when the URL may be stored, else why not (Dutch, for the field error).
    /// Host names are not resolved here (the connect-time check does that on every delivery).
    /// </summary>
    public string? CheckUrl(string url)
    {
        if (url.Length > 2000) return "De webhook-URL is te lang (hoogstens 2000 tekens).";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return "De webhook-URL moet een absolute https-URL zijn, zoals https://ontvanger.example.nl/frontlijn.";
        }
        // user:password@ would put a credential in a value admins see, and "https://bank.example@10.0.0.1/" hides the
        // real host behind what looks like one.
        if (uri.UserInfo.Length > 0)
        {
            return "De webhook-URL mag geen gebruikersnaam of wachtwoord bevatten (user@host); de ondertekening bewijst de afzender.";
        }
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "De webhook-URL mag geen #-deel bevatten.";
        }
        var https = uri.Scheme == Uri.UriSchemeHttps;
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            // Uri already turned 0x7f.1, 2130706433 and friends into their dotted form.
            var address = IPAddress.Parse(uri.IdnHost.Trim('[', ']'));
            if (IsInAllowedNetwork(address)) return null;
            if (!IsPublic(address)) return Refused(address.ToString());
            return https ? null : HttpOnlyInAllowedNetworks;
        }
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (LooksNumeric(host))
        {
            // No top-level domain is numeric: this is an address in an unusual notation (0x7f.1, 017700000001) that a
            // resolver would turn into an IP address.
            return Refused(host);
        }
        if (IsLoopbackName(host))
        {
            // localhost is the machine itself, whatever DNS says.
            return IsInAllowedNetwork(IPAddress.Loopback) && IsInAllowedNetwork(IPAddress.IPv6Loopback)
                ? null
                : Refused(host);
        }
        if (AllowedNetworks.Count == 0)
        {
            if (IsInternalName(host)) return Refused(host);
            if (!https) return HttpOnlyInAllowedNetworks;
        }
        // With allowed networks an internal name or http may be meant for an on-premise receiver: whether it really
        // goes there is decided per connection (http only into an allowed network).
        return null;
    }

    private const string HttpOnlyInAllowedNetworks =
        "De webhook-URL moet https gebruiken; http mag alleen naar een netwerk in Webhooks:AllowedNetworks.";

    private static string Refused(string host) =>
        $"De webhook-URL wijst naar {host}, een intern of niet-publiek adres (loopback, privé, link-local, CGNAT, " +
        "unique-local, multicast of ongespecificeerd). Webhooks gaan alleen naar publieke adressen, tenzij het netwerk in " +
        "Webhooks:AllowedNetworks staat.";

    private static bool LooksNumeric(string host)
    {
        var last = host[(host.LastIndexOf('.') + 1)..];
        return last.Length == 0 || last.All(char.IsAsciiDigit) || last.StartsWith("0x", StringComparison.Ordinal);
    }

    /// <summary><c>localhost</c> and everything under <c>.localhost</c> (RFC 6761): always this machine.</summary>
    internal static bool IsLoopbackName(string host) =>
        host is "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);

    /// <summary>Names that only mean something inside a network: one label (search domains), mDNS, home and internal zones.</summary>
    internal static bool IsInternalName(string host) =>
        !host.Contains('.', StringComparison.Ordinal) ||
        host.EndsWith(".local", StringComparison.Ordinal) || host.EndsWith(".internal", StringComparison.Ordinal) ||
        host.EndsWith(".home.arpa", StringComparison.Ordinal) || host.EndsWith(".lan", StringComparison.Ordinal) ||
        host.EndsWith(".intranet", StringComparison.Ordinal) || host.EndsWith(".corp", StringComparison.Ordinal);

    private static readonly IPNetwork[] NonPublicV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"), // RFC 1918
        IPNetwork.Parse("100.64.0.0/10"), // carrier-grade NAT (RFC 6598)
        IPNetwork.Parse("127.0.0.0/8"), // loopback
        IPNetwork.Parse("169.254.0.0/16"), // link-local, cloud metadata services
        IPNetwork.Parse("172.16.0.0/12"), // RFC 1918
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"), // documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"), // 6to4 relay anycast (deprecated)
        IPNetwork.Parse("192.168.0.0/16"), // RFC 1918
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"), // documentation (TEST-NET-3)
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, and 255.255.255.255 broadcast
    ];

    private static readonly IPNetwork[] NonPublicV6 =
    [
        IPNetwork.Parse("::/128"), // unspecified
        IPNetwork.Parse("::1/128"), // loopback
        IPNetwork.Parse("100::/64"), // discard
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("fc00::/7"), // unique-local
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated, still routed inside some networks)
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    /// <summary>
    /// Whether <paramref name="address"/> is a public unicast address. IPv6 forms that carry an IPv4 address (mapped
    /// <c>::ffff:a.b.c.d</c>, compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>) are judged by
    /// that IPv4 address, so <c>::ffff:127.0.0.1</c> or <c>64:ff9b::a9fe:a9fe</c> is no way around the rule.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !NonPublicV4.Any(n => n.Contains(address));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (address.IsIPv4MappedToIPv6) return IsPublic(address.MapToIPv4());
        if (NonPublicV6.Any(n => n.Contains(address))) return false;
        var bytes = address.GetAddressBytes();
        if (V4Compatible.Contains(address) || Nat64.Contains(address)) return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
        if (SixToFour.Contains(address)) return IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
        return true;
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <summary>A webhook connection refused by <see cref="WebhookAddressPolicy"/> before anything was sent.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
