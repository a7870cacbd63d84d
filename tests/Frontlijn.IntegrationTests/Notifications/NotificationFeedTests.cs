using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Admin;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;

namespace Frontlijn.IntegrationTests.Notifications;

/// <summary>
/// The organisation feed (issue 12, migration 0027): a notification for an organisation's whole back office is ONE
/// row, whatever the number of colleagues; every back-office user reads in their organisation's cursor space (its rows
/// and their personal ones), in commit order; read marks stay per colleague; a new colleague inherits no history; a
/// user moved to another space never sees their cursor go backwards.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class NotificationFeedTests(ProviderApps apps)
{
    private static async Task<Guid> NewBackOfficeAsync(TestApp app, string username, Guid organisationId) =>
        (await app.ClientFor("admin").PostJson("/api/v1/users", new
        {
            username, displayName = username, role = "back-office", organisationId,
        }).ExpectAsync(HttpStatusCode.Created)).Id();

    private static async Task<List<JsonNode>> InboxAsync(TestApp app, string username, long after = 0) =>
        [.. (await app.ClientFor(username).GetAsync($"/api/v1/notifications?after={after}&limit=200")
            .ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(n => n!)];

    private static long Cursor(JsonNode n) => n["cursor"]!.GetValue<long>();

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnOrganisationWideNotification_IsOneRow_WhateverTheOrganisationsSize(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        const string CountBackOffice = "SELECT COUNT(*) FROM users WHERE organisation_id = @org AND role = 'back-office'";
        var small = await app.ScalarAsync<int>(CountBackOffice, new { org = w.S.OrganisationId });
        var first = (await w.SendAsync()).Id();

        string[] added = ["feed.size1", "feed.size2", "feed.size3", "feed.size4", "feed.size5"];
        foreach (var username in added) await NewBackOfficeAsync(app, username, w.S.OrganisationId);
        var large = await app.ScalarAsync<int>(CountBackOffice, new { org = w.S.OrganisationId });
        Assert.Equal(small + added.Length, large);
        var second = (await w.SendAsync()).Id();

        foreach (var (request, readers) in new[] { (first, small), (second, large) })
        {
            // ONE row in the table (no recipient, the organisation), one inbox entry per back-office user in the view.
            Assert.Equal(1, await app.ScalarAsync<int>(
                "SELECT COUNT(*) FROM notifications WHERE request_id = @request AND recipient_id IS NULL AND organisation_id = @org",
                new { request, org = w.S.OrganisationId }));
            Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE request_id = @request", new { request }));
            Assert.Equal(readers, await app.ScalarAsync<int>(
                "SELECT COUNT(*) FROM notification_inbox WHERE request_id = @request", new { request }));
        }

        // The colleagues added after the first request inherit no history: they see the second only; the first
        // back-office user sees both, with consecutive cursors of the organisation's space.
        foreach (var username in added)
        {
            Assert.Equal([second], (await InboxAsync(app, username)).Select(n => n.Id("requestId")));
        }
        var veteran = await InboxAsync(app, w.S.BackOffice);
        Assert.Equal([first, second], veteran.Select(n => n.Id("requestId")));
        Assert.Equal(Cursor(veteran[0]) + 1, Cursor(veteran[1]));
        Assert.Equal(Cursor(veteran[1]), await app.ScalarAsync<long>(
            "SELECT notification_seq FROM organisations WHERE id = @org", new { org = w.S.OrganisationId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ConcurrentSendersAndAssignments_ReachEveryColleagueInCommitOrder_AndAPollerMissesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        await NewBackOfficeAsync(app, "feed.c1", w.S.OrganisationId);
        var c1 = await w.UserIdAsync("feed.c1");
        await NewBackOfficeAsync(app, "feed.c2", w.S.OrganisationId);
        const int Sends = 8, Assignments = 4;
        var toAssign = new List<Guid>();
        for (var i = 0; i < Assignments; i++) toAssign.Add((await w.SendAsync()).Id());
        var households = new List<Guid>();
        for (var i = 0; i < Sends; i++)
        {
            households.Add((await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 200 + i)).Id());
        }
        const int Expected = Assignments + Sends + Assignments; // c1: every request, and their own assignments

        // A colleague's client that keeps catching up with ?after= while the notifications commit: if a later cursor
        // ever became visible before an earlier one, it would step over the earlier one and miss it.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var poller = Task.Run(async () =>
        {
            var seen = new List<JsonNode>();
            long cursor = 0;
            while (seen.Count < Expected && !stop.IsCancellationRequested)
            {
                var page = await app.ClientFor("feed.c1").GetAsync($"/api/v1/notifications?after={cursor}&limit=200")
                    .ExpectAsync(HttpStatusCode.OK);
                seen.AddRange(page["items"]!.AsArray().Select(n => n!));
                cursor = page["nextCursor"]!.GetValue<long>();
                await Task.Delay(5);
            }
            return seen;
        });
        var sending = households.Select(h => (Task)w.SendAsync(legalBasis: "zwaarwegend-belang", householdId: h))
            .Concat(toAssign.Select(r => (Task)w.BackOffice.PutJson($"/api/v1/requests/{r}/assignee", new { userId = c1 })
                .ExpectAsync(HttpStatusCode.OK)));
        await Task.WhenAll(sending);
        var polled = await poller;

        var c1Inbox = await InboxAsync(app, "feed.c1");
        Assert.Equal(Expected, c1Inbox.Count);
        // The poller got exactly the final inbox, in the same order: nothing stepped over, nothing twice.
        Assert.Equal(c1Inbox.Select(n => n.Id("id")), polled.Select(n => n.Id("id")));
        // c1 is notified of everything in the space (the organisation's rows and their own): consecutive cursors.
        var cursors = c1Inbox.Select(Cursor).ToList();
        Assert.Equal(Enumerable.Range(0, Expected).Select(i => cursors[0] + i), cursors);
        Assert.Equal(Assignments + Sends, c1Inbox.Count(n => n["type"]!.GetValue<string>() == "nl.frontlijn.request.sent"));
        var assigned = c1Inbox.Where(n => n["type"]!.GetValue<string>() == "nl.frontlijn.request.assigned").ToList();
        Assert.Equal(toAssign.Order(), assigned.Select(n => n.Id("requestId")).Order());

        // c2 gets the organisation's rows, the same ids and cursors; its gaps are exactly c1's personal rows.
        var orgRows = c1Inbox.Where(n => n["type"]!.GetValue<string>() == "nl.frontlijn.request.sent")
            .Select(n => (n.Id("id"), Cursor(n))).ToList();
        foreach (var colleague in new[] { "feed.c2", w.S.BackOffice })
        {
            var inbox = await InboxAsync(app, colleague);
            Assert.Equal(orgRows, inbox.Select(n => (n.Id("id"), Cursor(n))));
        }
        Assert.Equal(cursors, orgRows.Select(r => r.Item2).Concat(assigned.Select(Cursor)).Order());

        // In the table: one row per request for the organisation, one personal row per assignment.
        Assert.Equal(Assignments + Sends, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications WHERE type = 'nl.frontlijn.request.sent' AND organisation_id = @org AND recipient_id IS NULL",
            new { org = w.S.OrganisationId }));
        Assert.Equal(Assignments, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications WHERE type = 'nl.frontlijn.request.assigned' AND recipient_id = @c1", new { c1 }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ReadMarks_ArePerColleague_AndOnlyReadersOfTheRowMayMarkIt(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        await NewBackOfficeAsync(app, "feed.reader", w.S.OrganisationId);
        var request = (await w.SendAsync()).Id();
        var mine = (await InboxAsync(app, "feed.reader")).Single(n => n.Id("requestId") == request);
        var id = mine.Id("id");
        Assert.Null(mine["readAt"]);

        await app.ClientFor("feed.reader").PostAsync($"/api/v1/notifications/{id}/read", null).ExpectAsync(HttpStatusCode.NoContent);
        var readAt = (await InboxAsync(app, "feed.reader")).Single(n => n.Id("id") == id)["readAt"]!.GetValue<DateTimeOffset>();
        // A colleague's mark is not mine.
        Assert.Null((await InboxAsync(app, w.S.BackOffice)).Single(n => n.Id("id") == id)["readAt"]);

        // Reading again keeps the first moment.
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await app.ClientFor("feed.reader").PostAsync($"/api/v1/notifications/{id}/read", null).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(readAt, (await InboxAsync(app, "feed.reader")).Single(n => n.Id("id") == id)["readAt"]!.GetValue<DateTimeOffset>());

        // Not in their inbox, so not theirs to mark: the other organisation's back office, the coach, a colleague who
        // joined after the row was written, an unknown id. Nothing is written for them.
        await NewBackOfficeAsync(app, "feed.latecomer", w.S.OrganisationId);
        foreach (var outsider in new[] { w.S.OtherBackOffice, w.S.Coach, "feed.latecomer" })
        {
            var refused = await app.ClientFor(outsider).PostAsync($"/api/v1/notifications/{id}/read", null)
                .ExpectAsync(HttpStatusCode.NotFound);
            Assert.False(string.IsNullOrEmpty(refused["detail"]?.GetValue<string>()));
        }
        await app.ClientFor("feed.reader").PostAsync($"/api/v1/notifications/{Guid.CreateVersion7()}/read", null)
            .ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_reads WHERE notification_id = @id", new { id }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE id = @id AND read_at IS NOT NULL", new { id }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AUserMovedToAnotherOrganisation_ContinuesAboveTheirLastCursor_AndLeavesTheOldFeedBehind(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var mover = await NewBackOfficeAsync(app, "feed.mover", w.S.OrganisationId);
        for (var i = 0; i < 3; i++) await w.SendAsync();
        var last = Cursor((await InboxAsync(app, "feed.mover"))[^1]);

        // A new organisation: its counter starts at 0, below the mover's last cursor.
        var admin = app.ClientFor("admin");
        var target = (await admin.PostJson("/api/v1/organisations", new
        {
            name = "Stichting Nieuw Loket", kind = "welzijn",
            services = new[] { new { code = "welzijn-gesprek", name = "Gesprek" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT notification_seq FROM organisations WHERE id = @target", new { target }));
        await OrganisationsOverTimeTests.Patch(admin, $"/api/v1/users/{mover}", $$"""{"organisationId":"{{target}}"}""")
            .ExpectAsync(HttpStatusCode.OK);

        // Raised to the cursor the mover last held, in the admin's transaction; they join there.
        Assert.Equal(last, await app.ScalarAsync<long>("SELECT notification_seq FROM organisations WHERE id = @target", new { target }));
        Assert.Equal(last, await app.ScalarAsync<long>("SELECT feed_since_seq FROM users WHERE id = @mover", new { mover }));
        // The old organisation's rows are no longer theirs.
        Assert.Empty(await InboxAsync(app, "feed.mover"));

        var request = (await w.SendAsync(organisationId: target, service: "welzijn-gesprek", legalBasis: "zwaarwegend-belang")).Id();
        var inbox = await InboxAsync(app, "feed.mover", after: last);
        Assert.Equal([request], inbox.Select(n => n.Id("requestId")));
        Assert.Equal(last + 1, Cursor(inbox[0]));
        // The old organisation's back office is not told of the new organisation's request.
        Assert.DoesNotContain(request, (await InboxAsync(app, w.S.BackOffice)).Select(n => n.Id("requestId")));
    }
}
