using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Requests;

/// <summary>sent → acknowledged → answered | declined; sent|acknowledged → withdrawn; suspended (clock stops) and back.</summary>
public static class RequestStatus
{
    public const string Sent = "sent";
    public const string Acknowledged = "acknowledged";
    public const string Suspended = "suspended";
    public const string Answered = "answered";
    public const string Declined = "declined";
    public const string Withdrawn = "withdrawn";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Sent, Acknowledged, Suspended, Answered, Declined, Withdrawn,
    };

    /// <summary>Open and running: the due date counts (a suspended request's clock has stopped).</summary>
    public static bool IsRunning(string status) => status is Sent or Acknowledged;
}

/// <summary>Notification and CloudEvents types of requests (SPEC: "Types (also the CloudEvents type)").</summary>
public static class RequestEventTypes
{
    public const string Sent = "nl.frontlijn.request.sent";
    public const string Acknowledged = "nl.frontlijn.request.acknowledged";
    public const string Answered = "nl.frontlijn.request.answered";
    public const string Declined = "nl.frontlijn.request.declined";
    public const string Withdrawn = "nl.frontlijn.request.withdrawn";
    public const string MessagePosted = "nl.frontlijn.request.message-posted";
    public const string Overdue = "nl.frontlijn.request.overdue";
    public const string Escalated = "nl.frontlijn.request.escalated";

    // Not named in the SPEC's list, but the coach must hear when the clock stops, restarts or gets a new due date.
    public const string Suspended = "nl.frontlijn.request.suspended";
    public const string Resumed = "nl.frontlijn.request.resumed";
    public const string Extended = "nl.frontlijn.request.extended";
    public const string Reminder = "nl.frontlijn.request.reminder";

    public static string Of(string change) => "nl.frontlijn.request." + change;
}

/// <summary>A request as the API shows it. Times are in Amsterdam time with their offset, like the due date.</summary>
public sealed record RequestDetail(
    Guid Id, Guid HouseholdId, Guid OrganisationId, string OrganisationName, string ServiceCode, string ServiceName,
    string Question, string Urgency, string? LegalBasis, Guid? ConsentId, string Status, int Version,
    DateTimeOffset SentAt, DateTimeOffset DueAt, bool Overdue, int EscalationLevel, DateTimeOffset? SuspendedAt,
    string? Answer, string? DeclineReasonCode, DateTimeOffset? ClosedAt, Guid SentBy,
    RequestHousehold? Household = null, Households.CoachRef? Coach = null, Households.CoachRef? Assignee = null);

/// <summary>
/// Who a request is about, as far as the addressee may know (SPEC: "only the household data those requests carry"):
/// the family name of the head (else of a current member) and the address, never members, dates of birth or BSN.
/// </summary>
public sealed record RequestHousehold(string? FamilyName, Households.Address Address);

/// <summary>The request row with what the need-to-know checks need: the household's team and current coach.</summary>
internal sealed record RequestRow
{
    public Guid Id { get; init; }
    public Guid HouseholdId { get; init; }
    public Guid OrganisationId { get; init; }
    public string OrganisationName { get; init; } = "";
    public string ServiceCode { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public string Question { get; init; } = "";
    public string Urgency { get; init; } = "";
    public string? LegalBasis { get; init; }
    public Guid? ConsentId { get; init; }
    public Guid SentBy { get; init; }
    public string Status { get; init; } = "";
    public string? StatusBeforeSuspension { get; init; }
    public int Version { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? SuspendedAt { get; init; }
    public string? Answer { get; init; }
    public string? DeclineReasonCode { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? RemindedAt { get; init; }
    public DateTimeOffset? OverdueAt { get; init; }
    public int EscalationLevel { get; init; }
    public Guid TeamId { get; init; }
    public Guid? CoachId { get; init; }
    public string? CoachDisplayName { get; init; }
    public string Street { get; init; } = "";
    public int HouseNumber { get; init; }
    public string HouseNumberSuffix { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string City { get; init; } = "";
    public string? FamilyName { get; init; }
    public Guid? AssigneeId { get; init; }
    public string? AssigneeDisplayName { get; init; }

    /// <summary>Who hears what the back office did: the household's coach now, or the sender if it has none.</summary>
    public Guid CoachConcerned => CoachId ?? SentBy;

    public RequestDetail ToDetail(DateTimeOffset now) => new(
        Id, HouseholdId, OrganisationId, OrganisationName, ServiceCode, ServiceName, Question, Urgency, LegalBasis, ConsentId,
        Status, Version, WorkingDays.InAmsterdam(SentAt), WorkingDays.InAmsterdam(DueAt),
        RequestStatus.IsRunning(Status) && now > DueAt, EscalationLevel,
        SuspendedAt is { } s ? WorkingDays.InAmsterdam(s) : null, Answer, DeclineReasonCode,
        ClosedAt is { } c ? WorkingDays.InAmsterdam(c) : null, SentBy,
        // A row built in memory (SendRequest) did not read the household: no address rather than an empty one.
        Street.Length == 0 ? null : new RequestHousehold(FamilyName, new Households.Address(Street, HouseNumber,
            string.IsNullOrEmpty(HouseNumberSuffix) ? null : HouseNumberSuffix, PostalCode, City)),
        CoachId is { } coach && CoachDisplayName is { } coachName ? new Households.CoachRef(coach, coachName) : null,
        AssigneeId is { } assignee && AssigneeDisplayName is { } assigneeName ? new Households.CoachRef(assignee, assigneeName) : null);

    /// <summary>Only ids, status and dates: what a webhook may carry (no names, BSN or free text).</summary>
    public object EventData(string status, int version, DateTimeOffset dueAt) => new
    {
        requestId = Id, organisationId = OrganisationId, serviceCode = ServiceCode, urgency = Urgency, status, version,
        dueAt = WorkingDays.InAmsterdam(dueAt),
    };
}

/// <summary>
/// Need-to-know for requests: the back office of the addressed organisation, and the coaches and team leads of the
/// household's team. Everyone else gets 404. Reads are written to the access log (a request carries household data).
/// </summary>
public sealed class RequestAccess(DbSession db, CurrentUser user, AccessLogWriter log)
{
    internal const string Select = """
        SELECT r.id, r.household_id, r.organisation_id, o.name AS organisation_name, r.service_code,
               s.name AS service_name, r.question, r.urgency, r.legal_basis, r.consent_id, r.sent_by, r.status,
               r.status_before_suspension, r.version, r.sent_at, r.due_at, r.suspended_at, r.answer,
               r.decline_reason_code, r.closed_at, r.reminded_at, r.overdue_at, r.escalation_level,
               h.team_id, a.coach_id, cu.display_name AS coach_display_name,
               h.street, h.house_number, h.house_number_suffix, h.postal_code, h.city,
               COALESCE(
                   (SELECT MIN(m.family_name) FROM household_members m
                    WHERE m.household_id = h.id AND m.role = 'head' AND m.departed_on IS NULL),
                   (SELECT MIN(m.family_name) FROM household_members m
                    WHERE m.household_id = h.id AND m.departed_on IS NULL)) AS family_name,
               r.assignee_id, au.display_name AS assignee_display_name
        FROM requests r
        JOIN households h ON h.id = r.household_id
        JOIN organisations o ON o.id = r.organisation_id
        JOIN organisation_services s ON s.organisation_id = r.organisation_id AND s.code = r.service_code
        LEFT JOIN coach_assignments a ON a.household_id = r.household_id AND a.to_at IS NULL
        LEFT JOIN users cu ON cu.id = a.coach_id
        LEFT JOIN users au ON au.id = r.assignee_id
        """;

    internal const string FindSql = Select + "\nWHERE r.id = @id";

    internal bool MaySee(RequestRow row) =>
        (user.IsInRole(Roles.BackOffice) && user.OrganisationId == row.OrganisationId) ||
        ((user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId == row.TeamId);

    internal bool IsAddressee(RequestRow row) => user.IsInRole(Roles.BackOffice) && user.OrganisationId == row.OrganisationId;

    /// <summary>The request if the caller may see it, else 404 (logged as refused). Logs the read when asked to.</summary>
    internal async Task<RequestRow> FindAsync(Guid id, string? readAs, CancellationToken ct)
    {
        var row = await db.QuerySingleOrDefaultAsync<RequestRow>(FindSql, new { id }, ct)
                  ?? throw ProblemException.NotFound("Dit verzoek");
        if (!MaySee(row))
        {
            await log.WriteAsync("read", "request", id, row.HouseholdId, ct, AccessLogWriter.Denied);
            throw ProblemException.NotFound("Dit verzoek");
        }
        if (readAs is not null)
        {
            await log.WriteAsync("read", readAs, id, row.HouseholdId, ct);
        }
        // In a command: should it refuse this caller the change (403, e.g. a step that is not their role's), that
        // refusal is logged after the rollback.
        await log.PrepareRefusalAsync("update", "request", id, row.HouseholdId, ct);
        return row;
    }
}

/// <summary>Who is told about a request: the addressed organisation's back office, its escalation contact, team leads.</summary>
internal static class RequestRecipients
{
    internal const string BackOfficeSql = """
        SELECT id FROM users WHERE organisation_id = @organisationId AND role = 'back-office'
        """;

    internal const string EscalationContactSql = """
        SELECT user_id FROM organisation_escalation_contacts WHERE organisation_id = @organisationId
        """;

    internal const string TeamLeadsSql = "SELECT id FROM users WHERE team_id = @teamId AND role = 'team-lead'";

    public static async Task<IReadOnlyList<Guid>> BackOfficeAsync(DbSession db, Guid organisationId, CancellationToken ct) =>
        (await db.QueryAsync<Guid>(BackOfficeSql, new { organisationId }, ct)).ToList();

    /// <summary>The organisation's escalation contact; its whole back office when it has not named one.</summary>
    public static async Task<IReadOnlyList<Guid>> EscalationContactAsync(DbSession db, Guid organisationId, CancellationToken ct) =>
        await db.ExecuteScalarAsync<Guid?>(EscalationContactSql, new { organisationId }, ct) is { } contact
            ? [contact]
            : await BackOfficeAsync(db, organisationId, ct);

    public static async Task<IReadOnlyList<Guid>> TeamLeadsAsync(DbSession db, Guid teamId, CancellationToken ct) =>
        (await db.QueryAsync<Guid>(TeamLeadsSql, new { teamId }, ct)).ToList();
}
