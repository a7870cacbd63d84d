using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// Whose view of the bundle: <c>null</c> is the whole household (the team lead or admin answering an art. 15 request);
/// a member scope is one member's own right of access (the resident portal's <c>/me/export</c>).
/// </summary>
/// <param name="MemberId">The member asking.</param>
/// <param name="ShowProfessionalNames">Whether the access log names the professionals (<c>Residents:ShowNames</c>).</param>
public sealed record MemberScope(Guid MemberId, bool ShowProfessionalNames);

/// <summary>
/// The art. 15 bundle of one household (SPEC "The household's rights"): everything Frontlijn keeps about it and nothing
/// about another household. Free of HTTP, of authorization and of access logging: the callers (the staff endpoint
/// <see cref="ExportHousehold"/>, the resident portal) decide who may ask and log the export themselves.
/// <para>
/// A member who left keeps their rights: the household's bundle holds them with their departure, and a member scope
/// for a departed member holds the household's data up to the end of their departure day — what was kept about the
/// household while they were part of it, not what came after. In a member scope the ZRM assessments are the member's
/// own (another member's scores are that member's health data).
/// </para>
/// </summary>
public sealed class BuildHouseholdExport(DbSession db, TimeProvider time)
{
    internal const string HouseholdSql = """
        SELECT h.id, h.status, h.team_id, t.name AS team_name, h.neighbourhood_id, n.name AS neighbourhood_name,
               h.street, h.house_number, h.house_number_suffix, h.postal_code, h.city, h.created_at, h.closed_at,
               h.closure_reason, h.erased_at
        FROM households h
        JOIN teams t ON t.id = h.team_id
        JOIN neighbourhoods n ON n.id = h.neighbourhood_id
        WHERE h.id = @householdId
        """;

    internal const string MembersSql = """
        SELECT id, given_name, family_name, date_of_birth, role, bsn_last4, created_at, departed_on, departure_reason
        FROM household_members WHERE household_id = @householdId ORDER BY created_at, id
        """;

    internal const string CoachHistorySql = """
        SELECT a.coach_id, u.display_name AS coach_display_name, a.from_at, a.to_at, a.reason, a.end_reason
        FROM coach_assignments a JOIN users u ON u.id = a.coach_id
        WHERE a.household_id = @householdId ORDER BY a.from_at, a.id
        """;

    internal const string StatusHistorySql = """
        SELECT from_status, to_status, reason, changed_at
        FROM household_status_changes WHERE household_id = @householdId ORDER BY changed_at, id
        """;

    internal const string ConsentsSql = """
        SELECT c.id, c.organisation_id, o.name AS organisation_name, c.purpose, c.given_by_member_id, c.given_on,
               c.valid_until, c.withdrawn_on, c.created_at
        FROM consents c JOIN organisations o ON o.id = c.organisation_id
        WHERE c.household_id = @householdId ORDER BY c.created_at, c.id
        """;

    internal const string RequestsSql = """
        SELECT r.id, r.organisation_id, o.name AS organisation_name, r.service_code, r.question, r.urgency, r.legal_basis,
               r.consent_id, r.status, r.sent_at, r.due_at, r.answer, r.decline_reason_code, r.closed_at
        FROM requests r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.household_id = @householdId ORDER BY r.sent_at, r.id
        """;

    internal const string StatusChangesSql = """
        SELECT c.request_id, c.version, c.change_kind, c.from_status, c.to_status, c.note, c.reason_code, c.due_at,
               c.changed_at, u.display_name AS changed_by_display_name
        FROM request_status_changes c
        JOIN requests r ON r.id = c.request_id
        LEFT JOIN users u ON u.id = c.changed_by
        WHERE r.household_id = @householdId ORDER BY c.request_id, c.version
        """;

    internal const string MessagesSql = """
        SELECT m.id, m.request_id, u.display_name AS author_display_name, m.body, m.created_at
        FROM request_messages m
        JOIN requests r ON r.id = m.request_id
        JOIN users u ON u.id = m.author_id
        WHERE r.household_id = @householdId ORDER BY m.created_at, m.id
        """;

    internal const string InvolvementsSql = """
        SELECT i.id, i.organisation_id, o.name AS organisation_name, i.provider_name, i.professional_name,
               u.display_name AS professional_display_name, i.source, i.since, i.ended_at, i.end_reason
        FROM involvements i
        LEFT JOIN organisations o ON o.id = i.organisation_id
        LEFT JOIN users u ON u.id = i.professional_id
        WHERE i.household_id = @householdId ORDER BY i.since, i.id
        """;

    internal const string PlanSql = """
        SELECT review_on, last_reviewed_at, created_at FROM family_plans WHERE household_id = @householdId
        """;

    internal const string GoalsSql = """
        SELECT id, domain, description, status, created_at, closed_on
        FROM plan_goals WHERE household_id = @householdId ORDER BY created_at, id
        """;

    internal const string ActionsSql = """
        SELECT a.id, a.goal_id, a.description, a.owner_kind, o.name AS owner_organisation_name, a.due_on, a.done_on, a.created_at
        FROM plan_actions a LEFT JOIN organisations o ON o.id = a.owner_organisation_id
        WHERE a.household_id = @householdId ORDER BY a.created_at, a.id
        """;

    internal const string AssessmentsSql = """
        SELECT a.id, a.member_id, a.phase, a.assessed_on, a.instrument_version, u.display_name AS assessor_display_name
        FROM assessments a JOIN users u ON u.id = a.assessor_id
        WHERE a.household_id = @householdId ORDER BY a.assessed_on, a.id
        """;

    internal const string ScoresSql = """
        SELECT s.assessment_id, s.domain, s.score
        FROM assessment_scores s JOIN assessments a ON a.id = s.assessment_id
        WHERE a.household_id = @householdId ORDER BY s.assessment_id, s.domain
        """;

    internal const string SignalsSql = """
        SELECT s.id, s.created_at, s.concern, s.domains, s.street, s.house_number, s.house_number_suffix, s.postal_code,
               s.city, s.status, u.role AS sender_role, st.name AS sender_team_name, so.name AS sender_organisation_name
        FROM signals s
        JOIN users u ON u.id = s.sender_id
        LEFT JOIN teams st ON st.id = u.team_id
        LEFT JOIN organisations so ON so.id = u.organisation_id
        WHERE s.household_id = @householdId ORDER BY s.created_at, s.id
        """;

    internal const string SignalMembersSql = """
        SELECT m.signal_id, m.given_name, m.family_name, m.date_of_birth, m.role
        FROM signal_members m JOIN signals s ON s.id = m.signal_id
        WHERE s.household_id = @householdId ORDER BY m.signal_id, m.sort_order
        """;

    internal const string AccessLogSql = """
        SELECT l.occurred_at, u.display_name AS actor_display_name, u.role AS actor_role, t.name AS actor_team_name,
               o.name AS actor_organisation_name, b.display_name AS on_behalf_of_display_name, l.action, l.object_type,
               l.object_id, l.result, l.origin
        FROM access_log l
        LEFT JOIN users u ON u.id = l.actor_id
        LEFT JOIN teams t ON t.id = u.team_id
        LEFT JOIN organisations o ON o.id = u.organisation_id
        LEFT JOIN users b ON b.id = l.on_behalf_of
        WHERE l.household_id = @householdId ORDER BY l.occurred_at, l.id
        """;

    internal const string MeetingsSql = """
        SELECT id, meeting_on, kind, duration_minutes, household_present, recorded_at
        FROM meetings WHERE household_id = @householdId ORDER BY meeting_on, recorded_at, id
        """;

    // A participant is an organisation, a Frontlijn user, or a name typed by the coach.
    internal const string MeetingParticipantsSql = """
        SELECT p.meeting_id, COALESCE(u.display_name, o.name, p.name) AS name
        FROM meeting_participants p
        JOIN meetings m ON m.id = p.meeting_id
        LEFT JOIN users u ON u.id = p.user_id
        LEFT JOIN organisations o ON o.id = p.organisation_id
        WHERE m.household_id = @householdId ORDER BY p.meeting_id, p.position
        """;

    // The household's own voice in its plan (1Gezin1Plan, the resident portal) is data about it as well.
    internal const string GoalNotesSql = """
        SELECT n.id, n.goal_id, n.member_id, n.text, n.created_at
        FROM plan_goal_notes n WHERE n.household_id = @householdId ORDER BY n.created_at, n.id
        """;

    /// <summary>The bundle, or null when no such household exists; 410 when it was erased after its retention period.</summary>
    public async Task<HouseholdExport?> BuildAsync(Guid householdId, MemberScope? scope, CancellationToken ct)
    {
        var p = new { householdId };
        var household = await db.QuerySingleOrDefaultAsync<ExportRows.Household>(HouseholdSql, p, ct);
        if (household is null) return null;
        if (household.ErasedAt is not null) throw Erasure.Gone();

        var members = (await db.QueryAsync<ExportRows.Member>(MembersSql, p, ct)).ToList();
        DateTimeOffset? until = null;
        DateOnly? untilDay = null;
        if (scope is not null)
        {
            var member = members.SingleOrDefault(m => m.Id == scope.MemberId) ?? throw ProblemException.NotFound("Dit lid");
            if (member.DepartedOn is { } departed)
            {
                untilDay = departed;
                until = WorkingDays.StartOfDay(departed.AddDays(1));
            }
        }
        bool Before(DateTimeOffset at) => until is null || at < until;
        bool OnOrBefore(DateOnly day) => untilDay is null || day <= untilDay;

        var changes = (await db.QueryAsync<ExportRows.StatusChange>(StatusChangesSql, p, ct)).Where(c => Before(c.ChangedAt))
            .ToLookup(c => c.RequestId);
        var messages = (await db.QueryAsync<ExportRows.Message>(MessagesSql, p, ct)).Where(m => Before(m.CreatedAt))
            .ToLookup(m => m.RequestId);
        var requests = (await db.QueryAsync<ExportRows.Request>(RequestsSql, p, ct)).Where(r => Before(r.SentAt))
            .Select(r => new ExportRequest(r.Id, r.OrganisationId, r.OrganisationName, r.ServiceCode, r.Question, r.Urgency,
                r.LegalBasis, r.ConsentId, r.Status, r.SentAt, r.DueAt, r.Answer, r.DeclineReasonCode, r.ClosedAt,
                changes[r.Id].Select(c => new ExportStatusChange(c.Version, c.ChangeKind, c.FromStatus, c.ToStatus, c.Note,
                    c.ReasonCode, c.DueAt, c.ChangedAt, c.ChangedByDisplayName)).ToList(),
                messages[r.Id].Select(m => new ExportMessage(m.Id, m.AuthorDisplayName, m.Body, m.CreatedAt)).ToList()))
            .ToList();

        var plan = await db.QuerySingleOrDefaultAsync<ExportRows.Plan>(PlanSql, p, ct);
        var actions = (await db.QueryAsync<ExportRows.PlanAction>(ActionsSql, p, ct)).Where(a => Before(a.CreatedAt)).ToLookup(a => a.GoalId);
        var goals = (await db.QueryAsync<ExportRows.Goal>(GoalsSql, p, ct)).Where(g => Before(g.CreatedAt))
            .Select(g => new ExportGoal(g.Id, g.Domain, g.Description, g.Status, g.CreatedAt, g.ClosedOn,
                actions[g.Id].Select(a => new ExportPlanAction(a.Id, a.Description, a.OwnerKind, a.OwnerOrganisationName, a.DueOn, a.DoneOn)).ToList()))
            .ToList();

        var scores = (await db.QueryAsync<ExportRows.ScoreRow>(ScoresSql, p, ct)).ToLookup(s => s.AssessmentId);
        var assessments = (await db.QueryAsync<ExportRows.Assessment>(AssessmentsSql, p, ct))
            .Where(a => OnOrBefore(a.AssessedOn) && (scope is null || a.MemberId == scope.MemberId))
            .Select(a => new ExportAssessment(a.Id, a.MemberId, a.Phase, a.AssessedOn, a.InstrumentVersion, a.AssessorDisplayName,
                scores[a.Id].Select(s => new ExportScore(s.Domain, s.Score)).ToList()))
            .ToList();

        var signalMembers = (await db.QueryAsync<ExportRows.SignalMember>(SignalMembersSql, p, ct)).ToLookup(m => m.SignalId);
        var signals = (await db.QueryAsync<ExportRows.Signal>(SignalsSql, p, ct)).Where(s => Before(s.CreatedAt))
            .Select(s => new ExportSignal(s.Id, s.CreatedAt, s.Concern,
                s.Domains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                new Address(s.Street, s.HouseNumber, s.HouseNumberSuffix.Length == 0 ? null : s.HouseNumberSuffix, s.PostalCode, s.City),
                s.Status, s.SenderRole, s.SenderTeamName ?? s.SenderOrganisationName,
                signalMembers[s.Id].Select(m => new ExportSignalMember(m.GivenName, m.FamilyName, m.DateOfBirth, m.Role)).ToList()))
            .ToList();

        var participants = (await db.QueryAsync<ExportRows.MeetingParticipant>(MeetingParticipantsSql, p, ct)).ToLookup(m => m.MeetingId);
        var meetings = (await db.QueryAsync<ExportRows.Meeting>(MeetingsSql, p, ct)).Where(m => OnOrBefore(m.MeetingOn))
            .Select(m => new ExportMeeting(m.Id, m.MeetingOn, m.Kind, m.DurationMinutes, m.HouseholdPresent != 0,
                participants[m.Id].Select(x => x.Name ?? "").ToList()))
            .ToList();
        var notes = (await db.QueryAsync<ExportRows.GoalNote>(GoalNotesSql, p, ct)).Where(n => Before(n.CreatedAt))
            .Select(n => new ExportGoalNote(n.Id, n.GoalId, n.MemberId, n.Text, n.CreatedAt)).ToList();

        var showNames = scope is null || scope.ShowProfessionalNames;
        var accessLog = (await db.QueryAsync<ExportRows.AccessLogRow>(AccessLogSql, p, ct)).Where(l => Before(l.OccurredAt))
            .Select(l => new ExportAccessLogEntry(l.OccurredAt, showNames ? l.ActorDisplayName : null, l.ActorRole,
                l.ActorTeamName ?? l.ActorOrganisationName, showNames ? l.OnBehalfOfDisplayName : null, l.Action, l.ObjectType,
                l.ObjectId, l.Result, showNames ? l.Origin : null))
            .ToList();

        return new HouseholdExport(
            time.GetUtcNow(),
            scope is null ? null : new ExportScope(scope.MemberId, untilDay),
            new ExportHouseholdInfo(household.Id, household.Status, household.TeamId, household.TeamName, household.NeighbourhoodId,
                household.NeighbourhoodName, household.CreatedAt, household.ClosedAt, household.ClosureReason),
            members.Where(m => Before(m.CreatedAt)).Select(m => new ExportMember(m.Id, m.GivenName, m.FamilyName, m.DateOfBirth, m.Role,
                Bsn.Mask(m.BsnLast4), m.DepartedOn, m.DepartureReason)).ToList(),
            // Frontlijn keeps the current address only; a move is in the access log (update household).
            [new ExportAddress(household.Street, household.HouseNumber,
                household.HouseNumberSuffix.Length == 0 ? null : household.HouseNumberSuffix, household.PostalCode, household.City, true)],
            (await db.QueryAsync<ExportRows.Assignment>(CoachHistorySql, p, ct)).Where(a => Before(a.FromAt))
                .Select(a => new ExportCoachAssignment(a.CoachId, a.CoachDisplayName, a.FromAt, a.ToAt, a.Reason, a.EndReason)).ToList(),
            (await db.QueryAsync<ExportRows.HouseholdStatusChange>(StatusHistorySql, p, ct)).Where(s => Before(s.ChangedAt))
                .Select(s => new ExportHouseholdStatusChange(s.FromStatus, s.ToStatus, s.Reason, s.ChangedAt)).ToList(),
            (await db.QueryAsync<ExportRows.Consent>(ConsentsSql, p, ct)).Where(c => Before(c.CreatedAt))
                .Select(c => new ExportConsent(c.Id, c.OrganisationId, c.OrganisationName, c.Purpose, c.GivenByMemberId, c.GivenOn,
                    c.ValidUntil, c.WithdrawnOn)).ToList(),
            requests,
            (await db.QueryAsync<ExportRows.Involvement>(InvolvementsSql, p, ct)).Where(i => OnOrBefore(WorkingDays.LocalDate(i.Since)))
                .Select(i => new ExportInvolvement(i.Id, i.OrganisationId, i.OrganisationName ?? i.ProviderName,
                    i.ProfessionalDisplayName ?? i.ProfessionalName, i.Source, i.Since, i.EndedAt, i.EndReason)).ToList(),
            plan is null ? null : new ExportPlan(plan.ReviewOn, plan.LastReviewedAt, goals),
            assessments,
            meetings,
            notes,
            signals,
            accessLog);
    }
}

/// <summary>The art. 15 bundle (JSON, camelCase). Every list is oldest first.</summary>
public sealed record HouseholdExport(
    DateTimeOffset ExportedAt, ExportScope? Scope, ExportHouseholdInfo Household, IReadOnlyList<ExportMember> Members,
    IReadOnlyList<ExportAddress> Addresses, IReadOnlyList<ExportCoachAssignment> CoachHistory,
    IReadOnlyList<ExportHouseholdStatusChange> StatusHistory, IReadOnlyList<ExportConsent> Consents,
    IReadOnlyList<ExportRequest> Requests, IReadOnlyList<ExportInvolvement> Involvements, ExportPlan? Plan,
    IReadOnlyList<ExportAssessment> Assessments, IReadOnlyList<ExportMeeting> Meetings, IReadOnlyList<ExportGoalNote> GoalNotes,
    IReadOnlyList<ExportSignal> Signals,
    IReadOnlyList<ExportAccessLogEntry> AccessLog);

/// <summary>A member's own export: whose, and up to which day (their departure) when they left.</summary>
public sealed record ExportScope(Guid MemberId, DateOnly? Until);

public sealed record ExportHouseholdInfo(
    Guid Id, string Status, Guid TeamId, string TeamName, Guid NeighbourhoodId, string NeighbourhoodName,
    DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, string? ClosureReason);

public sealed record ExportMember(
    Guid Id, string? GivenName, string FamilyName, DateOnly? DateOfBirth, string Role, string? Bsn, DateOnly? DepartedOn,
    string? DepartureReason);

public sealed record ExportAddress(string Street, int HouseNumber, string? HouseNumberSuffix, string PostalCode, string City, bool Current);

public sealed record ExportCoachAssignment(
    Guid CoachId, string CoachDisplayName, DateTimeOffset From, DateTimeOffset? To, string Reason, string? EndReason);

public sealed record ExportHouseholdStatusChange(string FromStatus, string ToStatus, string Reason, DateTimeOffset ChangedAt);

public sealed record ExportConsent(
    Guid Id, Guid OrganisationId, string OrganisationName, string Purpose, Guid GivenByMemberId, DateOnly GivenOn,
    DateOnly ValidUntil, DateOnly? WithdrawnOn);

public sealed record ExportRequest(
    Guid Id, Guid OrganisationId, string OrganisationName, string ServiceCode, string Question, string Urgency,
    string? LegalBasis, Guid? ConsentId, string Status, DateTimeOffset SentAt, DateTimeOffset DueAt, string? Answer,
    string? DeclineReasonCode, DateTimeOffset? ClosedAt, IReadOnlyList<ExportStatusChange> StatusChanges,
    IReadOnlyList<ExportMessage> Messages);

public sealed record ExportStatusChange(
    int Version, string ChangeKind, string? FromStatus, string ToStatus, string? Note, string? ReasonCode, DateTimeOffset DueAt,
    DateTimeOffset ChangedAt, string? ChangedBy);

public sealed record ExportMessage(Guid Id, string Author, string Body, DateTimeOffset CreatedAt);

public sealed record ExportInvolvement(
    Guid Id, Guid? OrganisationId, string? Provider, string? Professional, string Source, DateTimeOffset Since,
    DateTimeOffset? EndedAt, string? EndReason);

public sealed record ExportPlan(DateOnly ReviewOn, DateTimeOffset? LastReviewedAt, IReadOnlyList<ExportGoal> Goals);

public sealed record ExportGoal(
    Guid Id, string Domain, string Description, string Status, DateTimeOffset CreatedAt, DateOnly? ClosedOn,
    IReadOnlyList<ExportPlanAction> Actions);

public sealed record ExportPlanAction(Guid Id, string Description, string OwnerKind, string? OwnerOrganisation, DateOnly DueOn, DateOnly? DoneOn);

public sealed record ExportAssessment(
    Guid Id, Guid MemberId, string Phase, DateOnly AssessedOn, string InstrumentVersion, string Assessor,
    IReadOnlyList<ExportScore> Scores);

public sealed record ExportScore(string Domain, int Score);

/// <summary>A meeting about the household (SPEC "Outside the building"), with who took part.</summary>
public sealed record ExportMeeting(Guid Id, DateOnly Date, string Kind, int DurationMinutes, bool HouseholdPresent,
    IReadOnlyList<string> Participants);

/// <summary>A note the household wrote on a goal of its plan through the resident portal.</summary>
public sealed record ExportGoalNote(Guid Id, Guid GoalId, Guid MemberId, string Text, DateTimeOffset CreatedAt);

public sealed record ExportSignal(
    Guid Id, DateTimeOffset CreatedAt, string Concern, IReadOnlyList<string> Domains, Address Address, string Status,
    string SenderRole, string? SenderTeamOrOrganisation, IReadOnlyList<ExportSignalMember> Members);

public sealed record ExportSignalMember(string? GivenName, string FamilyName, DateOnly? DateOfBirth, string? Role);

/// <summary>One access-log row: who (name only where shown), in which role and team or organisation, did what, when.</summary>
public sealed record ExportAccessLogEntry(
    DateTimeOffset OccurredAt, string? Actor, string? ActorRole, string? ActorTeamOrOrganisation, string? OnBehalfOf,
    string Action, string ObjectType, Guid? ObjectId, string Result, string? Origin);

/// <summary>Dapper row types of <see cref="BuildHouseholdExport"/>.</summary>
internal static class ExportRows
{
    internal sealed record Household
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public Guid TeamId { get; init; }
        public string TeamName { get; init; } = "";
        public Guid NeighbourhoodId { get; init; }
        public string NeighbourhoodName { get; init; } = "";
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public string? ClosureReason { get; init; }
        public DateTimeOffset? ErasedAt { get; init; }
    }

    internal sealed record Member
    {
        public Guid Id { get; init; }
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public string Role { get; init; } = "";
        public string? BsnLast4 { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateOnly? DepartedOn { get; init; }
        public string? DepartureReason { get; init; }
    }

    internal sealed record Assignment
    {
        public Guid CoachId { get; init; }
        public string CoachDisplayName { get; init; } = "";
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset? ToAt { get; init; }
        public string Reason { get; init; } = "";
        public string? EndReason { get; init; }
    }

    internal sealed record HouseholdStatusChange
    {
        public string FromStatus { get; init; } = "";
        public string ToStatus { get; init; } = "";
        public string Reason { get; init; } = "";
        public DateTimeOffset ChangedAt { get; init; }
    }

    internal sealed record Consent
    {
        public Guid Id { get; init; }
        public Guid OrganisationId { get; init; }
        public string OrganisationName { get; init; } = "";
        public string Purpose { get; init; } = "";
        public Guid GivenByMemberId { get; init; }
        public DateOnly GivenOn { get; init; }
        public DateOnly ValidUntil { get; init; }
        public DateOnly? WithdrawnOn { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record Request
    {
        public Guid Id { get; init; }
        public Guid OrganisationId { get; init; }
        public string OrganisationName { get; init; } = "";
        public string ServiceCode { get; init; } = "";
        public string Question { get; init; } = "";
        public string Urgency { get; init; } = "";
        public string? LegalBasis { get; init; }
        public Guid? ConsentId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset SentAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public string? Answer { get; init; }
        public string? DeclineReasonCode { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
    }

    internal sealed record StatusChange
    {
        public Guid RequestId { get; init; }
        public int Version { get; init; }
        public string ChangeKind { get; init; } = "";
        public string? FromStatus { get; init; }
        public string ToStatus { get; init; } = "";
        public string? Note { get; init; }
        public string? ReasonCode { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
        public string? ChangedByDisplayName { get; init; }
    }

    internal sealed record Message
    {
        public Guid Id { get; init; }
        public Guid RequestId { get; init; }
        public string AuthorDisplayName { get; init; } = "";
        public string Body { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record Involvement
    {
        public Guid Id { get; init; }
        public Guid? OrganisationId { get; init; }
        public string? OrganisationName { get; init; }
        public string? ProviderName { get; init; }
        public string? ProfessionalName { get; init; }
        public string? ProfessionalDisplayName { get; init; }
        public string Source { get; init; } = "";
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string? EndReason { get; init; }
    }

    internal sealed record Plan
    {
        public DateOnly ReviewOn { get; init; }
        public DateTimeOffset? LastReviewedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record Goal
    {
        public Guid Id { get; init; }
        public string Domain { get; init; } = "";
        public string Description { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateOnly? ClosedOn { get; init; }
    }

    internal sealed record PlanAction
    {
        public Guid Id { get; init; }
        public Guid GoalId { get; init; }
        public string Description { get; init; } = "";
        public string OwnerKind { get; init; } = "";
        public string? OwnerOrganisationName { get; init; }
        public DateOnly DueOn { get; init; }
        public DateOnly? DoneOn { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record Assessment
    {
        public Guid Id { get; init; }
        public Guid MemberId { get; init; }
        public string Phase { get; init; } = "";
        public DateOnly AssessedOn { get; init; }
        public string InstrumentVersion { get; init; } = "";
        public string AssessorDisplayName { get; init; } = "";
    }

    internal sealed record ScoreRow
    {
        public Guid AssessmentId { get; init; }
        public string Domain { get; init; } = "";
        public int Score { get; init; }
    }

    internal sealed record Signal
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string Concern { get; init; } = "";
        public string Domains { get; init; } = "";
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Status { get; init; } = "";
        public string SenderRole { get; init; } = "";
        public string? SenderTeamName { get; init; }
        public string? SenderOrganisationName { get; init; }
    }

    internal sealed record Meeting
    {
        public Guid Id { get; init; }
        public DateOnly MeetingOn { get; init; }
        public string Kind { get; init; } = "";
        public int DurationMinutes { get; init; }
        public int HouseholdPresent { get; init; } // 0/1 on every dialect
        public DateTimeOffset RecordedAt { get; init; }
    }

    internal sealed record MeetingParticipant
    {
        public Guid MeetingId { get; init; }
        public string? Name { get; init; }
    }

    internal sealed record GoalNote
    {
        public Guid Id { get; init; }
        public Guid GoalId { get; init; }
        public Guid MemberId { get; init; }
        public string Text { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record SignalMember
    {
        public Guid SignalId { get; init; }
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public string? Role { get; init; }
    }

    internal sealed record AccessLogRow
    {
        public DateTimeOffset OccurredAt { get; init; }
        public string? ActorDisplayName { get; init; }
        public string? ActorRole { get; init; }
        public string? ActorTeamName { get; init; }
        public string? ActorOrganisationName { get; init; }
        public string? OnBehalfOfDisplayName { get; init; }
        public string Action { get; init; } = "";
        public string ObjectType { get; init; } = "";
        public Guid? ObjectId { get; init; }
        public string Result { get; init; } = "";
        public string Origin { get; init; } = "";
    }
}
