using System.Globalization;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Hangfire;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// The nightly retention sweep (Hangfire, <c>rights-retention</c>), on the injected clock.
/// <list type="number">
/// <item><b>Erasure</b> of the households past their period (<see cref="RetentionCandidates"/>), in batches of
/// <c>Retention:BatchSize</c>, one transaction each. A batch is first <b>claimed</b> by one conditional UPDATE that
/// re-checks every condition (not erased, closed, closed long enough ago for its rule, no running legal hold) and
/// stamps the run's id: on two nodes at once the second UPDATE waits for the first's row locks and then finds the rows
/// erased, so each household is erased once; a hold placed or a reopening after the candidates were read wins. The
/// claimed rows are then erased set-based (one statement per table): members, address, free text, thread messages and
/// signals lose their personal data; the household row, its requests, involvements, consents, assessments and their
/// dates and codes stay as the anonymous record, so the reports over past years add up as before. Running it again
/// finds nothing to do.</item>
/// <item><b>The access log's own retention</b> (<c>Retention:AccessLogYears</c>): rows older than that are deleted
/// through the one narrow path the append-only triggers allow (the guard of migration 0012 set in this transaction
/// only), and the purge itself is logged (action <c>purge</c>, object <c>access-log</c>) and written to the log.</item>
/// </list>
/// </summary>
public sealed class RetentionSweep(
    DbSession db, RetentionCandidates candidates, RetentionSettings settings, AccessLogWriter log, TimeProvider time,
    ILogger<RetentionSweep> logger)
{
    public const string RecurringJobId = "rights-retention";

    private const int IdsPerStatement = 500;

    internal const string ClaimSql = """
        UPDATE households SET erased_at = @now, erasure_run_id = @runId, retention_domain = @domain, retention_years = @years
        WHERE id IN @ids AND erased_at IS NULL AND status = 'closed' AND closed_at IS NOT NULL AND closed_at <= @closedBefore
          AND NOT EXISTS (SELECT 1 FROM legal_holds lh WHERE lh.household_id = households.id AND lh.until_on >= @today)
        """;

    internal const string ClaimedSql = "SELECT id FROM households WHERE erasure_run_id = @runId";

    // What an erased household keeps: team, neighbourhood, status, created/closed dates, the rule it was erased under.
    // house_number keeps the placeholder 1 because the column is NOT NULL with a range check; erased_at says it means nothing.
    internal const string EraseHouseholdsSql = """
        UPDATE households SET street = '', house_number = 1, house_number_suffix = '', postal_code = '', city = '',
                              closure_reason = NULL
        WHERE erasure_run_id = @runId
        """;

    internal const string EraseMembersSql = """
        UPDATE household_members SET given_name = NULL, family_name = '', family_name_key = '', date_of_birth = NULL,
                                     bsn_hash = NULL, bsn_last4 = NULL, departure_reason = NULL
        WHERE household_id IN @ids
        """;

    internal const string EraseAssignmentsSql = "UPDATE coach_assignments SET reason = '', end_reason = NULL WHERE household_id IN @ids";

    internal const string EraseStatusHistorySql = "UPDATE household_status_changes SET reason = '' WHERE household_id IN @ids";

    internal const string EraseRequestsSql = "UPDATE requests SET question = '', answer = NULL WHERE household_id IN @ids";

    internal const string EraseRequestNotesSql = """
        UPDATE request_status_changes SET note = NULL
        WHERE request_id IN (SELECT r.id FROM requests r WHERE r.household_id IN @ids)
        """;

    internal const string DeleteMessagesSql = """
        DELETE FROM request_messages WHERE request_id IN (SELECT r.id FROM requests r WHERE r.household_id IN @ids)
        """;

    internal const string EraseGoalsSql = "UPDATE plan_goals SET description = '' WHERE household_id IN @ids";

    internal const string EraseActionsSql = "UPDATE plan_actions SET description = '' WHERE household_id IN @ids";

    internal const string EraseSignOffNotesSql = "UPDATE outcome_signoffs SET note = NULL WHERE household_id IN @ids";

    internal const string DeleteSignalMembersSql = """
        DELETE FROM signal_members WHERE signal_id IN (SELECT s.id FROM signals s WHERE s.household_id IN @ids)
        """;

    // The signal row stays (team report: signals routed to an existing contact vs new), without concern or address.
    internal const string EraseSignalsSql = """
        UPDATE signals SET concern = '', street = '', house_number = 0, house_number_suffix = '', postal_code = '', city = ''
        WHERE household_id IN @ids
        """;

    // The household's own words on its plan (the resident portal) and the names of people without an account in its
    // meetings are free text about the household; the meetings themselves stay (the coordination report counts them).
    internal const string DeleteGoalNotesSql = "DELETE FROM plan_goal_notes WHERE household_id IN @ids";

    internal const string EraseMeetingParticipantsSql = """
        UPDATE meeting_participants SET name = NULL
        WHERE meeting_id IN (SELECT m.id FROM meetings m WHERE m.household_id IN @ids)
        """;

    // Outreach visits at the household's address (Features/Visits): the row stays (when, which team, the outcome),
    // without the address, the reason and the note.
    internal const string EraseVisitsSql = """
        UPDATE visits SET reason = '', note = NULL, street = '', house_number = 0, house_number_suffix = '', postal_code = '', city = ''
        WHERE household_id IN @ids
        """;

    private static readonly string[] EraseStatements =
    [
        EraseMembersSql, EraseAssignmentsSql, EraseStatusHistorySql, EraseRequestsSql, EraseRequestNotesSql, DeleteMessagesSql,
        EraseGoalsSql, EraseActionsSql, EraseSignOffNotesSql, DeleteSignalMembersSql, EraseSignalsSql,
        DeleteGoalNotesSql, EraseMeetingParticipantsSql, EraseVisitsSql,
    ];

    // The narrow path through the append-only triggers (migration 0012), per dialect.
    internal const string SqliteGuardSql = "UPDATE access_log_retention_guard SET delete_before = @cutoff WHERE id = 1";
    internal const string SqliteGuardClearSql = "UPDATE access_log_retention_guard SET delete_before = NULL WHERE id = 1";
    private const string PostgresGuard = "SELECT set_config('frontlijn.retention_before', @cutoffText, true)";
    internal const string SqlServerGuardSql = "EXEC sp_set_session_context @key = N'frontlijn.retention_before', @value = @cutoffText";
    internal const string SqlServerGuardClearSql = "EXEC sp_set_session_context @key = N'frontlijn.retention_before', @value = NULL";
    internal const string PurgeAccessLogSql = "DELETE FROM access_log WHERE occurred_at < @cutoff";

    /// <summary>What one run did.</summary>
    public sealed record Outcome(IReadOnlyList<Guid> ErasedHouseholds, int AccessLogRowsDeleted);

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [JobDisplayName("Bewaartermijnen: gegevens vernietigen en toegangslog opschonen")]
    public async Task<Outcome> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = WorkingDays.LocalDate(now);
        var erased = new List<Guid>();
        while (true)
        {
            var batch = await candidates.FindAsync(now, now, includeHeld: false, settings.BatchSize, ct);
            if (batch.Count == 0) break;
            var claimed = await EraseBatchAsync(batch, now, today, ct);
            erased.AddRange(claimed);
            // Nothing claimed: another node took them, or a hold or reopening came in between. Stop rather than spin;
            // the next run sees the rest.
            if (claimed.Count == 0) break;
        }
        var purged = await PurgeAccessLogAsync(now, ct);
        logger.LogInformation("Retention sweep: {Erased} household(s) erased, {Purged} access-log row(s) older than {Years} years deleted",
            erased.Count, purged, settings.AccessLogYears);
        return new Outcome(erased, purged);
    }

    private async Task<IReadOnlyList<Guid>> EraseBatchAsync(IReadOnlyList<RetentionCandidates.Candidate> batch, DateTimeOffset now,
        DateOnly today, CancellationToken ct)
    {
        var runId = Guid.CreateVersion7();
        await db.BeginAsync(ct);
        try
        {
            foreach (var rule in batch.GroupBy(c => (c.Domain, c.Years)))
            {
                foreach (var chunk in rule.Select(c => c.HouseholdId).Chunk(IdsPerStatement))
                {
                    await db.ExecuteAsync(ClaimSql, new
                    {
                        now, runId, domain = rule.Key.Domain, years = rule.Key.Years, ids = chunk, closedBefore = now.AddYears(-rule.Key.Years), today,
                    }, ct);
                }
            }
            var claimed = (await db.QueryAsync<Guid>(ClaimedSql, new { runId }, ct)).ToList();
            if (claimed.Count > 0)
            {
                await db.ExecuteAsync(EraseHouseholdsSql, new { runId }, ct);
                foreach (var chunk in claimed.Chunk(IdsPerStatement))
                {
                    foreach (var statement in EraseStatements) await db.ExecuteAsync(statement, new { ids = chunk }, ct);
                }
                // The erasure itself in each household's log (actor: none, origin: system).
                await log.WriteListedAsync("erase", "household", claimed.Select(id => ((Guid?)id, (Guid?)id)).ToList(), ct);
            }
            await db.CommitAsync(ct);
            return claimed;
        }
        catch
        {
            await db.RollbackAsync();
            throw;
        }
    }

    private async Task<int> PurgeAccessLogAsync(DateTimeOffset now, CancellationToken ct)
    {
        // Whole seconds: the DELETE's parameter and the trigger's text setting must name exactly the same instant.
        var exact = now.AddYears(-settings.AccessLogYears).ToUniversalTime();
        var cutoff = new DateTimeOffset(exact.Ticks - exact.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var cutoffText = cutoff.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await db.BeginAsync(ct);
        try
        {
            switch (db.Dialect.Provider)
            {
                case DatabaseProvider.Sqlite: await db.ExecuteAsync(SqliteGuardSql, new { cutoff }, ct); break;
                case DatabaseProvider.Postgres: await db.ExecuteAsync(PostgresGuard, new { cutoffText }, ct); break;
                case DatabaseProvider.SqlServer: await db.ExecuteAsync(SqlServerGuardSql, new { cutoffText }, ct); break;
            }
            var deleted = await db.ExecuteAsync(PurgeAccessLogSql, new { cutoff }, ct);
            switch (db.Dialect.Provider)
            {
                case DatabaseProvider.Sqlite: await db.ExecuteAsync(SqliteGuardClearSql, null, ct); break;
                case DatabaseProvider.SqlServer: await db.ExecuteAsync(SqlServerGuardClearSql, null, ct); break;
                // PostgreSQL: set_config(..., true) ends with this transaction.
            }
            if (deleted > 0) await log.WriteAsync("purge", "access-log", null, null, ct);
            await db.CommitAsync(ct);
            return deleted;
        }
        catch
        {
            await db.RollbackAsync();
            throw;
        }
    }
}
