namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// SQLite only: copies the write-ahead log into the database file in the background, every <see cref="Interval"/>.
/// Why (issue 12, branch scale1m): without it SQLite runs the checkpoint inside the commit that takes the log past
/// 1,000 pages (its auto-checkpoint), and that request holds this process's writer gate (DbSession) while the
/// checkpoint writes and syncs the database file, so every writer queued behind it waits too — the p99 of a loaded
/// SQLite node. A PASSIVE checkpoint takes no write lock: writers go on appending to the log meanwhile, and once it
/// has copied everything the next writer starts the log from its beginning again, so the log stays far below the
/// auto-checkpoint threshold and commits only append and sync. SQLite's auto-checkpoint stays on as the backstop, and
/// durability is unchanged (the log is synced at every commit, as before). The SQLite documentation names exactly this
/// split ("a separate thread or process" that checkpoints) for applications that care about commit latency.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseSettings settings, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            await RunAsync(timer, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RunAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        var failing = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = SqlDialect.For(DatabaseProvider.Sqlite).CreateConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = connection.CreateCommand();
                // Returns (busy, log pages, pages checkpointed); busy = 1 only means another checkpoint was running.
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(stoppingToken);
                if (failing) logger.LogInformation("SQLite background checkpoint works again");
                failing = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is unreachable (an outage, a moved file): requests answer 503 meanwhile; the
                // auto-checkpoint still covers the log once writes come back. Logged once per failing streak.
                if (!failing) logger.LogWarning(ex, "SQLite background checkpoint failed; retrying every {Interval}", Interval);
                failing = true;
            }
        }
    }
}
