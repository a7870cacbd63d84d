using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;

namespace Frontlijn.IntegrationTests.Notifications;

/// <summary>
/// The back-office fan-out of a new request (issue 12): every back-office user of the addressed organisation, and only
/// they, hears of each request live and finds it in their inbox, with their own cursors in commit order — also when
/// several coaches send at the same moment (one organisation row per request since the organisation feed, 0027).
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class NotificationFanOutTests(ProviderApps apps)
{
    private const int Requests = 6;

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ConcurrentRequests_ReachEveryBackOfficeUser_LiveAndInTheInbox_WithGaplessCursors(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var admin = app.ClientFor("admin");
        string[] colleagues = ["fanout.bo1", "fanout.bo2"];
        foreach (var username in colleagues)
        {
            await admin.PostJson("/api/v1/users", new
            {
                username, displayName = username, role = "back-office", organisationId = w.S.OrganisationId,
            }).ExpectAsync(HttpStatusCode.Created);
        }
        string[] backOffice = [w.S.BackOffice, .. colleagues];
        // Separate households, so that the requests do not queue on one household's lock but meet at the fan-out.
        var households = new List<Guid> { w.HouseholdId };
        for (var i = 1; i < Requests; i++)
        {
            households.Add((await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 100 + i)).Id());
        }
        var listeners = new Dictionary<string, NotificationListener>();
        foreach (var username in backOffice) listeners[username] = await NotificationListener.ConnectAsync(app, username);
        await using var other = await NotificationListener.ConnectAsync(app, w.S.OtherBackOffice);
        try
        {
            var before = DateTimeOffset.UtcNow;
            var sent = await Task.WhenAll(households.Select(h =>
                w.SendAsync(legalBasis: "zwaarwegend-belang", householdId: h)));
            var after = DateTimeOffset.UtcNow;
            var inboxIds = new List<Guid>();
            var ids = sent.Select(r => r.Id()).ToHashSet();
            Assert.Equal(Requests, ids.Count);

            foreach (var username in backOffice)
            {
                // The inbox: exactly these requests, once each, cursors 1..n (nobody else notified this user).
                var inbox = await app.ClientFor(username).GetAsync("/api/v1/notifications?limit=200").ExpectAsync(HttpStatusCode.OK);
                var items = inbox["items"]!.AsArray();
                Assert.Equal(ids.Order(), items.Select(n => n!.Id("requestId")).Order());
                Assert.All(items, n => Assert.Equal("nl.frontlijn.request.sent", n!["type"]!.GetValue<string>()));
                Assert.Equal(Enumerable.Range(1, Requests).Select(c => (long)c), items.Select(n => n!["cursor"]!.GetValue<long>()));
                inboxIds.AddRange(items.Select(n => n!.Id("id")));

                // Live: the same notifications (same ids and cursors) arrived over SignalR.
                var live = new List<(Guid Id, long Cursor)>();
                for (var i = 0; i < Requests; i++)
                {
                    var message = await listeners[username].NextAsync("nl.frontlijn.request.sent");
                    live.Add((Guid.Parse(message.GetProperty("id").GetString()!), message.GetProperty("cursor").GetInt64()));
                }
                Assert.Equal(
                    items.Select(n => (n!.Id("id"), n!["cursor"]!.GetValue<long>())).Order(),
                    live.Order());
            }

            // The organisation feed (migration 0027): ONE notification per request for the whole back office, so every
            // colleague's inbox holds the same ids (checked above per colleague against the live messages); each id a
            // UUIDv7 of the moment of sending (on PostgreSQL the statement that bumps the organisation's cursor makes
            // it; elsewhere the service): version 7, RFC 4122 variant, and its first 48 bits the Unix milliseconds of
            // a moment between the first send and the last answer (wall clock, 2 s either side).
            Assert.Equal(Requests, inboxIds.Distinct().Count());
            Assert.All(inboxIds, id =>
            {
                var bytes = id.ToByteArray(bigEndian: true);
                Assert.Equal(7, bytes[6] >> 4);
                Assert.Equal(0b10, bytes[8] >> 6);
                var ms = bytes.Take(6).Aggregate(0L, (acc, b) => (acc << 8) | b);
                Assert.InRange(ms, before.AddSeconds(-2).ToUnixTimeMilliseconds(), after.AddSeconds(2).ToUnixTimeMilliseconds());
            });

            // One row per request in the table (the organisation's, no recipient), one inbox entry per request and
            // back-office user through the view; none for the other organisation (inbox and live).
            Assert.Equal(Requests, await app.ScalarAsync<int>(
                "SELECT COUNT(*) FROM notifications WHERE type = 'nl.frontlijn.request.sent' AND recipient_id IS NULL AND organisation_id = @org",
                new { org = w.S.OrganisationId }));
            Assert.Equal(Requests, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE type = 'nl.frontlijn.request.sent'"));
            Assert.Equal(Requests * backOffice.Length, await app.ScalarAsync<int>(
                "SELECT COUNT(*) FROM notification_inbox WHERE type = 'nl.frontlijn.request.sent'"));
            var otherInbox = await app.ClientFor(w.S.OtherBackOffice).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
            Assert.Empty(otherInbox["items"]!.AsArray());
        }
        finally
        {
            foreach (var listener in listeners.Values) await listener.DisposeAsync();
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnOrganisationWithoutBackOffice_GetsTheRequest_AndNobodyIsNotified(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var empty = (await admin.PostJson("/api/v1/organisations", new
        {
            name = "Stichting Zonder Loket", kind = "welzijn",
            services = new[] { new { code = "welzijn-gesprek", name = "Gesprek" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();

        var id = (await w.SendAsync(organisationId: empty, service: "welzijn-gesprek", legalBasis: "zwaarwegend-belang")).Id();

        Assert.Equal("sent", (await w.GetAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE request_id = @id", new { id }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT notification_seq FROM organisations WHERE id = @empty", new { empty }));
    }
}
