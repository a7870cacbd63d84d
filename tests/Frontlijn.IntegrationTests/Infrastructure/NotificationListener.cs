using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>A real SignalR client of one user that collects every <c>notification</c> it receives.</summary>
public sealed class NotificationListener : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();

    private NotificationListener(HubConnection hub)
    {
        _hub = hub;
        _hub.On<JsonElement>("notification", message => _received.Writer.TryWrite(message));
    }

    public static async Task<NotificationListener> ConnectAsync(TestApp app, string username)
    {
        var listener = new NotificationListener(app.HubFor(username));
        await listener._hub.StartAsync();
        // StartAsync returns after the handshake, possibly before the server has put the connection in its groups;
        // the hub answers Ready only after that, so from here on every push reaches this client.
        await listener._hub.InvokeAsync<string>("Ready");
        return listener;
    }

    /// <summary>The next notification of this type; fails after the timeout (a bound, not a timing assertion).</summary>
    public async Task<JsonElement> NextAsync(string type, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(cts.Token);
                if (message.GetProperty("type").GetString() == type) return message;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No '{type}' notification arrived over SignalR.");
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
}
