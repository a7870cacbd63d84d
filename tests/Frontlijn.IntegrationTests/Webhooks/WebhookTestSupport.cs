using System.Net;
using System.Net.Sockets;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Webhooks;

/// <summary>What the webhook tests share: writing an event as a change would, and one run of the delivery sweep.</summary>
internal static class WebhookTestSupport
{
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<Guid> CreateOrganisationAsync(TestApp app, string webhookUrl, string secret, string name = "GGZ Friesland")
    {
        var created = await app.ClientFor("admin").PostJson("/api/v1/organisations", new
        {
            name, kind = "ggz", webhookUrl, webhookSecret = secret,
            services = new[] { new { code = "ggz-consult", name = "Consultatie" } },
        }).ExpectAsync(HttpStatusCode.Created);
        return created.Id();
    }

    public static async Task<Guid> EnqueueAsync(TestApp app, Guid organisationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        await db.BeginAsync(CancellationToken.None);
        var id = await scope.ServiceProvider.GetRequiredService<WebhookOutbox>().EnqueueAsync(
            organisationId, "nl.frontlijn.request.sent", Guid.CreateVersion7(), new { status = "sent" }, CancellationToken.None);
        await db.CommitAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<AfterCommit>().RunAsync(CancellationToken.None);
        return id!.Value;
    }

    public static async Task<DeliverWebhooks.RunResult> SweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeliverWebhooks>().RunAsync(CancellationToken.None);
    }
}

/// <summary>
/// A loopback TCP port that only counts the connections made to it (and closes them). It proves whether the webhook
/// client connected at all: a refusal must leave it at zero.
/// </summary>
internal sealed class ConnectionRecorder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    public ConnectionRecorder()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Accepted so far, plus any still waiting in the backlog.</summary>
    public int Connections => Volatile.Read(ref _accepted) + (_listener.Pending() ? 1 : 0);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
