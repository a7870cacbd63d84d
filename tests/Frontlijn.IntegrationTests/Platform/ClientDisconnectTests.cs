using System.Net.Http.Json;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>
/// A client that sends a change and hangs up before the answer (issue 12, "commits are not cancelled by a client that
/// disconnects"): the change is either there whole or not at all, and the service logs no error and no 500 for it —
/// a hang-up is not a fault of the service.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ClientDisconnectTests(ProviderApps apps)
{
    private const string MessageName = "Households.RegisterHousehold+Command";

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClientHangsUpWhileItsRegistrationWaitsInsideTheTransaction_NothingHalfDone_NoErrorLogged(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var since = DateTimeOffset.UtcNow;

        // Something else holds what the registration needs, so it waits inside its unit of work: on PostgreSQL an
        // uncommitted household at the same address (the unique index makes the INSERT wait for that transaction); on
        // SQLite the write lock.
        await using var holder = provider == Providers.Postgres
            ? (System.Data.Common.DbConnection)new NpgsqlConnection(app.DatabaseConnectionString)
            : new SqliteConnection(app.DatabaseConnectionString + ";Pooling=False");
        await holder.OpenAsync();
        if (provider == Providers.Postgres)
        {
            await ExecuteAsync(holder, "BEGIN");
            await ExecuteAsync(holder, """
                INSERT INTO households (id, neighbourhood_id, team_id, street, house_number, house_number_suffix,
                                        postal_code, city, status, registered_by, created_at)
                SELECT @id, tn.neighbourhood_id, tn.team_id, 'Heechterp', 40, '', '8925AB', 'Leeuwarden', 'registered',
                       (SELECT id FROM users WHERE username = 'admin'), now()
                FROM team_neighbourhoods tn
                WHERE tn.neighbourhood_id = @neighbourhoodId
                """, ("id", Guid.CreateVersion7()), ("neighbourhoodId", s.NeighbourhoodId));
        }
        else
        {
            await ExecuteAsync(holder, "BEGIN IMMEDIATE");
        }

        using var hangUp = new CancellationTokenSource();
        var client = app.ClientFor(s.TeamLead);
        var sending = client.PostAsJsonAsync("/api/v1/households", AHousehold(s.NeighbourhoodId, "8925 ab", 40, familyName: "Ophanger"),
            Http.Json, hangUp.Token);
        if (provider == Providers.Postgres)
        {
            await WaitForLockWaitersAsync(app, 1);
        }
        else
        {
            await Task.Delay(500);
        }
        await hangUp.CancelAsync(); // the client closes its connection while the change is being made
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await Task.Delay(300);
        await ExecuteAsync(holder, "ROLLBACK");

        // The service finishes with that request (cancelled, or done because it no longer waited) — then look.
        var finished = await WaitForMessageAsync(app, since);
        var households = await app.ScalarAsync<int>("SELECT COUNT(*) FROM households WHERE house_number = 40");
        Assert.InRange(households, 0, 1);
        await AssertWholeOrAbsentAsync(app);
        Assert.Empty(app.Logs.AtLeast(LogLevel.Error, since).Select(e => $"{e.Category}: {e.Message} {e.Exception}"));
        Assert.DoesNotContain("failed", finished.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClientsHangUpAtRandomMoments_EveryRegistrationIsWholeOrAbsent_NoErrorLogged(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var since = DateTimeOffset.UtcNow;
        var random = new Random(12);
        var client = app.ClientFor(s.TeamLead);
        var attempts = Enumerable.Range(1, 40).Select(async number =>
        {
            using var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(5, 120)));
            try
            {
                using var response = await client.PostAsJsonAsync("/api/v1/households",
                    AHousehold(s.NeighbourhoodId, "8925 ac", number, familyName: "Ophanger"), Http.Json, hangUp.Token);
                // Answered before the hang-up: then it must have been a success (every address is new and valid).
                Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }).ToList();
        var answered = await Task.WhenAll(attempts);

        // Let the server finish what it was doing for the clients that left, then check.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var stored = await app.ScalarAsync<int>("SELECT COUNT(*) FROM households WHERE postal_code = '8925AC'");
        Assert.InRange(stored, answered.Count(a => a), answered.Length);
        await AssertWholeOrAbsentAsync(app);
        Assert.Empty(app.Logs.AtLeast(LogLevel.Error, since).Select(e => $"{e.Category}: {e.Message} {e.Exception}"));
    }

    /// <summary>Every household has both its members and its access-log row; no access-log row points at nothing.</summary>
    private static async Task AssertWholeOrAbsentAsync(TestApp app)
    {
        Assert.Equal(0, await app.ScalarAsync<int>("""
            SELECT COUNT(*) FROM households h
            WHERE (SELECT COUNT(*) FROM household_members m WHERE m.household_id = h.id) <> 2
               OR NOT EXISTS (SELECT 1 FROM access_log a WHERE a.household_id = h.id AND a.action = 'create')
            """));
        Assert.Equal(0, await app.ScalarAsync<int>("""
            SELECT COUNT(*) FROM access_log a
            WHERE a.action = 'create' AND a.object_type = 'household'
              AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = a.household_id)
            """));
    }

    private static async Task<CollectedLogs.Entry> WaitForMessageAsync(TestApp app, DateTimeOffset since)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var entry = app.Logs.Entries.FirstOrDefault(e => e.At >= since && e.Message.StartsWith(MessageName, StringComparison.Ordinal));
            if (entry is not null) return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The service never finished {MessageName} (no log line).");
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitForLockWaitersAsync(TestApp app, int count)
    {
        await using var observer = new NpgsqlConnection(app.DatabaseConnectionString);
        await observer.OpenAsync();
        var waiting = 0;
        for (var attempt = 0; attempt < 400; attempt++)
        {
            await using var query = new NpgsqlCommand(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", observer);
            waiting = Convert.ToInt32(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            if (waiting >= count) return;
            await Task.Delay(50);
        }
        Assert.Fail($"Expected {count} statements waiting for a lock, saw {waiting}.");
    }
}
