using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.Objectives;

/// <summary>The metrics a team objective can be set on, and in which direction "better" lies.</summary>
public static class ObjectiveMetrics
{
    public const string AverageProvidersPerHousehold = "average-providers-per-household";
    public const string RequestsAnsweredOnTimeShare = "requests-answered-on-time-share";
    public const string HouseholdsImprovedAtClosureShare = "households-improved-at-closure-share";
    public const string HouseholdsPerCoach = "households-per-coach";

    public static readonly IReadOnlyList<string> All =
        [AverageProvidersPerHousehold, RequestsAnsweredOnTimeShare, HouseholdsImprovedAtClosureShare, HouseholdsPerCoach];

    /// <summary>Shares: higher is better. Providers per household and households per coach: lower is better.</summary>
    public static bool HigherIsBetter(string metric) =>
        metric is RequestsAnsweredOnTimeShare or HouseholdsImprovedAtClosureShare;

    public static bool IsShare(string metric) => HigherIsBetter(metric);

    /// <summary>Null when there is nothing to judge (no value that month): neither on track nor behind.</summary>
    public static bool? OnTrack(string metric, double target, double? value) => value is not { } v
        ? null
        : HigherIsBetter(metric) ? v >= target : v <= target;

    public static string Label(string metric) => metric switch
    {
        AverageProvidersPerHousehold => "gemiddeld aantal aanbieders per huishouden",
        RequestsAnsweredOnTimeShare => "aandeel op tijd beantwoorde verzoeken",
        HouseholdsImprovedAtClosureShare => "aandeel huishoudens verbeterd bij afsluiting",
        HouseholdsPerCoach => "huishoudens per coach",
        _ => metric,
    };
}

/// <summary>
/// One month of one metric for one team, computed with the very SQL of the reports (Features/Reports), run over the
/// month as the report period. Not through the report handlers themselves: those demand a team lead as the caller
/// (the daily job has none, an admin may read objectives too) and the providers report writes an access-log row per
/// listed household, which a month's aggregate does not list. The definitions stay in one place either way.
/// </summary>
public sealed class ObjectiveProgress(DbSession db, InvolvementSettings involvements, TimeProvider time)
{
    public sealed record MonthProgress(string Month, double? Value, bool? OnTrack);

    // Households per coach has no monthly form in the reports: the team report's caseload (TeamReport.CaseloadSql)
    // is a snapshot of the open assignments now. This is the same count at the end of the month: the team's coaches'
    // assignments open at that moment, divided by the team's coaches (users carry no history of team membership, so
    // the coaches are those of the team now, counted when their account existed by the end of the month).
    internal const string HouseholdsPerCoachSql = """
        SELECT
            (SELECT COUNT(*) FROM coach_assignments a
             JOIN users c ON c.id = a.coach_id
             WHERE c.team_id = @teamId AND c.role = 'coach'
               AND a.from_at < @periodEnd AND (a.to_at IS NULL OR a.to_at >= @periodEnd)) AS households,
            (SELECT COUNT(*) FROM users u
             WHERE u.team_id = @teamId AND u.role = 'coach' AND u.created_at < @periodEnd) AS coaches
        """;

    internal sealed record PerCoachRow
    {
        public int Households { get; init; }
        public int Coaches { get; init; }
    }

    /// <summary>
    /// The complete calendar months (Amsterdam) that overlap [from, to], oldest first: a month still running is not
    /// judged, its value would change by the day.
    /// </summary>
    public static IReadOnlyList<DateOnly> CompleteMonths(DateOnly from, DateOnly to, DateOnly today)
    {
        var months = new List<DateOnly>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to && m.AddMonths(1) <= today; m = m.AddMonths(1))
        {
            months.Add(m);
        }
        return months;
    }

    public static DateOnly Today(TimeProvider time) => WorkingDays.LocalDate(time.GetUtcNow());

    public async Task<IReadOnlyList<MonthProgress>> ProgressAsync(Guid teamId, string metric, double target, DateOnly from, DateOnly to,
        CancellationToken ct)
    {
        var result = new List<MonthProgress>();
        foreach (var month in CompleteMonths(from, to, Today(time)))
        {
            var value = await ValueAsync(teamId, metric, month, ct);
            result.Add(new MonthProgress(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), value,
                ObjectiveMetrics.OnTrack(metric, target, value)));
        }
        return result;
    }

    /// <summary>The metric over the calendar month starting at <paramref name="month"/>; null when it has no denominator.</summary>
    public async Task<double?> ValueAsync(Guid teamId, string metric, DateOnly month, CancellationToken ct)
    {
        var period = new ReportPeriod(month, month.AddMonths(1).AddDays(-1));
        var p = new
        {
            teamId, neighbourhoodId = (Guid?)null, periodStart = period.Start, periodEnd = period.End,
            threshold = involvements.Threshold, now = time.GetUtcNow(),
        };
        switch (metric)
        {
            case ObjectiveMetrics.AverageProvidersPerHousehold:
            {
                // Report 1's "average providers in the period" (Totals.AverageProvidersInPeriod).
                var buckets = (await db.QueryAsync<ProvidersPerHousehold.BucketRow>(ProvidersPerHousehold.DistributionSql, p, ct)).ToList();
                var households = buckets.Sum(b => b.Households);
                return households == 0 ? null : Math.Round((double)buckets.Sum(b => b.ProvidersInPeriod) / households, 2);
            }
            case ObjectiveMetrics.RequestsAnsweredOnTimeShare:
            {
                // Report 3's share on time, over all organisations: answered on time / due, of the requests sent that month.
                var rows = (await db.QueryAsync<TeamReport.ResponseRow>(TeamReport.ResponseTimesSql, p, ct)).ToList();
                var due = rows.Sum(r => r.Due ?? 0);
                return due == 0 ? null : Math.Round((double)rows.Sum(r => r.AnsweredOnTime ?? 0) / due, 3);
            }
            case ObjectiveMetrics.HouseholdsImprovedAtClosureShare:
            {
                // Report 3's outcome distribution: improved / closed, of the households closed that month.
                var outcomes = await db.QuerySingleOrDefaultAsync<TeamReport.OutcomesRow>(TeamReport.OutcomesSql, p, ct);
                return outcomes is not { Closed: > 0 } o ? null : Math.Round((double)(o.Improved ?? 0) / o.Closed, 3);
            }
            case ObjectiveMetrics.HouseholdsPerCoach:
            {
                var row = await db.QuerySingleOrDefaultAsync<PerCoachRow>(HouseholdsPerCoachSql, p, ct);
                return row is not { Coaches: > 0 } r ? null : Math.Round((double)r.Households / r.Coaches, 2);
            }
            default:
                throw new InvalidOperationException($"Unknown objective metric '{metric}'.");
        }
    }
}
