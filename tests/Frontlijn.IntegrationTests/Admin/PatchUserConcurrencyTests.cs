using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Npgsql;

namespace Frontlijn.IntegrationTests.Admin;

/// <summary>
/// Two admins editing the same user at once (feedfix, issue 12 follow-up): PATCH /users/{id} locks the user row before
/// it reads it for the merge, so neither change is lost and a move between cursor spaces never works from a space the
/// user already left. PostgreSQL only: the interleaving is made deterministic by a lock the test holds itself.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class PatchUserConcurrencyTests(ProviderApps apps)
{
    private static async Task<NpgsqlConnection> OpenAsync(TestApp app)
    {
        var connection = new NpgsqlConnection(app.DatabaseConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection c, string sql, params (string, object)[] p)
    {
        await using var command = new NpgsqlCommand(sql, c);
        foreach (var (name, value) in p) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Both PATCHes are in flight and waiting on a lock (the test's, or each other's) before it is let go.</summary>
    private static async Task WaitForLockWaitersAsync(NpgsqlConnection c, int count)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await ScalarAsync(c, "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") >= count) return;
            await Task.Delay(20);
        }
        Assert.Fail($"Expected {count} PATCH requests waiting on a lock.");
    }

    [Fact]
    public async Task TwoAdminsPatchingDifferentMembersAtOnce_BothChangesAreKept()
    {
        if (!Providers.InCi && string.IsNullOrWhiteSpace(Providers.PostgresConnectionString)) return;
        var app = await apps.ResetAsync(Providers.Postgres);
        var s = await Scenario.CreateAsync(app);
        await using var holder = await OpenAsync(app);
        await using var tx = await holder.BeginTransactionAsync();
        await ScalarAsync(holder, "SELECT 1 FROM users WHERE id = @id FOR UPDATE", ("id", s.CoachId));

        var admin = app.ClientFor("admin");
        var renaming = OrganisationsOverTimeTests.Patch(admin, $"/api/v1/users/{s.CoachId}", """{"displayName":"Anna de Vries-Bakker"}""");
        var capping = OrganisationsOverTimeTests.Patch(admin, $"/api/v1/users/{s.CoachId}", """{"maxCaseload":7}""");
        await using var watcher = await OpenAsync(app);
        await WaitForLockWaitersAsync(watcher, 2);
        await tx.CommitAsync();
        await renaming.ExpectAsync(HttpStatusCode.OK);
        await capping.ExpectAsync(HttpStatusCode.OK);

        // Before the fix the later UPDATE wrote back the name or the caseload it had read before the other committed.
        var user = await admin.GetAsync($"/api/v1/users/{s.CoachId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Anna de Vries-Bakker", user["displayName"]!.GetValue<string>());
        Assert.Equal(7, user["maxCaseload"]!.GetValue<int>());
    }

    [Fact]
    public async Task TwoAdminsMovingTheSameBackOfficeUserAtOnce_OneMoveWins_AndNoCursorGoesBackwards()
    {
        if (!Providers.InCi && string.IsNullOrWhiteSpace(Providers.PostgresConnectionString)) return;
        var app = await apps.ResetAsync(Providers.Postgres);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var mover = (await admin.PostJson("/api/v1/users", new
        {
            username = "feedfix.mover", displayName = "Mover", role = "back-office", organisationId = s.OrganisationId,
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var third = (await admin.PostJson("/api/v1/organisations", new
        {
            name = "Stichting Derde Loket", kind = "welzijn",
            services = new[] { new { code = "welzijn-gesprek", name = "Gesprek" } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        // Counters far apart: X = 10, Y = 1000, Z = 5. A user who passed through Y holds cursors up to 1000.
        await using var holder = await OpenAsync(app);
        await ScalarAsync(holder, "UPDATE organisations SET notification_seq = 10 WHERE id = @id", ("id", s.OrganisationId));
        await ScalarAsync(holder, "UPDATE organisations SET notification_seq = 1000 WHERE id = @id", ("id", s.OtherOrganisationId));
        await ScalarAsync(holder, "UPDATE organisations SET notification_seq = 5 WHERE id = @id", ("id", third));

        // Both moves read the user in X, then wait on X's row (locked by the test), then run one after the other.
        await using var tx = await holder.BeginTransactionAsync();
        await ScalarAsync(holder, "SELECT 1 FROM organisations WHERE id = @id FOR UPDATE", ("id", s.OrganisationId));
        var toY = OrganisationsOverTimeTests.Patch(admin, $"/api/v1/users/{mover}", $$"""{"organisationId":"{{s.OtherOrganisationId}}"}""");
        var toZ = OrganisationsOverTimeTests.Patch(admin, $"/api/v1/users/{mover}", $$"""{"organisationId":"{{third}}"}""");
        await using var watcher = await OpenAsync(app);
        await WaitForLockWaitersAsync(watcher, 2);
        await tx.CommitAsync();
        var statuses = new[] { (await toY).StatusCode, (await toZ).StatusCode };

        // The second one finds the user already moved (not in X any more): refused, nothing written. Before the fix both
        // succeeded and the second raised its target from X's counter (10), not from the space the user was in.
        Assert.Equal(1, statuses.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(1, statuses.Count(c => c == HttpStatusCode.Conflict));
        var winner = statuses[0] == HttpStatusCode.OK ? s.OtherOrganisationId : third;
        var user = await admin.GetAsync($"/api/v1/users/{mover}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(winner, user.Id("organisationId"));
        var winnerSeq = await ScalarAsync(watcher, "SELECT notification_seq FROM organisations WHERE id = @id", ("id", winner));
        Assert.Equal(winner == third ? 10 : 1000, winnerSeq);
        Assert.Equal(winnerSeq, await ScalarAsync(watcher, "SELECT feed_since_seq FROM users WHERE id = @id", ("id", mover)));
    }
}
