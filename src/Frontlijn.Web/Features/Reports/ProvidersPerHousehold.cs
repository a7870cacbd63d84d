using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// Report 1, "many or one?": per household of the team, how many distinct organisations (providers) and professionals
/// were involved in the period, how many at intake (registration) and now (the end of the period), the change, and a
/// flag at or above the threshold; with totals and the distribution (how many households had 0, 1, ... 10+ providers in
/// the period). Organisations in Frontlijn count by id, providers outside it by normalised name.
/// Computed in the database from the per-household summary (HouseholdSummary); the distribution and the default page
/// are shaped so that PostgreSQL scans in parallel and reads the page in index order (docs/features/performance-work.md,
/// "report2").
/// </summary>
public static class ProvidersPerHousehold
{
    public sealed record Query(
        Guid? TeamId, Guid? NeighbourhoodId, DateOnly? From, DateOnly? To, string? Sort, WebConventions.Paging Paging, bool All)
        : IQuery<Report>;

    public sealed record Report(
        Guid TeamId, Guid? NeighbourhoodId, DateOnly From, DateOnly To, int Threshold, Totals Totals,
        IReadOnlyList<Bucket> Distribution, PagedResult<HouseholdProviders> Households);

    public sealed record Totals(
        int Households, int AboveThreshold, double AverageProvidersAtIntake, double AverageProvidersNow,
        double AverageProvidersInPeriod, double AverageChange);

    /// <summary><c>providers</c> 10 stands for "10 or more".</summary>
    public sealed record Bucket(int Providers, string Label, int Households);

    public sealed record HouseholdProviders(
        Guid HouseholdId, Guid NeighbourhoodId, string Status, DateOnly RegisteredOn, int ProvidersAtIntake, int ProvidersNow,
        int Change, int ProvidersInPeriod, int ProfessionalsInPeriod, bool AboveThreshold);

    // Households of the scope that were in care during the period, with their figures:
    //  - at intake: active at the moment of registration (involvements entered later may start earlier: "since");
    //  - now: active at the end of the period;
    //  - in period: overlapping [periodStart, periodEnd).
    // Each comes from the household's summary row (HouseholdSummary, kept by every writer) and, where the row's ends
    // cannot tell, its closed providers' last ends (household_provider_ends), whenever no involvement of the
    // household starts at or after the period's end; and from its involvements otherwise. "At intake" does not depend on the period: always the row's. With E =
    // periodEnd, S = periodStart, L_p = the last end of a closed provider p, and every involvement starting before E:
    //  - now (since < E and not ended before E): the open providers, plus the closed ones with L_p >= E;
    //  - in period (since < E and not ended by S): the open providers, plus the closed ones with L_p > S.
    // The professionals likewise (in period only). Proof and measurements: docs/features/performance-work.md, "report".
    // A household with an involvement starting at or after E (only a period that ends in the past) is computed from its
    // involvements as before (the slow branch), so the answer is exact for any period; a period ending today (the
    // default) has no household in the slow branch.
    // The API always reports on one team (the team lead's own): its filter is a plain equality so that SQLite, too,
    // starts from the team's index. The municipality-wide variant (no team filter) is the same statement otherwise.
    // COUNT(DISTINCT) ignores NULLs, and each involvement has either an organisation_id or a provider_key.

    /// <summary>1 when the household's figures for the period follow from its summary row and ends, else 0 (never NULL).</summary>
    internal const string ExactFromSummary = """
        CASE WHEN s.latest_since IS NULL OR s.latest_since < @periodEnd THEN 1 ELSE 0 END
        """;

    private const string InScope = """
          AND (@neighbourhoodId IS NULL OR s.neighbourhood_id = @neighbourhoodId)
          AND s.created_at < @periodEnd
          AND (s.closed_at IS NULL OR s.closed_at >= @periodStart)
        """;

    // The closed providers whose last end lies after S, from the row where its six latest ends and its earliest settle
    // it: none closed; S before the earliest (all); S on or after the k-th latest (k - 1); seven closed and S between the
    // earliest (the seventh) and the sixth (6). Only with eight or more closed and S between the earliest and the sixth
    // latest end can the row not tell (RowCannotSettle); then the household's ends are counted (household_provider_ends,
    // index (household_id, kind, last_end)), in the per-household statements by a correlated count that runs only for
    // the rows that reach it, in the distribution by a join in a branch of its own.
    private const string ProvidersClosedInPeriodFromRow = """
        CASE WHEN s.providers_closed = 0 THEN 0
             WHEN @periodStart < s.provider_end_min THEN s.providers_closed
             WHEN @periodStart >= s.provider_end_1 THEN 0
             WHEN @periodStart >= s.provider_end_2 THEN 1
             WHEN @periodStart >= s.provider_end_3 THEN 2
             WHEN @periodStart >= s.provider_end_4 THEN 3
             WHEN @periodStart >= s.provider_end_5 THEN 4
             WHEN @periodStart >= s.provider_end_6 THEN 5
             WHEN s.providers_closed = 7 THEN 6
        """;

    private const string ProvidersClosedInPeriod = ProvidersClosedInPeriodFromRow + """
             ELSE (SELECT COUNT(*) FROM household_provider_ends e
                   WHERE e.household_id = s.household_id AND e.kind = 1 AND e.last_end > @periodStart) END
        """;

    /// <summary>True exactly for the rows whose providers in the period <see cref="ProvidersClosedInPeriodFromRow"/> cannot settle.</summary>
    internal const string RowCannotSettle =
        "s.providers_closed >= 8 AND s.provider_end_6 > @periodStart AND s.provider_end_min <= @periodStart";

    // Professionals: the row keeps two latest ends and the earliest (they only appear on the page's rows).
    private const string ProfessionalsClosedInPeriod = """
        CASE WHEN s.professionals_closed = 0 THEN 0
             WHEN @periodStart < s.professional_end_min THEN s.professionals_closed
             WHEN @periodStart >= s.professional_end_1 THEN 0
             WHEN @periodStart >= s.professional_end_2 THEN 1
             WHEN s.professionals_closed = 3 THEN 2
             ELSE (SELECT COUNT(*) FROM household_provider_ends e
                   WHERE e.household_id = s.household_id AND e.kind = 2 AND e.last_end > @periodStart) END
        """;

    // The closed providers whose last end lies at or after E: none when nothing of the household ended at or after E
    // (every period ending today or later), else counted from its ends.
    private const string ProvidersClosedAtEnd = """
        CASE WHEN s.latest_end IS NULL OR s.latest_end < @periodEnd THEN 0
             ELSE (SELECT COUNT(*) FROM household_provider_ends e
                   WHERE e.household_id = s.household_id AND e.kind = 1 AND e.last_end >= @periodEnd) END
        """;

    // A household's figures from its summary row (and its closed providers' ends): the select list of the per-household
    // rows answered from the summary (PerHouseholdCte) and of the providers-now page's index-ordered second part.
    private const string SummaryColumns = """
            SELECT s.household_id, s.neighbourhood_id, s.status, s.created_at, s.providers_at_intake,
                   s.providers_open +
        """ + "\n" + ProvidersClosedAtEnd + """
         AS providers_now,
                   s.providers_open +
        """ + "\n" + ProvidersClosedInPeriod + """
         AS providers_in_period,
                   s.professionals_open +
        """ + "\n" + ProfessionalsClosedInPeriod + """
         AS professionals_in_period
            FROM household_summaries s
            WHERE
        """;

    private const string FastHead = """
        WITH per_household AS (
        """ + "\n" + SummaryColumns;

    // {noIndex}: this test selects nearly every row, so on SQLite no index may serve it (SqlDialect).
    private const string SummaryBranch = "  AND ({noIndex}s.latest_since IS NULL OR {noIndex}s.latest_since < @periodEnd)\n";
    private const string FastTail = InScope + SummaryBranch;

    // The households with an involvement starting at or after E (only a period ending in the past), from their
    // involvements, as before the summary.
    private const string SlowSelect = """
            SELECT s.household_id, s.neighbourhood_id, s.status, s.created_at, s.providers_at_intake,
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
            FROM household_summaries s
            LEFT JOIN involvements i ON i.household_id = s.household_id
            WHERE
        """;

    private const string SlowWhere = InScope + "  AND s.latest_since >= @periodEnd\n";

    private const string SlowGroup = """
            GROUP BY {noIndex}s.household_id, s.neighbourhood_id, s.status, s.created_at, s.providers_at_intake
        """;

    private const string SlowTail = SlowWhere + SlowGroup + """

        )
        """;

    private const string TeamFilter = " s.team_id = @teamId\n";
    private const string MunicipalityFilter = " 1 = 1\n";

    internal const string PerHouseholdCte = FastHead + TeamFilter + FastTail + "    UNION ALL\n" + SlowSelect + TeamFilter + SlowTail;
    internal const string MunicipalityPerHouseholdCte = FastHead + MunicipalityFilter + FastTail + "    UNION ALL\n" + SlowSelect + MunicipalityFilter + SlowTail;

    // The distribution, in three branches that partition the households of the scope (docs/features/performance-work.md,
    // "report2"):
    //  1. settled: every involvement started before E, nothing ended at or after E, and the row settles the providers in
    //     the period (NOT RowCannotSettle): providers now = providers_open, in the period from the row alone. No
    //     subquery here: PostgreSQL runs a correlated subquery only in the leader (it is "parallel restricted"), which
    //     kept the whole statement on one core. The buckets are joined from a list of eleven rows instead of grouping
    //     on the CASE expression, whose number of distinct values the planner cannot know (it assumed one per row and
    //     would not aggregate in parallel workers); with a column of eleven values it aggregates in each worker.
    //  2. by ends: every involvement started before E but something ended at or after E (past periods), or the row
    //     cannot settle the count: the household's closed providers' ends, joined (found by the indexes on latest_end
    //     and on provider_end_6; a few thousand households at 1M for the default period).
    //  3. slow: an involvement started at or after E (past periods only): from the involvements, as before.
    private const string Buckets = """
        (SELECT 0 AS bucket UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
         UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9
         UNION ALL SELECT 10) b
        """;

    private const string InPeriodSettled = " s.providers_open +\n" + ProvidersClosedInPeriodFromRow + "\n     END ";

    private const string SettledHead = """
        SELECT bucket, CAST(SUM(households) AS BIGINT) AS households,
               CAST(SUM(providers_at_intake) AS BIGINT) AS providers_at_intake,
               CAST(SUM(providers_now) AS BIGINT) AS providers_now,
               CAST(SUM(providers_in_period) AS BIGINT) AS providers_in_period,
               CAST(SUM(above_threshold) AS BIGINT) AS above_threshold
        FROM (
            SELECT b.bucket, COUNT(*) AS households, SUM(s.providers_at_intake) AS providers_at_intake,
                   SUM(s.providers_open) AS providers_now,
                   SUM(
        """ + InPeriodSettled + """
        ) AS providers_in_period,
                   SUM(CASE WHEN s.providers_open >= @threshold THEN 1 ELSE 0 END) AS above_threshold
            FROM household_summaries s
            JOIN
        """ + Buckets + """
             ON b.bucket = CASE WHEN
        """ + InPeriodSettled + """
         >= 10 THEN 10 ELSE
        """ + InPeriodSettled + """
         END
            WHERE
        """;

    // {noIndex} on the settled branch's near-total tests and on the GROUP BY keys of the other two: on SQLite the
    // municipality-wide settled branch is then one table scan and the small branches are found by their indexes
    // (latest_end, provider_end_6, latest_since), not by a scan in household_id order (1M: 3.6 s -> 1.2 s).
    private const string SettledTail = InScope + SummaryBranch + """
              AND ({noIndex}s.latest_end IS NULL OR {noIndex}s.latest_end < @periodEnd)
              AND NOT (
        """ + RowCannotSettle + """
        )
            GROUP BY b.bucket
            UNION ALL
            SELECT CASE WHEN providers_in_period >= 10 THEN 10 ELSE providers_in_period END, COUNT(*),
                   SUM(providers_at_intake), SUM(providers_now), SUM(providers_in_period),
                   SUM(CASE WHEN providers_now >= @threshold THEN 1 ELSE 0 END)
            FROM (
                SELECT s.household_id, s.providers_at_intake,
                       s.providers_open + COUNT(CASE WHEN e.last_end >= @periodEnd THEN 1 END) AS providers_now,
                       s.providers_open + COUNT(CASE WHEN e.last_end > @periodStart THEN 1 END) AS providers_in_period
                FROM household_summaries s
                LEFT JOIN household_provider_ends e ON e.household_id = s.household_id AND e.kind = 1
                WHERE
        """;

    private const string ByEndsTail = InScope + SummaryBranch + """
                  AND (s.latest_end >= @periodEnd OR (
        """ + RowCannotSettle + """
        ))
                GROUP BY {noIndex}s.household_id, s.providers_at_intake, s.providers_open
                UNION ALL
                SELECT s.household_id, s.providers_at_intake,
                       COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at >= @periodEnd)
                                           THEN i.organisation_id END)
                     + COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at >= @periodEnd)
                                           THEN i.provider_key END),
                       COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
                                           THEN i.organisation_id END)
                     + COUNT(DISTINCT CASE WHEN i.since < @periodEnd AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
                                           THEN i.provider_key END)
                FROM household_summaries s
                LEFT JOIN involvements i ON i.household_id = s.household_id
                WHERE
        """;

    private const string DistributionEnd = SlowWhere + """
                GROUP BY {noIndex}s.household_id, s.providers_at_intake
            ) r
            GROUP BY CASE WHEN providers_in_period >= 10 THEN 10 ELSE providers_in_period END
        ) x
        GROUP BY bucket
        """;

    internal const string DistributionSql = SettledHead + TeamFilter + SettledTail + TeamFilter + ByEndsTail + TeamFilter + DistributionEnd;
    internal const string MunicipalityDistributionSql = SettledHead + MunicipalityFilter + SettledTail + MunicipalityFilter + ByEndsTail +
        MunicipalityFilter + DistributionEnd;

    private const string RowsSelect = """
        SELECT household_id, neighbourhood_id, status, created_at, providers_at_intake, providers_now,
               providers_in_period, professionals_in_period
        FROM per_household
        """;

    // The page by providers now (the default order): the households whose providers now are providers_open (every
    // involvement started before E, nothing ended at or after E) are read in the order of the index
    // (providers_open DESC, household_id) and only the first offset + limit of them ({top}); the others (something
    // ended or started at or after E: none or a few hundred for a period ending today, found by the indexes on
    // latest_end and latest_since) are computed in full. The page of the union is then the page of the whole.
    private const string TopHead = """
        WITH per_household AS (
            SELECT * FROM (
                SELECT s.household_id, s.neighbourhood_id, s.status, s.created_at, s.providers_at_intake,
                       s.providers_open AS providers_now,
                       s.providers_open +
        """ + "\n" + ProvidersClosedInPeriod + """
         AS providers_in_period,
                       s.professionals_open +
        """ + "\n" + ProfessionalsClosedInPeriod + """
         AS professionals_in_period
                FROM household_summaries s
                WHERE
        """;

    private const string TopTail = InScope + SummaryBranch + """
                  AND (s.latest_end IS NULL OR s.latest_end < @periodEnd)
                ORDER BY s.providers_open DESC, s.household_id
                {top}
            ) a
            UNION ALL
        """ + "\n" + SummaryColumns;

    private const string TopEndedTail = InScope + SummaryBranch + "  AND s.latest_end >= @periodEnd\n    UNION ALL\n" + SlowSelect;

    private const string TopEnd = SlowTail + RowsSelect + "\nORDER BY providers_now DESC, household_id\n{page}";

    // Sorting is chosen from a fixed list, never from client text; the household id makes every order total.
    internal const string PageByProvidersNowSql = TopHead + TeamFilter + TopTail + TeamFilter + TopEndedTail + TeamFilter + TopEnd;
    internal const string PageByChangeSql = PerHouseholdCte + RowsSelect +
        "\nORDER BY providers_now - providers_at_intake DESC, household_id\n{page}";
    internal const string PageByProvidersInPeriodSql = PerHouseholdCte + RowsSelect +
        "\nORDER BY providers_in_period DESC, household_id\n{page}";
    internal const string PageByRegisteredSql = PerHouseholdCte + RowsSelect +
        "\nORDER BY created_at, household_id\n{page}";
    internal const string MunicipalityPageByProvidersNowSql = TopHead + MunicipalityFilter + TopTail + MunicipalityFilter + TopEndedTail +
        MunicipalityFilter + TopEnd;

    /// <summary>The access log's object type of a household listed in this report (object id: the team).</summary>
    public const string ListedObjectType = "report-providers-per-household";

    public static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["providersNow"] = PageByProvidersNowSql,
        ["change"] = PageByChangeSql,
        ["providersInPeriod"] = PageByProvidersInPeriodSql,
        ["registered"] = PageByRegisteredSql,
    };

    internal sealed record BucketRow
    {
        public int Bucket { get; init; }
        public long Households { get; init; }
        public long ProvidersAtIntake { get; init; }
        public long ProvidersNow { get; init; }
        public long ProvidersInPeriod { get; init; }
        public long AboveThreshold { get; init; }
    }

    internal sealed record Row
    {
        public Guid HouseholdId { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public int ProvidersAtIntake { get; init; }
        public int ProvidersNow { get; init; }
        public int ProvidersInPeriod { get; init; }
        public int ProfessionalsInPeriod { get; init; }
    }

    internal sealed class Handler(DbSession db, ReportScope scope, InvolvementSettings settings, AccessLogWriter log, TimeProvider time)
        : IQueryHandler<Query, Report>
    {
        public async ValueTask<Report> Handle(Query query, CancellationToken ct)
        {
            var teamId = scope.TeamFor(query.TeamId);
            var period = ReportPeriod.Resolve(query.From, query.To, time);
            var sortSql = Sorts.TryGetValue(query.Sort ?? "providersNow", out var sql)
                ? sql
                : throw new FluentValidation.ValidationException(
                    [new("sort", $"Sorteer op {string.Join(", ", Sorts.Keys)}.")]);
            var parameters = new
            {
                teamId, query.NeighbourhoodId, periodStart = period.Start, periodEnd = period.End, threshold = settings.Threshold,
            };
            var buckets = (await db.QueryAsync<BucketRow>(DistributionSql, parameters, ct)).ToList();
            var total = (int)buckets.Sum(b => b.Households);
            var paging = query.All ? new WebConventions.Paging(1, Math.Max(total, 1)) : query.Paging;
            var rows = await db.QueryAsync<Row>(sortSql, new
            {
                teamId, query.NeighbourhoodId, periodStart = period.Start, periodEnd = period.End,
                offset = paging.Offset, limit = paging.Limit,
            }, ct);
            var items = rows.Select(r => new HouseholdProviders(r.HouseholdId, r.NeighbourhoodId, r.Status,
                WorkingDays.LocalDate(r.CreatedAt), r.ProvidersAtIntake, r.ProvidersNow, r.ProvidersNow - r.ProvidersAtIntake,
                r.ProvidersInPeriod, r.ProfessionalsInPeriod, r.ProvidersNow >= settings.Threshold)).ToList();
            // One row per household the report lists (the page, or all of them in the CSV), set-based in one transaction.
            await log.WriteListedAsync("read", ListedObjectType, items.Select(i => ((Guid?)teamId, (Guid?)i.HouseholdId)).ToList(), ct);
            return new Report(teamId, query.NeighbourhoodId, period.From, period.To, settings.Threshold,
                TotalsOf(buckets, total), Distribution(buckets),
                new PagedResult<HouseholdProviders>(items, paging.Page, paging.PageSize, total));
        }

        private static Totals TotalsOf(List<BucketRow> buckets, int total) => total == 0
            ? new Totals(0, 0, 0, 0, 0, 0)
            : new Totals(total, (int)buckets.Sum(b => b.AboveThreshold),
                Average(buckets.Sum(b => b.ProvidersAtIntake), total), Average(buckets.Sum(b => b.ProvidersNow), total),
                Average(buckets.Sum(b => b.ProvidersInPeriod), total),
                Average(buckets.Sum(b => b.ProvidersNow) - buckets.Sum(b => b.ProvidersAtIntake), total));

        private static double Average(long sum, int count) => Math.Round((double)sum / count, 2);

        private static List<Bucket> Distribution(List<BucketRow> buckets) =>
            Enumerable.Range(0, 11).Select(n => new Bucket(n, n == 10 ? "10+" : n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (int)(buckets.FirstOrDefault(b => b.Bucket == n)?.Households ?? 0))).ToList();
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/reports/providers-per-household", async (HttpRequest request, Guid? teamId, Guid? neighbourhoodId,
            DateOnly? from, DateOnly? to, string? sort, int? page, int? pageSize, string? report, IMediator mediator,
            HouseholdLabels labels, CancellationToken ct) =>
        {
            var table = ReportCsv.Choose(report, ReportCsv.ProvidersTables);
            var csv = CsvOutput.IsRequested(request);
            var result = await mediator.Send(new Query(teamId, neighbourhoodId, from, to, sort,
                WebConventions.ReadPaging(page, pageSize), All: csv && table == "households"), ct);
            if (!csv) return Results.Ok(result);
            var names = table == "households" ? await labels.ForTeamAsync(result.TeamId, ct) : new Dictionary<Guid, HouseholdLabel>();
            return CsvOutput.File(ReportCsv.Providers(result, table, names),
                $"aanbieders-per-huishouden-{(table == "households" ? "" : table + "-")}{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv");
        })
        .RequireAuthorization(Policies.TeamLead)
        .Produces<Report>(contentType: "application/json")
        .Produces(200, contentType: CsvOutput.MediaType)
        .WithName("getProvidersPerHouseholdReport")
        .WithSummary("Rapport 1: aanbieders per huishouden (JSON, of CSV met Accept: text/csv)")
        .WithTags("Rapportages");
}
