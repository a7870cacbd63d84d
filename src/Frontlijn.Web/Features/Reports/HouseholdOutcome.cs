using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// Report 2, the household outcome report a team lead reviews and signs off: ZRM per domain at intake vs latest (per
/// member, and the household minimum), goals total/achieved, providers at intake vs now, requests sent / answered on
/// time / overdue / declined, duration and closure reason, and the latest sign-off. Each part is one aggregate query.
/// </summary>
public static class HouseholdOutcome
{
    public sealed record Query(Guid HouseholdId) : IQuery<Report>;

    public sealed record Report(
        Guid HouseholdId, string Status, DateOnly RegisteredOn, DateOnly? ClosedOn, int DurationDays, string? ClosureReason,
        IReadOnlyList<DomainOutcome> Zrm, IReadOnlyList<MemberOutcome> Members, Goals Goals, Providers Providers,
        RequestCounts Requests, SignOff? SignOff);

    /// <summary>Household minimum per domain: the weakest member's score counts (a household is as self-reliant as its weakest point).</summary>
    public sealed record DomainOutcome(string Domain, int? IntakeMinimum, int? LatestMinimum, int? Change);

    public sealed record MemberOutcome(Guid MemberId, string Role, IReadOnlyList<MemberDomain> Domains);

    public sealed record MemberDomain(string Domain, int? Intake, int? Latest);

    public sealed record Goals(int Total, int Achieved, int Dropped, int Open);

    public sealed record Providers(int AtIntake, int Now, int Change);

    public sealed record RequestCounts(int Sent, int Answered, int AnsweredOnTime, int Overdue, int Declined, int Withdrawn, int Open);

    public sealed record SignOff(Guid SignedBy, string SignedByDisplayName, DateTimeOffset SignedAt, string? Note);

    // First score: from an intake assessment if there is one, else the earliest; latest: the most recent of any phase.
    internal const string ZrmSql = """
        WITH ranked AS (
            SELECT a.member_id, s.domain, s.score,
                   ROW_NUMBER() OVER (PARTITION BY a.member_id, s.domain
                                      ORDER BY CASE WHEN a.phase = 'intake' THEN 0 ELSE 1 END, a.assessed_on, a.created_at) AS first_rank,
                   ROW_NUMBER() OVER (PARTITION BY a.member_id, s.domain
                                      ORDER BY a.assessed_on DESC, a.created_at DESC) AS last_rank
            FROM assessments a
            JOIN assessment_scores s ON s.assessment_id = a.id
            WHERE a.household_id = @householdId
        )
        SELECT r.member_id, m.role, r.domain,
               MAX(CASE WHEN r.first_rank = 1 THEN r.score END) AS intake,
               MAX(CASE WHEN r.last_rank = 1 THEN r.score END) AS latest
        FROM ranked r
        JOIN household_members m ON m.id = r.member_id
        GROUP BY r.member_id, m.role, r.domain
        """;

    internal const string GoalsSql = """
        SELECT COUNT(*) AS total,
               SUM(CASE WHEN status = 'achieved' THEN 1 ELSE 0 END) AS achieved,
               SUM(CASE WHEN status = 'dropped' THEN 1 ELSE 0 END) AS dropped,
               SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_goals
        FROM plan_goals
        WHERE household_id = @householdId
        """;

    internal const string ProvidersSql = """
        SELECT COUNT(DISTINCT CASE WHEN i.since <= h.created_at AND (i.ended_at IS NULL OR i.ended_at > h.created_at)
                                   THEN i.organisation_id END)
             + COUNT(DISTINCT CASE WHEN i.since <= h.created_at AND (i.ended_at IS NULL OR i.ended_at > h.created_at)
                                   THEN i.provider_key END) AS at_intake,
               COUNT(DISTINCT CASE WHEN i.ended_at IS NULL AND i.since <= @now THEN i.organisation_id END)
             + COUNT(DISTINCT CASE WHEN i.ended_at IS NULL AND i.since <= @now THEN i.provider_key END) AS now_count
        FROM households h
        LEFT JOIN involvements i ON i.household_id = h.id
        WHERE h.id = @householdId
        """;

    // Late: it went overdue (the sweep marked it), or its answer came after the due date.
    internal const string RequestsSql = """
        SELECT COUNT(*) AS sent,
               SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END) AS answered,
               SUM(CASE WHEN status = 'answered' AND closed_at <= due_at THEN 1 ELSE 0 END) AS answered_on_time,
               SUM(CASE WHEN overdue_at IS NOT NULL OR (status = 'answered' AND closed_at > due_at) THEN 1 ELSE 0 END) AS overdue,
               SUM(CASE WHEN status = 'declined' THEN 1 ELSE 0 END) AS declined,
               SUM(CASE WHEN status = 'withdrawn' THEN 1 ELSE 0 END) AS withdrawn,
               SUM(CASE WHEN status IN ('sent', 'acknowledged', 'suspended') THEN 1 ELSE 0 END) AS open_requests
        FROM requests
        WHERE household_id = @householdId
        """;

    internal const string SignOffSql = """
        SELECT s.signed_by, u.display_name AS signed_by_display_name, s.signed_at, s.note
        FROM outcome_signoffs s
        JOIN users u ON u.id = s.signed_by
        WHERE s.household_id = @householdId
        ORDER BY s.signed_at DESC, s.id DESC
        {page}
        """;

    internal sealed record ZrmRow
    {
        public Guid MemberId { get; init; }
        public string Role { get; init; } = "";
        public string Domain { get; init; } = "";
        public int? Intake { get; init; }
        public int? Latest { get; init; }
    }

    internal sealed record GoalsRow
    {
        public int Total { get; init; }
        public int? Achieved { get; init; }
        public int? Dropped { get; init; }
        public int? OpenGoals { get; init; }
    }

    internal sealed record ProvidersRow
    {
        public int AtIntake { get; init; }
        public int NowCount { get; init; }
    }

    internal sealed record RequestsRow
    {
        public int Sent { get; init; }
        public int? Answered { get; init; }
        public int? AnsweredOnTime { get; init; }
        public int? Overdue { get; init; }
        public int? Declined { get; init; }
        public int? Withdrawn { get; init; }
        public int? OpenRequests { get; init; }
    }

    internal sealed record SignOffRow
    {
        public Guid SignedBy { get; init; }
        public string SignedByDisplayName { get; init; } = "";
        public DateTimeOffset SignedAt { get; init; }
        public string? Note { get; init; }
    }

    /// <summary>Builds the report for a household the caller has already been allowed to see.</summary>
    internal sealed class Builder(DbSession db, TimeProvider time)
    {
        public async Task<Report> BuildAsync(HouseholdRow household, CancellationToken ct)
        {
            var id = new { householdId = household.Id };
            var now = time.GetUtcNow();
            var zrm = (await db.QueryAsync<ZrmRow>(ZrmSql, id, ct)).ToList();
            var goals = await db.QuerySingleOrDefaultAsync<GoalsRow>(GoalsSql, id, ct) ?? new GoalsRow();
            var providers = await db.QuerySingleOrDefaultAsync<ProvidersRow>(ProvidersSql, new { householdId = household.Id, now }, ct)
                            ?? new ProvidersRow();
            var requests = await db.QuerySingleOrDefaultAsync<RequestsRow>(RequestsSql, id, ct) ?? new RequestsRow();
            var signOff = (await db.QueryAsync<SignOffRow>(SignOffSql, new { householdId = household.Id, offset = 0, limit = 1 }, ct))
                .FirstOrDefault();

            var domains = Zrm.DomainCodes
                .Where(d => zrm.Any(z => z.Domain == d))
                .Select(d =>
                {
                    var intake = zrm.Where(z => z.Domain == d && z.Intake is not null).Select(z => z.Intake!.Value).DefaultIfEmpty().Min();
                    var latest = zrm.Where(z => z.Domain == d && z.Latest is not null).Select(z => z.Latest!.Value).DefaultIfEmpty().Min();
                    int? i = intake == 0 ? null : intake, l = latest == 0 ? null : latest;
                    return new DomainOutcome(d, i, l, i is { } a && l is { } b ? b - a : null);
                })
                .ToList();
            var members = zrm.GroupBy(z => (z.MemberId, z.Role))
                .Select(g => new MemberOutcome(g.Key.MemberId, g.Key.Role,
                    g.OrderBy(z => Zrm.Position(z.Domain)).Select(z => new MemberDomain(z.Domain, z.Intake, z.Latest)).ToList()))
                .OrderBy(m => m.MemberId)
                .ToList();
            var registered = WorkingDays.LocalDate(household.CreatedAt);
            DateOnly? closed = household.ClosedAt is { } c ? WorkingDays.LocalDate(c) : null;
            return new Report(household.Id, household.Status, registered, closed,
                (closed ?? WorkingDays.LocalDate(now)).DayNumber - registered.DayNumber, household.ClosureReason,
                domains, members,
                new Goals(goals.Total, goals.Achieved ?? 0, goals.Dropped ?? 0, goals.OpenGoals ?? 0),
                new Providers(providers.AtIntake, providers.NowCount, providers.NowCount - providers.AtIntake),
                new RequestCounts(requests.Sent, requests.Answered ?? 0, requests.AnsweredOnTime ?? 0, requests.Overdue ?? 0,
                    requests.Declined ?? 0, requests.Withdrawn ?? 0, requests.OpenRequests ?? 0),
                signOff is null ? null : new SignOff(signOff.SignedBy, signOff.SignedByDisplayName, signOff.SignedAt, signOff.Note));
        }
    }

    internal sealed class Handler(HouseholdAccess access, CurrentUser user, Builder builder) : IQueryHandler<Query, Report>
    {
        public async ValueTask<Report> Handle(Query query, CancellationToken ct)
        {
            // Team leads only (the endpoint's policy); HouseholdAccess keeps it to their own team and logs the read.
            if (!user.IsInRole(Roles.TeamLead)) throw ProblemException.NotFound("Dit huishouden");
            var household = await access.ReadAsync(query.HouseholdId, "report-household-outcome", ct);
            return await builder.BuildAsync(household, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/reports/household-outcomes/{householdId:guid}", async (HttpRequest request, Guid householdId, IMediator mediator,
            HouseholdLabels labels, CancellationToken ct) =>
        {
            var report = await mediator.Send(new Query(householdId), ct);
            if (!CsvOutput.IsRequested(request)) return Results.Ok(report);
            return CsvOutput.File(ReportCsv.Outcome(report, await labels.ForHouseholdAsync(householdId, ct)), $"uitkomst-{householdId}.csv");
        })
        .RequireAuthorization(Policies.TeamLead)
        .Produces<Report>(contentType: "application/json")
        .Produces(200, contentType: CsvOutput.MediaType)
        .WithName("getHouseholdOutcomeReport")
        .WithSummary("Rapport 2: uitkomsten van één huishouden (JSON, of CSV met Accept: text/csv)")
        .WithTags("Rapportages");
}
