using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Assessments;

public static class ListAssessments
{
    public sealed record Query(Guid HouseholdId) : IQuery<HouseholdAssessments>;

    internal const string MembersSql = """
        SELECT id FROM household_members WHERE household_id = @householdId ORDER BY created_at, family_name, given_name, id
        """;

    internal const string AssessmentsSql = """
        SELECT a.id, a.member_id, a.phase, a.assessed_on, a.instrument_version, a.assessor_id,
               u.display_name AS assessor_display_name, a.created_at
        FROM assessments a
        JOIN users u ON u.id = a.assessor_id
        WHERE a.household_id = @householdId
        ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC
        """;

    internal const string ScoresSql = """
        SELECT s.assessment_id, s.domain, s.score
        FROM assessment_scores s
        JOIN assessments a ON a.id = s.assessment_id
        WHERE a.household_id = @householdId
        """;

    internal sealed record AssessmentRow
    {
        public Guid Id { get; init; }
        public Guid MemberId { get; init; }
        public string Phase { get; init; } = "";
        public DateOnly AssessedOn { get; init; }
        public string InstrumentVersion { get; init; } = "";
        public Guid AssessorId { get; init; }
        public string AssessorDisplayName { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record ScoreRow
    {
        public Guid AssessmentId { get; init; }
        public string Domain { get; init; } = "";
        public int Score { get; init; }
    }

    internal sealed class Handler(DbSession db, HouseholdAccess households) : IQueryHandler<Query, HouseholdAssessments>
    {
        public async ValueTask<HouseholdAssessments> Handle(Query query, CancellationToken ct)
        {
            var household = await households.ReadAsync(query.HouseholdId, "assessment", ct);
            var householdId = household.Id;
            var members = await db.QueryAsync<Guid>(MembersSql, new { householdId }, ct);
            var scores = (await db.QueryAsync<ScoreRow>(ScoresSql, new { householdId }, ct)).ToLookup(s => s.AssessmentId);
            // A lookup keeps the query's order within each member: newest first.
            var assessments = (await db.QueryAsync<AssessmentRow>(AssessmentsSql, new { householdId }, ct))
                .Select(a => new Assessment(a.Id, a.MemberId, a.Phase, a.AssessedOn, a.InstrumentVersion,
                    new Assessor(a.AssessorId, a.AssessorDisplayName),
                    scores[a.Id].OrderBy(s => Zrm.Position(s.Domain)).ToDictionary(s => s.Domain, s => s.Score, StringComparer.Ordinal),
                    a.CreatedAt))
                .ToLookup(a => a.MemberId);
            return new HouseholdAssessments(householdId, members.Select(m => new MemberAssessments(m, assessments[m].ToList())).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/assessments", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listAssessments")
        .WithSummary("ZRM-metingen per lid van het huishouden, nieuwste eerst, met scores per domeincode")
        .WithTags("ZRM-metingen");
}
