using System.Diagnostics;
using System.Globalization;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Bench;

/// <summary>
/// The municipality-wide distribution query as it was before the summary (migration 0023): every household in scope
/// joined to its involvements, eight COUNT(DISTINCT ...) per household. Run once per size, after the measured runs, to
/// time the old statement on the same data in the same run and to check, bucket by bucket and for several periods,
/// that the summary-based report gives exactly the same figures at scale.
/// </summary>
internal static class Reference
{
    private const string ScopeHead = """
        WITH scope AS (
            SELECT h.id, h.neighbourhood_id, h.status, h.created_at
            FROM households h
            WHERE
        """;

    private const string ScopeTail = """
              AND (@neighbourhoodId IS NULL OR h.neighbourhood_id = @neighbourhoodId)
              AND h.created_at < @periodEnd
              AND (h.closed_at IS NULL OR h.closed_at >= @periodStart)
        ),
        per_household AS (
            SELECT s.id AS household_id, s.neighbourhood_id, s.status, s.created_at,
                   COUNT(DISTINCT CASE WHEN i.since <= s.created_at AND (i.ended_at IS NULL OR i.ended_at > s.created_at)
                                       THEN i.organisation_id END)
                 + COUNT(DISTINCT CASE WHEN i.since <= s.created_at AND (i.ended_at IS NULL OR i.ended_at > s.created_at)
                                       THEN i.provider_key END) AS providers_at_intake,
                   COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at >= @periodEnd)
                                       THEN i.organisation_id END)
                 + COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at >= @periodEnd)
                                       THEN i.provider_key END) AS providers_now,
                   COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
                                       THEN i.organisation_id END)
                 + COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
                                       THEN i.provider_key END) AS providers_in_period,
                   COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
                                       THEN i.professional_id END)
                 + COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
                                       THEN i.professional_name END) AS professionals_in_period
            FROM scope s
            LEFT JOIN involvements i ON i.household_id = s.id
            GROUP BY s.id, s.neighbourhood_id, s.status, s.created_at
        )
        """;

        private const string MunicipalityPerHouseholdCte = ScopeHead + " 1 = 1\n" + ScopeTail;

    private const string DistributionSelect = """
        SELECT CASE WHEN providers_in_period >= 10 THEN 10 ELSE providers_in_period END AS bucket,
               COUNT(*) AS households,
               SUM(providers_at_intake) AS providers_at_intake,
               SUM(providers_now) AS providers_now,
               SUM(providers_in_period) AS providers_in_period,
               SUM(CASE WHEN providers_now >= @threshold THEN 1 ELSE 0 END) AS above_threshold
        FROM per_household
        GROUP BY CASE WHEN providers_in_period >= 10 THEN 10 ELSE providers_in_period END
        """;

        public const string DistributionSql = MunicipalityPerHouseholdCte + DistributionSelect;

    // The first page by providers now, as before the summary (the report's page is read in index order since report2).
    private const string PageSql = MunicipalityPerHouseholdCte + """
        SELECT household_id, neighbourhood_id, status, created_at, providers_at_intake, providers_now,
               providers_in_period, professionals_in_period
        FROM per_household
        ORDER BY providers_now DESC, household_id
        {page}
        """;


    /// <summary>Periods checked: the benchmark's (ends "today"), a calendar year in the past, and a long one ending today.</summary>
    private static readonly ReportPeriod[] Periods =
    [
        new(new DateOnly(2025, 6, 1), new DateOnly(2026, 5, 31)),
        new(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)),
        new(new DateOnly(2022, 1, 1), new DateOnly(2026, 5, 31)),
        new(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31)),
    ];

    /// <summary>Returns the old statement's time for the first period (ms); throws when any figure differs.</summary>
    public static async Task<double> CompareAsync(DatabaseSettings settings, SqlDialect dialect)
    {
        double firstMs = 0;
        foreach (var period in Periods)
        {
            await using var db = new DbSession(settings, dialect);
            var parameters = new
            {
                teamId = (Guid?)null, neighbourhoodId = (Guid?)null, periodStart = period.Start, periodEnd = period.End, threshold = 5,
            };
            var started = Stopwatch.GetTimestamp();
            var before = (await db.QueryAsync<ProvidersPerHousehold.BucketRow>(DistributionSql, parameters)).OrderBy(b => b.Bucket).ToList();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (firstMs == 0) firstMs = ms;
            var after = (await db.QueryAsync<ProvidersPerHousehold.BucketRow>(ProvidersPerHousehold.MunicipalityDistributionSql, parameters))
                .OrderBy(b => b.Bucket).ToList();
            var same = before.SequenceEqual(after);
            // The first two pages of 50 (the second one exercises the offset of the index-ordered read), against the
            // first 100 rows of the pre-summary statement.
            object Paging(int offset, int limit) => new
            {
                teamId = (Guid?)null, neighbourhoodId = (Guid?)null, periodStart = period.Start, periodEnd = period.End, offset, limit,
            };
            var pageBefore = (await db.QueryAsync<ProvidersPerHousehold.Row>(PageSql, Paging(0, 100))).ToList();
            var pageAfter = (await db.QueryAsync<ProvidersPerHousehold.Row>(ProvidersPerHousehold.MunicipalityPageByProvidersNowSql, Paging(0, 50))).ToList();
            pageAfter.AddRange(await db.QueryAsync<ProvidersPerHousehold.Row>(ProvidersPerHousehold.MunicipalityPageByProvidersNowSql, Paging(50, 50)));
            var samePage = pageBefore.Count > 0 && pageBefore.SequenceEqual(pageAfter);
            if (!samePage) Console.Error.WriteLine("   reference: the first two pages DIFFER");
            same &= samePage;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   reference {period.From:yyyy-MM-dd}..{period.To:yyyy-MM-dd}: {before.Sum(b => b.Households)} households, old statement {ms:F0} ms, figures and first two pages {(same ? "identical" : "DIFFERENT")}"));
            if (!same)
            {
                throw new InvalidOperationException($"The summary-based report differs from the reference for {period.From}..{period.To}: " +
                    string.Join("; ", before) + " vs " + string.Join("; ", after) + (samePage ? "" : "; and the first two pages differ"));
            }
        }
        return firstMs;
    }
}
