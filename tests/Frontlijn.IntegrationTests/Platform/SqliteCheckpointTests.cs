using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>
/// SQLite only (the checkpointer is registered only there): a committed change reaches the database file itself, not
/// only the write-ahead log, without waiting for SQLite's auto-checkpoint at 1,000 log pages — so the checkpoint runs in
/// the background, not inside a request's commit.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class SqliteCheckpointTests(ProviderApps apps)
{
    [Fact]
    public async Task ACommittedChange_ReachesTheDatabaseFile_InTheBackground()
    {
        var app = await apps.ResetAsync(Providers.Sqlite);
        var s = await Scenario.CreateAsync(app);
        // One small write last (a household: a handful of log pages, far below the auto-checkpoint threshold).
        await app.ClientFor(s.TeamLead).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 41, familyName: "Kooistra");
        var file = new SqliteConnectionStringBuilder(app.DatabaseConnectionString).DataSource;
        var committed = await CountHouseholdsAsync($"Data Source={file};Mode=ReadOnly;Pooling=False");
        Assert.True(committed >= 1);

        // The log reaches the file only through a checkpoint. immutable=1 makes SQLite read the main file alone and
        // ignore the log: the household is counted there once a checkpoint has copied its pages.
        var fileOnly = $"Data Source=file:{file}?immutable=1;Mode=ReadOnly;Pooling=False";
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long inFile;
        do
        {
            await Task.Delay(200);
            inFile = await CountHouseholdsAsync(fileOnly);
        }
        while (inFile != committed && DateTime.UtcNow < deadline);
        Assert.Equal(committed, inFile);
    }

    private static async Task<long> CountHouseholdsAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // In the file alone even the schema may still be missing (a fresh database's migrations are in the log too).
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'households'";
        if ((long)(await command.ExecuteScalarAsync())! == 0) return -1;
        command.CommandText = "SELECT COUNT(*) FROM households";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
