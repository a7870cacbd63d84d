using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// Report 3, the team report: caseload per coach against the maximum, households per status, signals routed to an
/// existing contact vs new, request response times per organisation (median, share on time), escalations, the outcome
/// distribution of households closed in the period and the ZRM change per domain. One aggregate query per section.
/// </summary>
public static class TeamReport
{
    public sealed record Query(Guid? TeamId, DateOnly? From, DateOnly? To) : IQuery<Report>;

    public sealed record Report(
        Guid TeamId, DateOnly From, DateOnly To, IReadOnlyList<CoachCaseload> Caseload, IReadOnlyList<StatusCount> HouseholdsByStatus,
        SignalCounts Signals, IReadOnlyList<OrganisationResponse> ResponseTimes, EscalationCounts Escalations,
        OutcomeDistribution Outcomes, IReadOnlyList<DomainChange> ZrmChange);

    public sealed record CoachCaseload(Guid CoachId, string DisplayName, int OpenHouseholds, int MaxCaseload, bool Full);

    public sealed record StatusCount(string Status, int Households);

    public sealed record SignalCounts(int Total, int RoutedToExistingContact, int New);

    /// <summary>
    /// Median working time from sending to answer, in hours (<see cref="WorkingTime"/>: weekends and holidays do not
    /// count); <c>due</c>: the requests whose answer is due by now; <c>shareOnTime</c>: answered on time / due (0..1;
    /// 0 when none is due yet).
    /// </summary>
    public sealed record OrganisationResponse(
        Guid OrganisationId, string OrganisationName, int Sent, int Answered, int AnsweredOnTime, int Due, double ShareOnTime,
        double? MedianResponseHours, int Escalated);

    public sealed record EscalationCounts(int ToOrganisation, int ToTeamLead);

    public sealed record OutcomeDistribution(int Closed, int Improved, int Unchanged, int Worsened, int NotAssessed);

    public sealed record DomainChange(string Domain, int Members, double AverageChange);

    internal const string CaseloadSql = """
        SELECT u.id AS coach_id, u.display_name, u.max_caseload, COUNT(a.id) AS open_households
        FROM users u
        LEFT JOIN coach_assignments a ON a.coach_id = u.id AND a.to_at IS NULL
        WHERE u.team_id = @teamId AND u.role = 'coach'
        GROUP BY u.id, u.display_name, u.max_caseload
        ORDER BY u.display_name, u.id
        """;

    internal const string StatusSql = """
        SELECT status, COUNT(*) AS households FROM households WHERE team_id = @teamId GROUP BY status
        """;

    // A signal belongs to the team when it landed in its queue or concerns one of its households.
    internal const string SignalsSql = """
        SELECT COUNT(*) AS total,
               SUM(CASE WHEN s.status = 'routed' THEN 1 ELSE 0 END) AS routed
        FROM signals s
        LEFT JOIN households h ON h.id = s.household_id
        WHERE s.created_at >= @periodStart AND s.created_at < @periodEnd
          AND (s.team_id = @teamId OR h.team_id = @teamId)
        """;

    // Per organisation: sent, answered, answered on time, and "due": the requests whose answer is due by now, i.e.
    // answered (on time or late), or still unanswered when their due moment passed (open now with the due date behind
    // us, or declined/withdrawn after it). A request that is not due yet and not answered is neither on time nor late.
    internal const string ResponseTimesSql = """
        SELECT r.organisation_id, o.name AS organisation_name, COUNT(*) AS sent,
               SUM(CASE WHEN r.status = 'answered' THEN 1 ELSE 0 END) AS answered,
               SUM(CASE WHEN r.status = 'answered' AND r.closed_at <= r.due_at THEN 1 ELSE 0 END) AS answered_on_time,
               SUM(CASE WHEN r.status = 'answered'
                          OR (r.closed_at IS NOT NULL AND r.closed_at > r.due_at)
                          OR (r.closed_at IS NULL AND r.due_at < @now) THEN 1 ELSE 0 END) AS due,
               SUM(CASE WHEN r.escalation_level > 0 THEN 1 ELSE 0 END) AS escalated
        FROM requests r
        JOIN households h ON h.id = r.household_id
        JOIN organisations o ON o.id = r.organisation_id
        WHERE h.team_id = @teamId AND r.sent_at >= @periodStart AND r.sent_at < @periodEnd
        GROUP BY r.organisation_id, o.name
        ORDER BY o.name, r.organisation_id
        """;

    // The answered requests themselves: their working time is computed in C# (WorkingTime) with the calendar of the
    // due dates, which SQL has no portable way to know.
    internal const string AnsweredSql = """
        SELECT r.organisation_id, r.sent_at, r.closed_at
        FROM requests r
        JOIN households h ON h.id = r.household_id
        WHERE h.team_id = @teamId AND r.sent_at >= @periodStart AND r.sent_at < @periodEnd
          AND r.status = 'answered' AND r.closed_at IS NOT NULL
        """;

    internal const string EscalationsSql = """
        SELECT SUM(CASE WHEN r.escalation_level >= 1 THEN 1 ELSE 0 END) AS to_organisation,
               SUM(CASE WHEN r.escalation_level >= 2 THEN 1 ELSE 0 END) AS to_team_lead
        FROM requests r
        JOIN households h ON h.id = r.household_id
        WHERE h.team_id = @teamId AND r.escalated_at >= @periodStart AND r.escalated_at < @periodEnd
        """;

    // Per member and domain the first score (intake if any) and the latest one, for the team's households that were
    // in care during the period; shared by the outcome distribution and the change per domain.
    /// <summary>
    /// After a CTE <c>scoped(id, ...)</c> of households: per member and domain the first score (intake if any) and the
    /// latest one. The outcome rule of the team report, also used by the neighbourhood report.
    /// </summary>
    internal const string FirstAndLatestScoresCte = """
        ranked AS (
            SELECT a.household_id, a.member_id, s.domain, s.score,
                   ROW_NUMBER() OVER (PARTITION BY a.member_id, s.domain
                                      ORDER BY CASE WHEN a.phase = 'intake' THEN 0 ELSE 1 END, a.assessed_on, a.created_at) AS first_rank,
                   ROW_NUMBER() OVER (PARTITION BY a.member_id, s.domain
                                      ORDER BY a.assessed_on DESC, a.created_at DESC) AS last_rank
            FROM assessments a
            JOIN assessment_scores s ON s.assessment_id = a.id
            JOIN scoped c ON c.id = a.household_id
        ),
        member_domain AS (
            SELECT household_id, member_id, domain,
                   MAX(CASE WHEN first_rank = 1 THEN score END) AS intake,
                   MAX(CASE WHEN last_rank = 1 THEN score END) AS latest
            FROM ranked
            GROUP BY household_id, member_id, domain
        )
        """;

    private const string MemberDomainCte = """
        WITH scoped AS (
            SELECT h.id, h.closed_at
            FROM households h
            WHERE h.team_id = @teamId AND h.created_at < @periodEnd AND (h.closed_at IS NULL OR h.closed_at >= @periodStart)
        ),
        """ + FirstAndLatestScoresCte;

    // Closed in the period: improved when the summed change over all member-domain scores is positive.
    internal const string OutcomesSql = MemberDomainCte + """
        , per_household AS (
            SELECT c.id, COUNT(md.domain) AS scored, SUM(md.latest - md.intake) AS change
            FROM scoped c
            LEFT JOIN member_domain md ON md.household_id = c.id
            WHERE c.closed_at >= @periodStart AND c.closed_at < @periodEnd
            GROUP BY c.id
        )
        SELECT COUNT(*) AS closed,
               SUM(CASE WHEN scored > 0 AND change > 0 THEN 1 ELSE 0 END) AS improved,
               SUM(CASE WHEN scored > 0 AND change = 0 THEN 1 ELSE 0 END) AS unchanged,
               SUM(CASE WHEN scored > 0 AND change < 0 THEN 1 ELSE 0 END) AS worsened,
               SUM(CASE WHEN scored = 0 THEN 1 ELSE 0 END) AS not_assessed
        FROM per_household
        """;

    internal const string DomainChangeSql = MemberDomainCte + """
        SELECT domain, COUNT(*) AS members, AVG(CAST(latest - intake AS float)) AS average_change
        FROM member_domain
        GROUP BY domain
        """;

    internal sealed record CaseloadRow
    {
        public Guid CoachId { get; init; }
        public string DisplayName { get; init; } = "";
        public int MaxCaseload { get; init; }
        public int OpenHouseholds { get; init; }
    }

    internal sealed record StatusRow
    {
        public string Status { get; init; } = "";
        public int Households { get; init; }
    }

    internal sealed record SignalsRow
    {
        public int Total { get; init; }
        public int? Routed { get; init; }
    }

    internal sealed record ResponseRow
    {
        public Guid OrganisationId { get; init; }
        public string OrganisationName { get; init; } = "";
        public int Sent { get; init; }
        public int Answered { get; init; }
        public int? AnsweredOnTime { get; init; }
        public int? Due { get; init; }
        public int Escalated { get; init; }
    }

    internal sealed record AnsweredRow
    {
        public Guid OrganisationId { get; init; }
        public DateTimeOffset SentAt { get; init; }
        public DateTimeOffset ClosedAt { get; init; }
    }

    internal sealed record EscalationsRow
    {
        public int? ToOrganisation { get; init; }
        public int? ToTeamLead { get; init; }
    }

    internal sealed record OutcomesRow
    {
        public int Closed { get; init; }
        public int? Improved { get; init; }
        public int? Unchanged { get; init; }
        public int? Worsened { get; init; }
        public int? NotAssessed { get; init; }
    }

    internal sealed record DomainRow
    {
        public string Domain { get; init; } = "";
        public int Members { get; init; }
        public double AverageChange { get; init; }
    }

    private static readonly string[] StatusOrder =
        [HouseholdStatus.Registered, HouseholdStatus.Active, HouseholdStatus.Closing, HouseholdStatus.Closed];

    internal sealed class Handler(DbSession db, ReportScope scope, AccessLogWriter log, TimeProvider time, WorkingDays calendar)
        : IQueryHandler<Query, Report>
    {
        public async ValueTask<Report> Handle(Query query, CancellationToken ct)
        {
            var teamId = scope.TeamFor(query.TeamId);
            var period = ReportPeriod.Resolve(query.From, query.To, time);
            var p = new { teamId, periodStart = period.Start, periodEnd = period.End, now = time.GetUtcNow() };
            var caseload = (await db.QueryAsync<CaseloadRow>(CaseloadSql, p, ct))
                .Select(r => new CoachCaseload(r.CoachId, r.DisplayName, r.OpenHouseholds, r.MaxCaseload, r.OpenHouseholds >= r.MaxCaseload))
                .ToList();
            var statuses = (await db.QueryAsync<StatusRow>(StatusSql, p, ct)).ToDictionary(r => r.Status, r => r.Households);
            var signals = await db.QuerySingleOrDefaultAsync<SignalsRow>(SignalsSql, p, ct) ?? new SignalsRow();
            var medians = (await db.QueryAsync<AnsweredRow>(AnsweredSql, p, ct))
                .GroupBy(a => a.OrganisationId)
                .ToDictionary(g => g.Key, g => WorkingTime.Median(g.Select(a => WorkingTime.Between(calendar, a.SentAt, a.ClosedAt).TotalHours).ToList()));
            var responses = (await db.QueryAsync<ResponseRow>(ResponseTimesSql, p, ct))
                .Select(r => new OrganisationResponse(r.OrganisationId, r.OrganisationName, r.Sent, r.Answered, r.AnsweredOnTime ?? 0,
                    r.Due ?? 0, r.Due is > 0 ? Math.Round((double)(r.AnsweredOnTime ?? 0) / r.Due.Value, 3) : 0,
                    medians.GetValueOrDefault(r.OrganisationId) is { } h ? Math.Round(h, 1) : null, r.Escalated))
                .ToList();
            var escalations = await db.QuerySingleOrDefaultAsync<EscalationsRow>(EscalationsSql, p, ct) ?? new EscalationsRow();
            var outcomes = await db.QuerySingleOrDefaultAsync<OutcomesRow>(OutcomesSql, p, ct) ?? new OutcomesRow();
            var domains = (await db.QueryAsync<DomainRow>(DomainChangeSql, p, ct))
                .OrderBy(d => Zrm.Position(d.Domain))
                .Select(d => new DomainChange(d.Domain, d.Members, Math.Round(d.AverageChange, 2)))
                .ToList();
            await log.WriteAsync("read", "report-team", teamId, null, ct);
            return new Report(teamId, period.From, period.To, caseload,
                StatusOrder.Select(s => new StatusCount(s, statuses.GetValueOrDefault(s))).ToList(),
                new SignalCounts(signals.Total, signals.Routed ?? 0, signals.Total - (signals.Routed ?? 0)),
                responses,
                new EscalationCounts(escalations.ToOrganisation ?? 0, escalations.ToTeamLead ?? 0),
                new OutcomeDistribution(outcomes.Closed, outcomes.Improved ?? 0, outcomes.Unchanged ?? 0, outcomes.Worsened ?? 0,
                    outcomes.NotAssessed ?? 0),
                domains);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/reports/team", async (HttpRequest request, Guid? teamId, DateOnly? from, DateOnly? to, string? report,
            IMediator mediator, CancellationToken ct) =>
        {
            // report= chooses the CSV table (one per chart); checked first so that a wrong name changes nothing.
            var table = ReportCsv.Choose(report, ReportCsv.TeamTables);
            var result = await mediator.Send(new Query(teamId, from, to), ct);
            return CsvOutput.Negotiate(request, result, () => ReportCsv.Team(result, table),
                $"teamrapport-{table}-{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv");
        })
        .RequireAuthorization(Policies.TeamLead)
        .Produces<Report>(contentType: "application/json")
        .Produces(200, contentType: CsvOutput.MediaType)
        .WithName("getTeamReport")
        .WithSummary("Rapport 3: het team (JSON, of CSV met Accept: text/csv; report= kiest de tabel)")
        .WithTags("Rapportages");
}
