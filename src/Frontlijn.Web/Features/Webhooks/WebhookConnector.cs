using System.Net;
using System.Net.Sockets;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// The webhook client's only way onto the network (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolve the
/// host now, check every address it resolves to against <see cref="WebhookAddressPolicy"/>, and connect only when all
/// of them are allowed. Checking here, and not only when the URL was entered, is what defeats DNS rebinding: the
/// addresses judged are the very addresses the socket connects to. A name that mixes public and internal addresses is
/// refused as a whole (an attacker's name would otherwise be one lucky retry away from the inside).
/// </summary>
public static class WebhookConnector
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Create(
        WebhookAddressPolicy policy, ILogger logger) =>
        async (context, ct) =>
        {
            var endpoint = context.DnsEndPoint;
            var https = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps;
            var addresses = await ResolveAsync(endpoint.Host, ct);
            var refused = addresses.Where(a => !policy.MayConnect(a, https)).ToList();
            if (addresses.Length == 0 || refused.Count > 0)
            {
                logger.LogWarning("Webhook connection to {Host} refused before connecting: {Addresses} not allowed",
                    endpoint.Host, string.Join(", ", refused));
                throw new WebhookAddressRefusedException(addresses.Length == 0
                    ? $"Geweigerd: {endpoint.Host} heeft geen adres."
                    : $"Geweigerd vóór verbinden: {endpoint.Host} wijst naar {string.Join(", ", refused)}, " +
                      (https ? "geen publiek adres" : "http buiten Webhooks:AllowedNetworks") +
                      " (Webhooks:AllowedNetworks).");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, endpoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        return await Dns.GetHostAddressesAsync(host, ct);
    }
}
