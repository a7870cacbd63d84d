using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Microsoft.AspNetCore.SignalR.Client;

namespace Frontlijn.IntegrationTests.Notifications;

/// <summary>
/// A SignalR connection is an HTTP request that lasts as long as its socket. The database connection its
/// authentication used must go back to the pool once the hub takes over, or every open client holds one (issue 12's
/// harness: 100 clients exhausted PostgreSQL's pool and the 101st negotiate was a 500).
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HubConnectionPoolTests(ProviderApps apps)
{
    private const int Clients = 30;

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenHubConnections_HoldNoDatabaseConnection_AndStillReceivePushes(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var hubs = new List<HubConnection>();
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        // The pool keeps the idle connections earlier tests of this shared app used (up to its idle lifetime), and
        // pg_stat_activity counts them too: start from an empty pool, so what is open afterwards is what the hubs hold.
        if (provider == Providers.Postgres) Npgsql.NpgsqlConnection.ClearAllPools();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var hub = app.HubFor(w.S.BackOffice);
                hub.On<JsonNode>("notification", _ =>
                {
                    if (Interlocked.Increment(ref count) == Clients) received.TrySetResult(Clients);
                });
                await hub.StartAsync();
                await hub.InvokeAsync<string>("Ready");
                hubs.Add(hub);
            }
            if (provider == Providers.Postgres)
            {
                // Physical connections of this database (the pool keeps released ones open, idle, and reuses them):
                // without the release every hub would hold its own.
                var open = await app.ScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()");
                Assert.True(open < Clients / 2, $"{open} database connections for {Clients} open hub connections");
            }

            // The API and the pushes still work with all of them open: one request, one push per connection.
            await w.SendAsync();
            Assert.Equal(Clients, await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
            await w.BackOffice.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        }
        finally
        {
            foreach (var hub in hubs) await hub.DisposeAsync();
        }
    }
}
