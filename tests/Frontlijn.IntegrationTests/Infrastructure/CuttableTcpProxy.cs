using System.Net;
using System.Net.Sockets;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>
/// A real TCP forwarder on loopback between the app and its database server, which a test can cut and restore: a
/// database outage without stopping the shared server. <see cref="Cut"/> resets every open connection (the app's
/// pooled connections die mid-query, as when a server crashes) and stops listening (new connections are refused, as
/// when it is down); <see cref="Restore"/> listens on the same port again.
/// </summary>
public sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _lock = new();
    private readonly List<Socket> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _accepting = new();

    public int Port { get; private set; }

    /// <summary>Connections accepted so far (proves traffic went through the proxy).</summary>
    public int Accepted { get; private set; }

    public CuttableTcpProxy(string targetHost, int targetPort)
    {
        var address = IPAddress.Parse(targetHost == "localhost" ? "127.0.0.1" : targetHost);
        if (!IPAddress.IsLoopback(address))
        {
            throw new InvalidOperationException("Tests send traffic to loopback only; the proxy target must be a loopback address.");
        }
        _target = new IPEndPoint(address, targetPort);
        Listen(0);
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(backlog: 512);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _accepting = new CancellationTokenSource();
        _ = AcceptLoopAsync(listener, _accepting.Token);
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(client, ct);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken ct)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (_lock)
        {
            if (ct.IsCancellationRequested)
            {
                Reset(client);
                return;
            }
            Accepted++;
            _open.Add(client);
            _open.Add(server);
        }
        try
        {
            await server.ConnectAsync(_target, ct);
            await Task.WhenAny(PumpAsync(client, server, ct), PumpAsync(server, client, ct));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut, or one side went away.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            Reset(client);
            Reset(server);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0) return;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with RST (linger 0): the peer sees a dead connection at once, and no TIME_WAIT holds the port.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The database "goes away": every open connection is reset and new ones are refused.</summary>
    public void Cut()
    {
        Socket[] open;
        lock (_lock)
        {
            _accepting.Cancel();
            _listener?.Stop();
            _listener = null;
            open = [.. _open];
            _open.Clear();
        }
        foreach (var socket in open) Reset(socket);
    }

    /// <summary>The database is back, on the same address.</summary>
    public void Restore()
    {
        lock (_lock)
        {
            if (_listener is not null) return;
            Listen(Port);
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        _accepting.Dispose();
        return ValueTask.CompletedTask;
    }
}
