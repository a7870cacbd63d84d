using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// The per-household summary behind report 1 (providers per household), table <c>household_summaries</c> (migration
/// 0023): the household's scope columns (team, neighbourhood, status, registered and closed) and, from its involvements,
/// the figures that do not depend on the report's period plus what it takes to tell, for a given period, whether the
/// period-dependent figures follow from the summary exactly. Per provider (an organisation by id, a provider outside
/// Frontlijn by normalised name) and per professional (by account, by name) it keeps whether it is still open and, if
/// not, when its last involvement ended; the summary keeps the number open, the number closed, and the two latest and
/// the earliest of those ends (for providers also the third to sixth latest, migration 0026: with them the
/// distribution is settled from the row for all but a few households, see ProvidersPerHousehold). <see cref="ProvidersPerHousehold"/> answers a household from this row when that is exact
/// for the period (docs/features/performance-work.md, "The report summary", has the proof) and from the involvements
/// otherwise.
/// <para>
/// Kept in the same transaction as each change: every writer of involvements or of a household's team, neighbourhood,
/// status, registration or closure calls <see cref="RefreshAsync"/> as its last write (a unit test finds the writers
/// in the source). The refresh recomputes the row from the household's rows (never an increment), so calling it again
/// is harmless, and <see cref="RebuildAllSql"/> (also the migration's backfill) rebuilds every row.
/// </para>
/// </summary>
public static class HouseholdSummary
{
    // The row of each household of the outer filter, computed from households and involvements. One statement in the
    // portable subset (window functions: SQLite 3.25+, PostgreSQL, SQL Server); the parts are joined below with the
    // filter of one household, or none (the backfill). Providers and professionals are told apart exactly as the
    // report's COUNT(DISTINCT ...) pairs do: organisation ids and provider keys apart, professional ids and names apart.
    private const string SelectPart0 = @"SELECT h.id AS household_id, h.team_id, h.neighbourhood_id, h.status, h.created_at, h.closed_at,
       COALESCE(p.at_intake, 0) AS providers_at_intake, COALESCE(p.open_count, 0) AS providers_open,
       COALESCE(p.closed_count, 0) AS providers_closed, p.end_1 AS provider_end_1, p.end_2 AS provider_end_2,
       p.end_min AS provider_end_min,
       COALESCE(q.open_count, 0) AS professionals_open, COALESCE(q.closed_count, 0) AS professionals_closed,
       q.end_1 AS professional_end_1, q.end_2 AS professional_end_2, q.end_min AS professional_end_min,
       v.latest_since, v.latest_end,
       p.end_3 AS provider_end_3, p.end_4 AS provider_end_4, p.end_5 AS provider_end_5, p.end_6 AS provider_end_6
FROM households h
LEFT JOIN (
    SELECT household_id, SUM(at_intake) AS at_intake,
           SUM(CASE WHEN last_end IS NULL THEN 1 ELSE 0 END) AS open_count,
           SUM(CASE WHEN last_end IS NULL THEN 0 ELSE 1 END) AS closed_count,
           MAX(CASE WHEN closed_rank = 1 THEN last_end END) AS end_1,
           MAX(CASE WHEN closed_rank = 2 THEN last_end END) AS end_2,
           MIN(last_end) AS end_min,
           MAX(CASE WHEN closed_rank = 3 THEN last_end END) AS end_3,
           MAX(CASE WHEN closed_rank = 4 THEN last_end END) AS end_4,
           MAX(CASE WHEN closed_rank = 5 THEN last_end END) AS end_5,
           MAX(CASE WHEN closed_rank = 6 THEN last_end END) AS end_6
    FROM (
        SELECT household_id, at_intake, last_end,
               ROW_NUMBER() OVER (PARTITION BY household_id
                                  ORDER BY CASE WHEN last_end IS NULL THEN 1 ELSE 0 END, last_end DESC) AS closed_rank
        FROM (
            SELECT i.household_id,
                   MAX(CASE WHEN i.since <= hi.created_at AND (i.ended_at IS NULL OR i.ended_at > hi.created_at)
                            THEN 1 ELSE 0 END) AS at_intake,
                   CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            JOIN households hi ON hi.id = i.household_id
            WHERE i.organisation_id IS NOT NULL AND ";
    private const string SelectPart1 = @"
            GROUP BY i.household_id, i.organisation_id
            UNION ALL
            SELECT i.household_id,
                   MAX(CASE WHEN i.since <= hi.created_at AND (i.ended_at IS NULL OR i.ended_at > hi.created_at)
                            THEN 1 ELSE 0 END) AS at_intake,
                   CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            JOIN households hi ON hi.id = i.household_id
            WHERE i.provider_key IS NOT NULL AND ";
    private const string SelectPart2 = @"
            GROUP BY i.household_id, i.provider_key
        ) provider_spans
    ) ranked_providers
    GROUP BY household_id
) p ON p.household_id = h.id
LEFT JOIN (
    SELECT household_id,
           SUM(CASE WHEN last_end IS NULL THEN 1 ELSE 0 END) AS open_count,
           SUM(CASE WHEN last_end IS NULL THEN 0 ELSE 1 END) AS closed_count,
           MAX(CASE WHEN closed_rank = 1 THEN last_end END) AS end_1,
           MAX(CASE WHEN closed_rank = 2 THEN last_end END) AS end_2,
           MIN(last_end) AS end_min
    FROM (
        SELECT household_id, last_end,
               ROW_NUMBER() OVER (PARTITION BY household_id
                                  ORDER BY CASE WHEN last_end IS NULL THEN 1 ELSE 0 END, last_end DESC) AS closed_rank
        FROM (
            SELECT i.household_id, CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            WHERE i.professional_id IS NOT NULL AND ";
    private const string SelectPart3 = @"
            GROUP BY i.household_id, i.professional_id
            UNION ALL
            SELECT i.household_id, CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            WHERE i.professional_name IS NOT NULL AND ";
    private const string SelectPart4 = @"
            GROUP BY i.household_id, i.professional_name
        ) professional_spans
    ) ranked_professionals
    GROUP BY household_id
) q ON q.household_id = h.id
LEFT JOIN (
    SELECT i.household_id, MAX(i.since) AS latest_since, MAX(i.ended_at) AS latest_end
    FROM involvements i
    WHERE ";
    private const string SelectPart5 = @"
    GROUP BY i.household_id
) v ON v.household_id = h.id
WHERE ";
    private const string SelectPart6 = @"
";

    private const string One = "i.household_id = @householdId";
    private const string OneOuter = "h.id = @householdId";
    private const string Every = "1 = 1";

    internal const string SelectOneSql = SelectPart0 + One + SelectPart1 + One + SelectPart2 + One + SelectPart3 + One +
        SelectPart4 + One + SelectPart5 + OneOuter + SelectPart6;

    private const string Columns = """
        household_id, team_id, neighbourhood_id, status, created_at, closed_at, providers_at_intake,
        providers_open, providers_closed, provider_end_1, provider_end_2, provider_end_min,
        professionals_open, professionals_closed, professional_end_1, professional_end_2,
        professional_end_min, latest_since, latest_end, provider_end_3, provider_end_4, provider_end_5,
        provider_end_6
        """;

    internal const string InsertOneSql = "INSERT INTO household_summaries (" + Columns + ")\n" + SelectOneSql;

    /// <summary>
    /// Builds every household's row (the table must be empty): migration 0026's backfill, word for word (a unit test
    /// compares them; 0023 ran the same statement before the third to sixth ends were added), and what the benchmark
    /// runs after its bulk load.
    /// </summary>
    public const string RebuildAllSql = "INSERT INTO household_summaries (" + Columns + ")\n" + SelectPart0 + Every +
        SelectPart1 + Every + SelectPart2 + Every + SelectPart3 + Every + SelectPart4 + Every + SelectPart5 + Every + SelectPart6;

    // Table household_provider_ends (migration 0025): one row per closed provider (kind 1: an organisation by id, an
    // outside provider by key) and per closed professional (kind 2: by account, by name) of a household, with its last
    // end L = max(ended_at) over its involvements; "closed" = every involvement of it has ended, as in the summary's
    // providers_closed. With it the report counts, for any period, the closed providers ending after the period's start
    // (or at or after its end) exactly, from an index range, where the summary's three ends could only sometimes tell.
    private const string EndsPart0 = @"SELECT i.household_id, 1 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.organisation_id IS NOT NULL AND ";
    private const string EndsPart1 = @"
GROUP BY i.household_id, i.organisation_id
HAVING COUNT(i.ended_at) = COUNT(*)
UNION ALL
SELECT i.household_id, 1 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.provider_key IS NOT NULL AND ";
    private const string EndsPart2 = @"
GROUP BY i.household_id, i.provider_key
HAVING COUNT(i.ended_at) = COUNT(*)
UNION ALL
SELECT i.household_id, 2 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.professional_id IS NOT NULL AND ";
    private const string EndsPart3 = @"
GROUP BY i.household_id, i.professional_id
HAVING COUNT(i.ended_at) = COUNT(*)
UNION ALL
SELECT i.household_id, 2 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.professional_name IS NOT NULL AND ";
    private const string EndsPart4 = @"
GROUP BY i.household_id, i.professional_name
HAVING COUNT(i.ended_at) = COUNT(*)
";

    private const string EndsInsert = "INSERT INTO household_provider_ends (household_id, kind, last_end)\n";

    internal const string InsertEndsOneSql = EndsInsert + EndsPart0 + One + EndsPart1 + One + EndsPart2 + One + EndsPart3 + One + EndsPart4;

    internal const string DeleteEndsOneSql = "DELETE FROM household_provider_ends WHERE household_id = @householdId";

    /// <summary>
    /// Builds every household's closed providers' and professionals' last ends (the table must be empty): migration
    /// 0025's backfill, word for word (a unit test compares them), and what the benchmark runs after its bulk load.
    /// </summary>
    public const string RebuildAllEndsSql = EndsInsert + EndsPart0 + Every + EndsPart1 + Every + EndsPart2 + Every + EndsPart3 + Every + EndsPart4;

    // The row lock that serialises refreshes of one household (a no-op update: every database takes the row's write
    // lock). It is the last lock of the writer's transaction, so it cannot close a cycle with the locks taken before
    // it; and the statement after it reads everything committed by the refreshes it waited for (PostgreSQL's read
    // committed takes a snapshot per statement), so the last refresh to commit has seen every earlier change.
    internal const string LockSql = "UPDATE household_summaries SET status = status WHERE household_id = @householdId";

    internal const string UpdateOneSql = """
        UPDATE household_summaries
        SET team_id = x.team_id,
            neighbourhood_id = x.neighbourhood_id,
            status = x.status,
            created_at = x.created_at,
            closed_at = x.closed_at,
            providers_at_intake = x.providers_at_intake,
            providers_open = x.providers_open,
            providers_closed = x.providers_closed,
            provider_end_1 = x.provider_end_1,
            provider_end_2 = x.provider_end_2,
            provider_end_min = x.provider_end_min,
            professionals_open = x.professionals_open,
            professionals_closed = x.professionals_closed,
            professional_end_1 = x.professional_end_1,
            professional_end_2 = x.professional_end_2,
            professional_end_min = x.professional_end_min,
            latest_since = x.latest_since,
            latest_end = x.latest_end,
            provider_end_3 = x.provider_end_3,
            provider_end_4 = x.provider_end_4,
            provider_end_5 = x.provider_end_5,
            provider_end_6 = x.provider_end_6
        FROM (
        """ + SelectOneSql + """
        ) x
        WHERE household_summaries.household_id = x.household_id
        """;

    /// <summary>
    /// Recomputes the household's summary row inside the caller's unit of work; call it after the change, as the last
    /// write of the transaction. Inserts the row when the household has none yet (its registration).
    /// </summary>
    public static async Task RefreshAsync(DbSession db, Guid householdId, CancellationToken ct)
    {
        if (await db.ExecuteAsync(LockSql, new { householdId }, ct) == 0)
        {
            await db.ExecuteAsync(InsertOneSql, new { householdId }, ct);
            await db.ExecuteAsync(InsertEndsOneSql, new { householdId }, ct);
            return;
        }
        await db.ExecuteAsync(UpdateOneSql, new { householdId }, ct);
        // Under the summary row's lock, so two refreshes of one household never interleave their delete and insert.
        await db.ExecuteAsync(DeleteEndsOneSql, new { householdId }, ct);
        await db.ExecuteAsync(InsertEndsOneSql, new { householdId }, ct);
    }
}
