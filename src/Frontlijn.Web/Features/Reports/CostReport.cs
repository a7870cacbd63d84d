using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// Costs (geldstromen, issue 14): what the care of the team's households cost in the period, per household, per
/// organisation and per neighbourhood, in euros. Two kinds of tariff (docs/features/costs.md):
/// <list type="bullet">
/// <item>per request: every request answered in the period (its answer moment in the period) costs the tariff the
/// request carried when it was sent;</item>
/// <item>per month: for every Amsterdam calendar month overlapping the period (cut off at now) in which the
/// organisation was involved with the household (any involvement of the organisation overlapping that part of the
/// month), every service of the organisation with a monthly tariff that the household had a request for, sent before
/// the end of that part of the month, costs the tariff of the latest such request once. A started month counts whole.</item>
/// </list>
/// Households are those of the team in care during the period (as in the other reports). Sums are kept in cents.
/// </summary>
public static class CostReport
{
    public sealed record Query(Guid? TeamId, DateOnly? From, DateOnly? To) : IQuery<Report>;

    public sealed record Report(
        Guid TeamId, DateOnly From, DateOnly To, decimal Total, IReadOnlyList<HouseholdCost> Households,
        IReadOnlyList<OrganisationCost> Organisations, IReadOnlyList<NeighbourhoodCost> Neighbourhoods);

    public sealed record HouseholdCost(
        Guid HouseholdId, Guid NeighbourhoodId, string Status, int AnsweredRequests, decimal RequestCosts,
        int InvolvementMonths, decimal MonthlyCosts, decimal Total);

    public sealed record OrganisationCost(
        Guid OrganisationId, string OrganisationName, int Households, int AnsweredRequests, decimal RequestCosts,
        int InvolvementMonths, decimal MonthlyCosts, decimal Total);

    public sealed record NeighbourhoodCost(
        Guid NeighbourhoodId, string NeighbourhoodName, int Households, int AnsweredRequests, decimal RequestCosts,
        int InvolvementMonths, decimal MonthlyCosts, decimal Total);

    internal const string ListedObjectType = "report-costs";

    internal const string TeamExistsSql = "SELECT COUNT(*) FROM teams WHERE id = @teamId";

    internal const string HouseholdsSql = """
        SELECT h.id, h.neighbourhood_id, h.status, n.name AS neighbourhood_name
        FROM households h
        JOIN neighbourhoods n ON n.id = h.neighbourhood_id
        WHERE h.team_id = @teamId AND h.created_at < @periodEnd AND (h.closed_at IS NULL OR h.closed_at >= @periodStart)
        ORDER BY h.created_at, h.id
        """;

    internal const string OrganisationsSql = "SELECT id, name FROM organisations";

    internal const string AnsweredSql = """
        SELECT r.household_id, r.organisation_id, r.tariff_cents
        FROM requests r
        JOIN households h ON h.id = r.household_id
        WHERE h.team_id = @teamId AND r.status = 'answered' AND r.tariff_per = 'request'
          AND r.closed_at >= @periodStart AND r.closed_at < @periodEnd
        """;

    internal const string MonthlySql = """
        SELECT r.household_id, r.organisation_id, r.service_code, r.sent_at, r.tariff_cents
        FROM requests r
        JOIN households h ON h.id = r.household_id
        WHERE h.team_id = @teamId AND r.tariff_per = 'month' AND r.sent_at < @periodEnd
        """;

    internal const string InvolvementsSql = """
        SELECT i.household_id, i.organisation_id, i.since, i.ended_at
        FROM involvements i
        JOIN households h ON h.id = i.household_id
        WHERE h.team_id = @teamId AND i.organisation_id IS NOT NULL AND i.since < @periodEnd
          AND (i.ended_at IS NULL OR i.ended_at > @periodStart)
        """;

    internal sealed record HouseholdRow
    {
        public Guid Id { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string Status { get; init; } = "";
        public string NeighbourhoodName { get; init; } = "";
    }

    internal sealed record OrganisationRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
    }

    internal sealed record AnsweredRow
    {
        public Guid HouseholdId { get; init; }
        public Guid OrganisationId { get; init; }
        public long TariffCents { get; init; }
    }

    internal sealed record MonthlyRow
    {
        public Guid HouseholdId { get; init; }
        public Guid OrganisationId { get; init; }
        public string ServiceCode { get; init; } = "";
        public DateTimeOffset SentAt { get; init; }
        public long TariffCents { get; init; }
    }

    internal sealed record InvolvementRow
    {
        public Guid HouseholdId { get; init; }
        public Guid OrganisationId { get; init; }
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
    }

    /// <summary>One (household, organisation) cell in cents; the report's rows are sums of these.</summary>
    private sealed class Cell
    {
        public int Answered;
        public long RequestCents;
        public int Months;
        public long MonthCents;
    }

    internal sealed class Handler(DbSession db, ReportScope scope, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : IQueryHandler<Query, Report>
    {
        public async ValueTask<Report> Handle(Query query, CancellationToken ct)
        {
            var teamId = await TeamAsync(query.TeamId, ct);
            var period = ReportPeriod.Resolve(query.From, query.To, time);
            var now = time.GetUtcNow();
            var p = new { teamId, periodStart = period.Start, periodEnd = period.End };
            var households = (await db.QueryAsync<HouseholdRow>(HouseholdsSql, p, ct)).ToList();
            var inScope = households.Select(h => h.Id).ToHashSet();
            var organisations = (await db.QueryAsync<OrganisationRow>(OrganisationsSql, null, ct)).ToDictionary(o => o.Id, o => o.Name);
            var cells = new Dictionary<(Guid Household, Guid Organisation), Cell>();
            Cell CellOf(Guid h, Guid o) => cells.TryGetValue((h, o), out var c) ? c : cells[(h, o)] = new Cell();

            foreach (var r in await db.QueryAsync<AnsweredRow>(AnsweredSql, p, ct))
            {
                if (!inScope.Contains(r.HouseholdId)) continue;
                var cell = CellOf(r.HouseholdId, r.OrganisationId);
                cell.Answered++;
                cell.RequestCents += r.TariffCents;
            }

            var monthly = (await db.QueryAsync<MonthlyRow>(MonthlySql, p, ct)).Where(r => inScope.Contains(r.HouseholdId))
                .ToLookup(r => (r.HouseholdId, r.OrganisationId));
            var involvements = (await db.QueryAsync<InvolvementRow>(InvolvementsSql, p, ct))
                .ToLookup(i => (i.HouseholdId, i.OrganisationId));
            var windows = MonthWindows(period, now);
            foreach (var pair in monthly)
            {
                var byService = pair.GroupBy(r => r.ServiceCode).Select(g => g.OrderBy(r => r.SentAt).ToList()).ToList();
                foreach (var (start, end) in windows)
                {
                    if (!involvements[pair.Key].Any(i => i.Since < end && (i.EndedAt is null || i.EndedAt > start))) continue;
                    var charged = byService.Select(requests => requests.LastOrDefault(r => r.SentAt < end)).Where(r => r is not null).ToList();
                    if (charged.Count == 0) continue;
                    var cell = CellOf(pair.Key.HouseholdId, pair.Key.OrganisationId);
                    cell.Months++;
                    cell.MonthCents += charged.Sum(r => r!.TariffCents);
                }
            }

            var byHousehold = cells.ToLookup(c => c.Key.Household, c => c.Value);
            var householdCosts = households.Select(h => Sum(byHousehold[h.Id], (a, rc, m, mc, t) =>
                new HouseholdCost(h.Id, h.NeighbourhoodId, h.Status, a, rc, m, mc, t))).ToList();
            var organisationCosts = cells.GroupBy(c => c.Key.Organisation)
                .Select(g => Sum(g.Select(c => c.Value), (a, rc, m, mc, t) => new OrganisationCost(
                    g.Key, organisations.GetValueOrDefault(g.Key, ""), g.Count(), a, rc, m, mc, t)))
                .OrderBy(o => o.OrganisationName, StringComparer.Ordinal).ThenBy(o => o.OrganisationId).ToList();
            var neighbourhoodCosts = households.GroupBy(h => (h.NeighbourhoodId, h.NeighbourhoodName))
                .Select(g => Sum(g.SelectMany(h => byHousehold[h.Id]), (a, rc, m, mc, t) => new NeighbourhoodCost(
                    g.Key.NeighbourhoodId, g.Key.NeighbourhoodName, g.Count(), a, rc, m, mc, t)))
                .OrderBy(n => n.NeighbourhoodName, StringComparer.Ordinal).ToList();
            // Costs are about named households: every household the report lists is a read of household data.
            await log.WriteListedAsync("read", ListedObjectType, householdCosts.Select(h => ((Guid?)teamId, (Guid?)h.HouseholdId)).ToList(), ct);
            return new Report(teamId, period.From, period.To, householdCosts.Sum(h => h.Total), householdCosts, organisationCosts,
                neighbourhoodCosts);
        }

        private async Task<Guid> TeamAsync(Guid? requested, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.Admin)) return scope.TeamFor(requested);
            // The administrator reports on any team, but must say which one.
            if (requested is not { } teamId) throw new ValidationException([new("teamId", "Kies een team.")]);
            if (await db.ExecuteScalarAsync<int>(TeamExistsSql, new { teamId }, ct) == 0) throw ProblemException.NotFound("Dit team");
            return teamId;
        }

        private static T Sum<T>(IEnumerable<Cell> cells, Func<int, decimal, int, decimal, decimal, T> make)
        {
            var list = cells.ToList();
            long requestCents = list.Sum(c => c.RequestCents), monthCents = list.Sum(c => c.MonthCents);
            return make(list.Sum(c => c.Answered), requestCents / 100m, list.Sum(c => c.Months), monthCents / 100m,
                (requestCents + monthCents) / 100m);
        }
    }

    /// <summary>The part of every Amsterdam calendar month that lies in the period and not in the future.</summary>
    internal static List<(DateTimeOffset Start, DateTimeOffset End)> MonthWindows(ReportPeriod period, DateTimeOffset now)
    {
        var windows = new List<(DateTimeOffset, DateTimeOffset)>();
        var stop = period.End < now ? period.End : now;
        for (var month = new DateOnly(period.From.Year, period.From.Month, 1); month <= period.To; month = month.AddMonths(1))
        {
            var start = WorkingDays.StartOfDay(month);
            var end = WorkingDays.StartOfDay(month.AddMonths(1));
            if (start < period.Start) start = period.Start;
            if (end > stop) end = stop;
            if (start < end) windows.Add((start, end));
        }
        return windows;
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/reports/costs", async (HttpRequest request, Guid? teamId, DateOnly? from, DateOnly? to, string? report,
            IMediator mediator, HouseholdLabels labels, CancellationToken ct) =>
        {
            var table = ReportCsv.Choose(report, ReportCsv.CostTables);
            var result = await mediator.Send(new Query(teamId, from, to), ct);
            if (!CsvOutput.IsRequested(request)) return Results.Ok(result);
            var names = table == "households" ? await labels.ForTeamAsync(result.TeamId, ct) : new Dictionary<Guid, HouseholdLabel>();
            return CsvOutput.File(ReportCsv.Costs(result, table, names), $"kosten-{table}-{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv");
        })
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .Produces<Report>(contentType: "application/json")
        .Produces(200, contentType: CsvOutput.MediaType)
        .WithName("getCostReport")
        .WithSummary("Kosten per huishouden, organisatie en wijk (teamleider: eigen team; beheerder: elk team); JSON, of CSV met Accept: text/csv")
        .WithTags("Rapportages");
}
