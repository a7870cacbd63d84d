using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// The coordination burden ("more meetings instead of more results", measured): per household of the team lead's
/// team that was in care during the period, and for the team,
/// <list type="bullet">
/// <item><c>meetings</c>: meetings about the household dated in the period;</item>
/// <item><c>professionalHours</c>: the sum over those meetings of duration × number of participants (participants are
/// the professionals; the household is <c>householdPresent</c>), in hours;</item>
/// <item><c>distinctIntakes</c>: the number of distinct organisations a request of the household was sent to in the
/// period — each is an intake the household went through (requests, not hand-recorded involvements, because only a
/// request is an intake in Frontlijn);</item>
/// <item><c>zrmAtIntake</c>, <c>zrmLatest</c>, <c>zrmChange</c>: the mean ZRM score of every member's first assessment
/// (an intake one if there is one) and of every member's latest assessment up to the end of the period, and the
/// difference; <c>zrmChange</c> is null until some member has a second assessment.</item>
/// </list>
/// </summary>
public static class CoordinationReport
{
    public sealed record Query(Guid? TeamId, DateOnly? From, DateOnly? To) : IQuery<Report>;

    public sealed record Report(Guid TeamId, DateOnly From, DateOnly To, TeamTotals Team, IReadOnlyList<HouseholdBurden> Households);

    public sealed record TeamTotals(
        int Households, int Meetings, double ProfessionalHours, int DistinctIntakes, double MeetingsPerHousehold,
        double ProfessionalHoursPerHousehold, double? AverageZrmChange);

    public sealed record HouseholdBurden(
        Guid HouseholdId, Guid NeighbourhoodId, string Status, int Meetings, int MeetingMinutes, double ProfessionalHours,
        int DistinctIntakes, double? ZrmAtIntake, double? ZrmLatest, double? ZrmChange);

    internal const string ListedObjectType = "report-coordination";

    internal const string HouseholdsSql = """
        SELECT h.id, h.neighbourhood_id, h.status
        FROM households h
        WHERE h.team_id = @teamId AND h.created_at < @periodEnd AND (h.closed_at IS NULL OR h.closed_at >= @periodStart)
        ORDER BY h.created_at, h.id
        """;

    internal const string MeetingsSql = """
        SELECT m.household_id, m.duration_minutes,
               (SELECT COUNT(*) FROM meeting_participants p WHERE p.meeting_id = m.id) AS participants
        FROM meetings m
        JOIN households h ON h.id = m.household_id
        WHERE h.team_id = @teamId AND m.meeting_on >= @from AND m.meeting_on <= @to
        """;

    internal const string IntakesSql = """
        SELECT r.household_id, COUNT(DISTINCT r.organisation_id) AS intakes
        FROM requests r
        JOIN households h ON h.id = r.household_id
        WHERE h.team_id = @teamId AND r.sent_at >= @periodStart AND r.sent_at < @periodEnd
        GROUP BY r.household_id
        """;

    internal const string ScoresSql = """
        SELECT a.household_id, a.member_id, a.id AS assessment_id, a.phase, a.assessed_on, a.created_at, s.score
        FROM assessments a
        JOIN assessment_scores s ON s.assessment_id = a.id
        JOIN households h ON h.id = a.household_id
        WHERE h.team_id = @teamId AND a.assessed_on <= @to
        """;

    internal sealed record HouseholdRow
    {
        public Guid Id { get; init; }
        public Guid NeighbourhoodId { get; init; }
        public string Status { get; init; } = "";
    }

    internal sealed record MeetingRow
    {
        public Guid HouseholdId { get; init; }
        public int DurationMinutes { get; init; }
        public long Participants { get; init; }
    }

    internal sealed record IntakeRow
    {
        public Guid HouseholdId { get; init; }
        public long Intakes { get; init; }
    }

    internal sealed record ScoreRow
    {
        public Guid HouseholdId { get; init; }
        public Guid MemberId { get; init; }
        public Guid AssessmentId { get; init; }
        public string Phase { get; init; } = "";
        public DateOnly AssessedOn { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public int Score { get; init; }
    }

    internal sealed class Handler(DbSession db, ReportScope scope, AccessLogWriter log, TimeProvider time) : IQueryHandler<Query, Report>
    {
        public async ValueTask<Report> Handle(Query query, CancellationToken ct)
        {
            var teamId = scope.TeamFor(query.TeamId);
            var period = ReportPeriod.Resolve(query.From, query.To, time);
            var p = new { teamId, periodStart = period.Start, periodEnd = period.End, from = period.From, to = period.To };
            var households = (await db.QueryAsync<HouseholdRow>(HouseholdsSql, p, ct)).ToList();
            var meetings = (await db.QueryAsync<MeetingRow>(MeetingsSql, p, ct)).ToLookup(m => m.HouseholdId);
            var intakes = (await db.QueryAsync<IntakeRow>(IntakesSql, p, ct)).ToDictionary(i => i.HouseholdId, i => (int)i.Intakes);
            var scores = (await db.QueryAsync<ScoreRow>(ScoresSql, p, ct)).ToLookup(s => s.HouseholdId);

            var rows = households.Select(h =>
            {
                var own = meetings[h.Id].ToList();
                var (intake, latest, change) = Zrm(scores[h.Id]);
                return new HouseholdBurden(h.Id, h.NeighbourhoodId, h.Status, own.Count, own.Sum(m => m.DurationMinutes),
                    Math.Round(own.Sum(m => m.DurationMinutes * m.Participants) / 60.0, 2), intakes.GetValueOrDefault(h.Id),
                    intake, latest, change);
            }).ToList();
            await log.WriteListedAsync("read", ListedObjectType, rows.Select(r => ((Guid?)teamId, (Guid?)r.HouseholdId)).ToList(), ct);

            var n = rows.Count;
            var changes = rows.Where(r => r.ZrmChange is not null).Select(r => r.ZrmChange!.Value).ToList();
            var totals = new TeamTotals(n, rows.Sum(r => r.Meetings), Math.Round(rows.Sum(r => r.ProfessionalHours), 2),
                rows.Sum(r => r.DistinctIntakes), n == 0 ? 0 : Math.Round((double)rows.Sum(r => r.Meetings) / n, 2),
                n == 0 ? 0 : Math.Round(rows.Sum(r => r.ProfessionalHours) / n, 2),
                changes.Count == 0 ? null : Math.Round(changes.Average(), 2));
            return new Report(teamId, period.From, period.To, totals, rows);
        }

        private static (double? Intake, double? Latest, double? Change) Zrm(IEnumerable<ScoreRow> household)
        {
            var firsts = new List<int>();
            var lasts = new List<int>();
            var anySecond = false;
            foreach (var member in household.GroupBy(s => s.MemberId))
            {
                var assessments = member.GroupBy(s => s.AssessmentId)
                    .OrderBy(a => a.First().AssessedOn).ThenBy(a => a.First().CreatedAt).ToList();
                var first = assessments.FirstOrDefault(a => a.First().Phase == "intake") ?? assessments[0];
                var last = assessments[^1];
                anySecond |= last.Key != first.Key;
                firsts.AddRange(first.Select(s => s.Score));
                lasts.AddRange(last.Select(s => s.Score));
            }
            if (firsts.Count == 0) return (null, null, null);
            var intake = Math.Round(firsts.Average(), 2);
            var latest = Math.Round(lasts.Average(), 2);
            return (intake, latest, anySecond ? Math.Round(lasts.Average() - firsts.Average(), 2) : null);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/reports/coordination", async (HttpRequest request, Guid? teamId, DateOnly? from, DateOnly? to,
            IMediator mediator, HouseholdLabels labels, CancellationToken ct) =>
        {
            var report = await mediator.Send(new Query(teamId, from, to), ct);
            if (!CsvOutput.IsRequested(request)) return Results.Ok(report);
            return CsvOutput.File(ReportCsv.Coordination(report, await labels.ForTeamAsync(report.TeamId, ct)),
                $"coordinatielast-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}.csv");
        })
        .RequireAuthorization(Policies.TeamLead)
        .Produces<Report>(contentType: "application/json")
        .Produces(200, contentType: CsvOutput.MediaType)
        .WithName("getCoordinationReport")
        .WithSummary("Coördinatielast: overleggen, professionele uren, intakes en ZRM-verandering per huishouden (JSON of CSV)")
        .WithTags("Rapportages");
}
