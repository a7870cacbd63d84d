using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// <c>GET /api/v1/me/household</c> (SPEC "The household's rights"): what a resident sees of their own household — the
/// one contact and how to reach them, the family plan (with the household's own notes and agreement), the organisations
/// involved, the open requests (organisation, service, status, due date) and the consents. Never why an organisation
/// is involved, never a request's question or answer (that is the professionals' exchange; art. 15 gives it in the
/// export), never a BSN. Logged as the resident's read.
/// </summary>
public static class GetMyHousehold
{
    public sealed record Query : IQuery<MyHousehold>;

    /// <param name="Contact">The coach; null while the household waits for one (then the team is the contact).</param>
    public sealed record MyHousehold(
        Guid HouseholdId, string Status, string TeamName, MyContact? Contact, MyPlan Plan,
        IReadOnlyList<MyOrganisation> Organisations, IReadOnlyList<MyRequest> OpenRequests, IReadOnlyList<MyConsent> Consents);

    /// <param name="Phone">The coach's work phone, else <c>Residents:ContactPhone</c> (the team's number), else null.</param>
    public sealed record MyContact(string Name, string TeamName, string? Phone, string? Email);

    /// <param name="Agreement">Whether the signed-in resident agrees with the plan; null until they say.</param>
    public sealed record MyPlan(DateOnly? ReviewOn, IReadOnlyList<MyGoal> Goals, PlanAgreement? Agreement);

    public sealed record MyGoal(Guid Id, string Domain, string Description, string Status, IReadOnlyList<MyAction> Actions,
        IReadOnlyList<GoalNote> Notes);

    /// <param name="Owner">coach or organisation; <paramref name="OrganisationName"/> for the latter.</param>
    public sealed record MyAction(string Description, string Owner, string? OrganisationName, DateOnly DueOn, DateOnly? DoneOn);

    public sealed record MyOrganisation(string Name, DateOnly Since);

    /// <param name="Status">sent, acknowledged or suspended (the open statuses).</param>
    public sealed record MyRequest(Guid Id, string OrganisationName, string ServiceName, string Status, DateTimeOffset DueAt);

    /// <param name="Mine">Whether the signed-in resident gave it (only they may withdraw it).</param>
    public sealed record MyConsent(Guid Id, string OrganisationName, string Purpose, string PurposeName, string GivenBy,
        DateOnly GivenOn, DateOnly ValidUntil, DateOnly? WithdrawnOn, bool Valid, bool Mine);

    internal const string HouseholdSql = """
        SELECT h.status, t.name AS team_name, u.display_name AS coach_name, u.work_phone, u.work_email
        FROM households h
        JOIN teams t ON t.id = h.team_id
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        WHERE h.id = @householdId
        """;

    // Involved now: running involvements, by organisation name (or the provider outside Frontlijn); never the reason.
    internal const string OrganisationsSql = """
        SELECT COALESCE(o.name, i.provider_name) AS name, MIN(i.since) AS since
        FROM involvements i
        LEFT JOIN organisations o ON o.id = i.organisation_id
        WHERE i.household_id = @householdId AND i.ended_at IS NULL AND COALESCE(o.name, i.provider_name) IS NOT NULL
        GROUP BY COALESCE(o.name, i.provider_name)
        ORDER BY MIN(i.since)
        """;

    internal const string OpenRequestsSql = """
        SELECT r.id, o.name AS organisation_name, COALESCE(s.name, r.service_code) AS service_name, r.status, r.due_at
        FROM requests r
        JOIN organisations o ON o.id = r.organisation_id
        LEFT JOIN organisation_services s ON s.organisation_id = r.organisation_id AND s.code = r.service_code
        WHERE r.household_id = @householdId AND r.status IN ('sent', 'acknowledged', 'suspended')
        ORDER BY r.due_at, r.id
        """;

    internal const string ConsentsSql = """
        SELECT c.id, o.name AS organisation_name, c.purpose, COALESCE(s.name, c.purpose) AS purpose_name,
               m.given_name, m.family_name, c.given_by_member_id, c.given_on, c.valid_until, c.withdrawn_on
        FROM consents c
        JOIN organisations o ON o.id = c.organisation_id
        JOIN household_members m ON m.id = c.given_by_member_id
        LEFT JOIN organisation_services s ON s.organisation_id = c.organisation_id AND s.code = c.purpose
        WHERE c.household_id = @householdId
        ORDER BY c.given_on DESC, c.id
        """;

    internal const string NotesSql = """
        SELECT n.id, n.goal_id, n.text, m.given_name, m.family_name, n.created_at
        FROM plan_goal_notes n
        JOIN household_members m ON m.id = n.member_id
        WHERE n.household_id = @householdId
        ORDER BY n.created_at, n.id
        """;

    internal const string AgreementSql = """
        SELECT agrees, recorded_at FROM plan_agreements WHERE household_id = @householdId AND member_id = @memberId
        """;

    internal sealed record HouseholdRow
    {
        public string Status { get; init; } = "";
        public string TeamName { get; init; } = "";
        public string? CoachName { get; init; }
        public string? WorkPhone { get; init; }
        public string? WorkEmail { get; init; }
    }

    internal sealed record NameRow
    {
        public string Name { get; init; } = "";
        public DateTimeOffset Since { get; init; }
    }

    internal sealed record RequestRow
    {
        public Guid Id { get; init; }
        public string OrganisationName { get; init; } = "";
        public string ServiceName { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
    }

    internal sealed record ConsentRow
    {
        public Guid Id { get; init; }
        public string OrganisationName { get; init; } = "";
        public string Purpose { get; init; } = "";
        public string PurposeName { get; init; } = "";
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public Guid GivenByMemberId { get; init; }
        public DateOnly GivenOn { get; init; }
        public DateOnly ValidUntil { get; init; }
        public DateOnly? WithdrawnOn { get; init; }
    }

    internal sealed record NoteRow
    {
        public Guid Id { get; init; }
        public Guid GoalId { get; init; }
        public string Text { get; init; } = "";
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record AgreementRow
    {
        public bool Agrees { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
    }

    internal static string Name(string? given, string family) => string.IsNullOrWhiteSpace(given) ? family : $"{given} {family}";

    internal sealed class Handler(DbSession db, ResidentScope resident, ResidentSettings settings, AccessLogWriter log, TimeProvider time)
        : IQueryHandler<Query, MyHousehold>
    {
        public async ValueTask<MyHousehold> Handle(Query query, CancellationToken ct)
        {
            var householdId = resident.HouseholdId;
            var memberId = resident.MemberId;
            var household = await db.QuerySingleOrDefaultAsync<HouseholdRow>(HouseholdSql, new { householdId }, ct)
                            ?? throw ProblemException.NotFound("Uw huishouden");
            var plan = await PlanReader.PlanAsync(db, householdId, ct);
            var notes = (await db.QueryAsync<NoteRow>(NotesSql, new { householdId }, ct))
                .Select(n => new GoalNote(n.Id, n.GoalId, n.Text, Name(n.GivenName, n.FamilyName), n.CreatedAt))
                .ToLookup(n => n.GoalId);
            var agreement = await db.QuerySingleOrDefaultAsync<AgreementRow>(AgreementSql, new { householdId, memberId }, ct);
            var organisations = (await db.QueryAsync<NameRow>(OrganisationsSql, new { householdId }, ct))
                .Select(o => new MyOrganisation(o.Name, WorkingDays.LocalDate(o.Since))).ToList();
            var requests = (await db.QueryAsync<RequestRow>(OpenRequestsSql, new { householdId }, ct))
                .Select(r => new MyRequest(r.Id, r.OrganisationName, r.ServiceName, r.Status, WorkingDays.InAmsterdam(r.DueAt))).ToList();
            var today = WorkingDays.LocalDate(time.GetUtcNow());
            var consents = (await db.QueryAsync<ConsentRow>(ConsentsSql, new { householdId }, ct))
                .Select(c => new MyConsent(c.Id, c.OrganisationName, c.Purpose, c.PurposeName, Name(c.GivenName, c.FamilyName),
                    c.GivenOn, c.ValidUntil, c.WithdrawnOn, c.WithdrawnOn is null && c.GivenOn <= today && c.ValidUntil >= today,
                    c.GivenByMemberId == memberId))
                .ToList();
            var contact = household.CoachName is { } coach
                ? new MyContact(coach, household.TeamName, household.WorkPhone ?? settings.ContactPhone, household.WorkEmail)
                : null;
            var goals = plan.Goals.Select(g => new MyGoal(g.Id, g.Domain, g.Description, g.Status,
                g.Actions.Select(a => new MyAction(a.Description, a.Owner.Kind, a.Owner.OrganisationName, a.DueOn, a.DoneOn)).ToList(),
                notes[g.Id].ToList())).ToList();
            await log.WriteAsync("read", "household", householdId, householdId, ct);
            return new MyHousehold(householdId, household.Status, household.TeamName, contact,
                new MyPlan(plan.ReviewOn, goals, agreement is null ? null : new PlanAgreement(agreement.Agrees, agreement.RecordedAt)),
                organisations, requests, consents);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/me/household", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new Query(), ct)))
        .RequireAuthorization(Policies.Resident)
        .WithName("getMyHousehold")
        .WithSummary("Mijn huishouden (bewoner): contactpersoon, gezinsplan, organisaties, open verzoeken, toestemmingen")
        .WithTags(ResidentsEndpoints.Tag);
}
