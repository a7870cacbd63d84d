using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// The neighbourhood report (issue 14): per neighbourhood and per PC4 (the first four digits of the postal code) the
/// households in care in the period, providers per household (the definitions of <see cref="ProvidersPerHousehold"/>:
/// at intake, now = the end of the period, in the period), the signals about those areas' households received in the
/// period, and the outcomes of the households closed in the period (improved / unchanged / worsened / not assessed, the
/// rule of <see cref="TeamReport"/>). The team lead reports on their own team's households, the functional
/// administrator on the whole municipality (<see cref="ReportScope.TeamOrMunicipality"/>). Only aggregates: no
/// household is listed, so nothing about a single household is read out (no per-household access-log rows).
/// Visits (achter de voordeur) planned in the period count per area too, and the concerns they found: a visit belongs
/// to the team whose neighbourhood covers its PC4 (<c>PlanVisit</c>), so the team lead counts their team's visits,
/// the administrator all of them. A visit's neighbourhood is the visit team's neighbourhood that covers its PC4 (none
/// when the visit only fell to the planner's team because no team covers the address: then it counts in its PC4 and
/// the totals only).
/// </summary>
public static class NeighbourhoodReport
{
    public sealed record Query(DateOnly? From, DateOnly? To) : IQuery<Report>;

    public sealed record Report(
        Guid? TeamId, DateOnly From, DateOnly To, Figures Totals, IReadOnlyList<NeighbourhoodFigures> Neighbourhoods,
        IReadOnlyList<PostalAreaFigures> PostalAreas);

    public sealed record NeighbourhoodFigures(Guid NeighbourhoodId, string Code, string Name, Figures Figures);

    public sealed record PostalAreaFigures(string Pc4, Figures Figures);

    /// <summary>
    /// Averages are over the households in care (0 when there are none), rounded to two decimals. <c>visits</c>: visits
    /// planned in the period (whether or not done yet); <c>concerns</c>: those of them whose result was a concern
    /// (each raised a signal). Both were added after the first version (fields only added).
    /// </summary>
    public sealed record Figures(
        int HouseholdsInCare, double AverageProvidersAtIntake, double AverageProvidersNow, double AverageProvidersInPeriod,
        int AboveThreshold, int Signals, int Closed, int Improved, int Unchanged, int Worsened, int NotAssessed,
        int Visits, int Concerns);

    private const string TeamFilter = "h.team_id = @teamId";
    private const string MunicipalityFilter = "1 = 1";

    private const string ProvidersSelect = """
        SELECT p.household_id, p.neighbourhood_id, h.postal_code, p.providers_at_intake, p.providers_now, p.providers_in_period
        FROM per_household p
        JOIN households h ON h.id = p.household_id
        """;

    internal const string TeamProvidersSql = ProvidersPerHousehold.PerHouseholdCte + ProvidersSelect;
    internal const string MunicipalityProvidersSql = ProvidersPerHousehold.MunicipalityPerHouseholdCte + ProvidersSelect;

    // Signals about a household of the scope, received in the period, by the household's area. A signal in the shared
    // queue that matched no household yet has no household to place it with and is not counted.
    private const string SignalsHead = """
        SELECT h.neighbourhood_id, h.postal_code, COUNT(*) AS signals
        FROM signals s
        JOIN households h ON h.id = s.household_id
        WHERE
        """;

    private const string SignalsTail = """
         AND s.created_at >= @periodStart AND s.created_at < @periodEnd
        GROUP BY h.neighbourhood_id, h.postal_code
        """;

    // TeamReport's outcome rule per household closed in the period: per member and domain the first score (intake if
    // any) and the latest; improved when the summed change is positive, not assessed without scores.
    private const string OutcomesHead = """
        WITH scoped AS (
            SELECT h.id, h.neighbourhood_id, h.postal_code
            FROM households h
            WHERE
        """;

    private const string OutcomesTail = """
         AND h.closed_at >= @periodStart AND h.closed_at < @periodEnd
        ),
        """ + TeamReport.FirstAndLatestScoresCte + """
        SELECT c.id, c.neighbourhood_id, c.postal_code, COUNT(md.domain) AS scored, SUM(md.latest - md.intake) AS change
        FROM scoped c
        LEFT JOIN member_domain md ON md.household_id = c.id
        GROUP BY c.id, c.neighbourhood_id, c.postal_code
        """;

    // Constants (not built at run time) so that the SQL Server parsing test sees every variant.
    internal const string TeamSignalsSql = SignalsHead + " " + TeamFilter + "\n" + SignalsTail;
    internal const string MunicipalitySignalsSql = SignalsHead + " " + MunicipalityFilter + "\n" + SignalsTail;
    internal const string TeamOutcomesSql = OutcomesHead + " " + TeamFilter + "\n" + OutcomesTail;
    internal const string MunicipalityOutcomesSql = OutcomesHead + " " + MunicipalityFilter + "\n" + OutcomesTail;

    // Visits planned in the period (a day, so compared as dates), per team and postal code; the PC4 and neighbourhood
    // are worked out in C# (a substring function differs per database).
    private const string VisitsHead = """
        SELECT v.team_id, v.postal_code, COUNT(*) AS visits,
               SUM(CASE WHEN v.result = 'concern' THEN 1 ELSE 0 END) AS concerns
        FROM visits v
        WHERE
        """;

    private const string VisitsTail = """
         AND v.planned_on >= @fromDate AND v.planned_on <= @toDate
        GROUP BY v.team_id, v.postal_code
        """;

    internal const string TeamVisitsSql = VisitsHead + " v.team_id = @teamId\n" + VisitsTail;
    internal const string MunicipalityVisitsSql = VisitsHead + " " + MunicipalityFilter + "\n" + VisitsTail;

    // Which neighbourhood of which team covers a PC4 (a visit's team and PC4 place it in a neighbourhood).
    internal const string CoverageSql = """
        SELECT tn.team_id, p.neighbourhood_id, p.postal_code AS pc4
        FROM neighbourhood_postal_codes p
        JOIN team_neighbourhoods tn ON tn.neighbourhood_id = p.neighbourhood_id
        """;

    internal const string TeamNeighbourhoodsSql = """
        SELECT n.id, n.code, n.name FROM neighbourhoods n
        WHERE n.id IN (SELECT neighbourhood_id FROM team_neighbourhoods WHERE team_id = @teamId)
           OR n.id IN (SELECT neighbourhood_id FROM households WHERE team_id = @teamId)
        """;

    internal const string AllNeighbourhoodsSql = "SELECT n.id, n.code, n.name FROM neighbourhoods n";

    internal sealed record ProvidersRow
    {
        public Guid HouseholdId { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string PostalCode { get; init; } = "";
        public int ProvidersAtIntake { get; init; }
        public int ProvidersNow { get; init; }
        public int ProvidersInPeriod { get; init; }
    }

    internal sealed record SignalsRow
    {
        public Guid NeighbourhoodId { get; init; }
        public string PostalCode { get; init; } = "";
        public int Signals { get; init; }
    }

    internal sealed record OutcomeRow
    {
        public Guid Id { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string PostalCode { get; init; } = "";
        public int Scored { get; init; }
        public long? Change { get; init; }
    }

    internal sealed record VisitsRow
    {
        public Guid TeamId { get; init; }
        public string PostalCode { get; init; } = "";
        public int Visits { get; init; }
        public long? Concerns { get; init; }
    }

    internal sealed record CoverageRow
    {
        public Guid TeamId { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string Pc4 { get; init; } = "";
    }

    internal sealed record NeighbourhoodRow
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
    }

    internal sealed class Handler(DbSession db, ReportScope scope, InvolvementSettings settings, TimeProvider time)
        : IQueryHandler<Query, Report>
    {
        public async ValueTask<Report> Handle(Query query, CancellationToken ct)
        {
            var teamId = scope.TeamOrMunicipality();
            var period = ReportPeriod.Resolve(query.From, query.To, time);
            var team = teamId is not null;
            var parameters = new
            {
                teamId, neighbourhoodId = (Guid?)null, periodStart = period.Start, periodEnd = period.End,
                fromDate = period.From, toDate = period.To,
            };
            var providers = (await db.QueryAsync<ProvidersRow>(team ? TeamProvidersSql : MunicipalityProvidersSql, parameters, ct)).ToList();
            var signals = (await db.QueryAsync<SignalsRow>(team ? TeamSignalsSql : MunicipalitySignalsSql, parameters, ct)).ToList();
            var outcomes = (await db.QueryAsync<OutcomeRow>(team ? TeamOutcomesSql : MunicipalityOutcomesSql, parameters, ct)).ToList();
            var visitRows = (await db.QueryAsync<VisitsRow>(team ? TeamVisitsSql : MunicipalityVisitsSql, parameters, ct)).ToList();
            // Several neighbourhoods of one team covering one PC4: the lowest id, so that a visit counts once.
            var coverage = (await db.QueryAsync<CoverageRow>(CoverageSql, ct: ct))
                .GroupBy(c => (c.TeamId, c.Pc4))
                .ToDictionary(g => g.Key, g => g.Min(c => c.NeighbourhoodId));
            var visits = visitRows.Select(v => (
                NeighbourhoodId: coverage.TryGetValue((v.TeamId, Pc4(v.PostalCode)), out var n) ? n : (Guid?)null,
                v.PostalCode, v.Visits, Concerns: (int)(v.Concerns ?? 0))).ToList();
            var neighbourhoods = (await db.QueryAsync<NeighbourhoodRow>(team ? TeamNeighbourhoodsSql : AllNeighbourhoodsSql, parameters, ct))
                .OrderBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Id).ToList();

            Figures For(Func<Guid, string, bool> inArea) => Compute(
                providers.Where(p => inArea(p.NeighbourhoodId, p.PostalCode)).ToList(),
                signals.Where(s => inArea(s.NeighbourhoodId, s.PostalCode)).Sum(s => s.Signals),
                outcomes.Where(o => inArea(o.NeighbourhoodId, o.PostalCode)).ToList(),
                VisitCounts(visits.Where(v => inArea(v.NeighbourhoodId ?? Guid.Empty, v.PostalCode))));

            var pc4s = providers.Select(p => p.PostalCode).Concat(signals.Select(s => s.PostalCode)).Concat(outcomes.Select(o => o.PostalCode))
                .Concat(visits.Select(v => v.PostalCode))
                .Select(Pc4).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new Report(teamId, period.From, period.To, For((_, _) => true),
                neighbourhoods.Select(n => new NeighbourhoodFigures(n.Id, n.Code, n.Name, For((id, _) => id == n.Id))).ToList(),
                pc4s.Select(pc4 => new PostalAreaFigures(pc4, For((_, pc) => Pc4(pc) == pc4))).ToList());
        }

        private static (int Visits, int Concerns) VisitCounts(IEnumerable<(Guid? NeighbourhoodId, string PostalCode, int Visits, int Concerns)> rows)
        {
            var list = rows.ToList();
            return (list.Sum(v => v.Visits), list.Sum(v => v.Concerns));
        }

        // Postal codes are stored normalised (8925AB); the PC4 is its number part.
        private static string Pc4(string postalCode) => postalCode.Length >= 4 ? postalCode[..4] : postalCode;

        private Figures Compute(List<ProvidersRow> households, int signals, List<OutcomeRow> closed, (int Visits, int Concerns) visits)
        {
            var n = households.Count;
            double Average(Func<ProvidersRow, int> value) => n == 0 ? 0 : Math.Round((double)households.Sum(value) / n, 2);
            return new Figures(n, Average(h => h.ProvidersAtIntake), Average(h => h.ProvidersNow), Average(h => h.ProvidersInPeriod),
                households.Count(h => h.ProvidersNow >= settings.Threshold), signals, closed.Count,
                closed.Count(o => o.Scored > 0 && o.Change > 0), closed.Count(o => o.Scored > 0 && o.Change == 0),
                closed.Count(o => o.Scored > 0 && o.Change < 0), closed.Count(o => o.Scored == 0), visits.Visits, visits.Concerns);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/reports/neighbourhoods", async (HttpRequest request, DateOnly? from, DateOnly? to, string? report,
            IMediator mediator, CancellationToken ct) =>
        {
            var table = ReportCsv.Choose(report, ReportCsv.NeighbourhoodTables);
            var result = await mediator.Send(new Query(from, to), ct);
            return CsvOutput.Negotiate(request, result, () => ReportCsv.Neighbourhoods(result, table),
                $"wijken-{(table == "postalAreas" ? "pc4-" : "")}{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv");
        })
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .Produces<Report>(contentType: "application/json")
        .Produces(200, contentType: CsvOutput.MediaType)
        .WithName("getNeighbourhoodReport")
        .WithSummary("Wijkrapport: per wijk en per PC4 huishoudens in zorg, aanbieders, signalen en uitkomsten (JSON, of CSV met Accept: text/csv)")
        .WithTags("Rapportages");
}
