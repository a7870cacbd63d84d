using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Requests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>
/// The lost update between the deadline sweep and a status change (issue 12): a change that read the request before
/// the sweep marked it overdue must not write the old deadline state back — otherwise the next sweep marks it overdue
/// again and the back office and the coach are told twice.
/// <para>
/// On PostgreSQL the interleaving is forced, not hoped for: a third connection holds the request's row lock; the sweep
/// queues on it first, then the back office's status change (which has already read the row) queues behind it; then
/// the lock is released, so the sweep commits between the change's read and its write. On SQLite one writer at a time
/// cannot interleave them (its serialised writers hide the race): there the same outcome is checked with both released
/// together in whatever order they come.
/// </para>
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DeadlineSweepRaceTests(ProviderApps apps)
{
    private static readonly WorkingDays Calendar = new();

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task StatusChange_ThatReadTheRequestBeforeTheSweep_KeepsItOverdue_AndNobodyIsToldTwice(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var monday = RequestWorld.Today(app).AddDays(1);
        while (monday.DayOfWeek != DayOfWeek.Monday || Enumerable.Range(0, 8).Any(i => i != 5 && i != 6 && !Calendar.IsWorkingDay(monday.AddDays(i))))
        {
            monday = monday.AddDays(1);
        }
        RequestWorld.SetAmsterdamTime(app, monday, new TimeOnly(9, 0));
        var w = await RequestWorld.CreateAsync(app);
        var requestId = (await w.SendAsync("urgent")).Id(); // due Tuesday 23:59:59
        // Wednesday 00:30: overdue, and not yet a full working day of silence (no escalation in this sweep).
        RequestWorld.SetAmsterdamTime(app, monday.AddDays(2), new TimeOnly(0, 30));
        var recipients = new[] { await w.UserIdAsync(w.S.BackOffice), w.S.CoachId };

        Task<RequestDeadlines.RunResult> sweep;
        Task<System.Text.Json.Nodes.JsonNode> change;
        if (provider == Providers.Postgres)
        {
            await using var holder = new NpgsqlConnection(app.DatabaseConnectionString);
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand("SELECT id FROM requests WHERE id = @id FOR UPDATE", holder, hold))
            {
                lockRow.Parameters.AddWithValue("id", requestId);
                await lockRow.ExecuteScalarAsync();
            }
            sweep = Task.Run(() => SweepAsync(app));
            await WaitForLockWaitersAsync(app, 1); // the sweep's UPDATE, first in the queue
            // The status change reads the request (not overdue yet: the sweep has not committed) and queues behind it.
            change = Task.Run(() => w.ChangeAsync(requestId, "acknowledged", 1));
            await WaitForLockWaitersAsync(app, 2);
            await hold.CommitAsync();
        }
        else
        {
            await using var holder = new SqliteConnection(app.DatabaseConnectionString + ";Pooling=False");
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }
            sweep = Task.Run(() => SweepAsync(app));
            change = Task.Run(() => w.ChangeAsync(requestId, "acknowledged", 1));
            await Task.Delay(300);
            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.Equal(new RequestDeadlines.RunResult(0, 1, 0, 0), await sweep);
        var applied = await change; // 201: the change itself is not refused (the sweep is not a status change)
        Assert.Equal(2, applied["version"]!.GetValue<int>());
        Assert.Equal("acknowledged", (await w.GetAsync(requestId))["status"]!.GetValue<string>());

        // The sweep's work survived the change: overdue_at is still set, so the next sweep has nothing to do.
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests WHERE id = @requestId AND overdue_at IS NOT NULL", new { requestId }));
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await SweepAsync(app));
        foreach (var recipient in recipients)
        {
            Assert.Equal(1, await app.ScalarAsync<int>(
                "SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @recipient AND request_id = @requestId AND type = 'nl.frontlijn.request.overdue'",
                new { recipient, requestId }));
        }
        Assert.Equal(recipients.Length, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE request_id = @requestId AND type = 'nl.frontlijn.request.overdue'", new { requestId }));

        // And the ladder goes on from there, once: Thursday, a working day of silence → one escalation to the contact.
        RequestWorld.SetAmsterdamTime(app, monday.AddDays(3), new TimeOnly(0, 30));
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 1, 0), await SweepAsync(app));
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await SweepAsync(app));
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
        Assert.Fail($"Expected {count} statements waiting for the request's row lock, saw {waiting}.");
    }

    private static async Task<RequestDeadlines.RunResult> SweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestDeadlines>().RunAsync(CancellationToken.None);
    }
}
