using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>
/// The life cycle of a request, as in ZGW: the addressed back office acknowledges, answers or declines (with a reason
/// code), suspends (the clock stops, reason required), resumes (the suspended working days are added back) or
/// extends (a later due date, reason required); the coach withdraws. Every change carries the version the client
/// saw; the UPDATE only applies to that version, so of two simultaneous changes one wins and the other gets 409.
/// </summary>
public static class ChangeRequestStatus
{
    public sealed record Body(
        string? Status, string? Note, string? ReasonCode, string? Answer, DateTimeOffset? NewDueAt, int? ExpectedVersion);

    public sealed record Command(
        Guid RequestId, string? Status, string? Note, string? ReasonCode, string? Answer, DateTimeOffset? NewDueAt,
        int? ExpectedVersion) : ICommand<StatusChange>;

    public const int MaxAnswerLength = 10000;

    /// <summary>An extension is measured in weeks; a bound also keeps absurd dates out of the time-zone arithmetic.</summary>
    public static readonly TimeSpan MaxExtension = TimeSpan.FromDays(366);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.Status).NotEmpty().Must(s => s is null || Lifecycle.Changes.ContainsKey(s))
                .WithMessage("Kies wat u met het verzoek doet (status: acknowledged, answered, declined, withdrawn, suspended, resumed of extended).");
            RuleFor(c => c.ExpectedVersion).NotNull().GreaterThanOrEqualTo(1)
                .WithMessage("Vermeld de versie van het verzoek die u het laatst zag (1 of hoger).");
            RuleFor(c => c.Note).MaximumLength(4000);
            RuleFor(c => c.ReasonCode).MaximumLength(100).Matches("^[a-z0-9]+(-[a-z0-9]+)*$").When(c => c.ReasonCode is not null)
                .WithMessage("De redencode is een code in kleine letters, zoals geen-capaciteit.");
            RuleFor(c => c.Answer).NotEmpty().MaximumLength(MaxAnswerLength).When(c => c.Status == "answered")
                .WithMessage("Vul het antwoord in.");
            RuleFor(c => c.Answer).Null().When(c => c.Status != "answered")
                .WithMessage("Een antwoord hoort alleen bij beantwoorden.");
            RuleFor(c => c.ReasonCode).NotEmpty().When(c => c.Status == "declined")
                .WithMessage("Kies de reden van afwijzen.");
            RuleFor(c => c).Must(c => !string.IsNullOrWhiteSpace(c.Note) || !string.IsNullOrWhiteSpace(c.ReasonCode))
                .When(c => c.Status is "suspended" or "extended").WithName("reasonCode")
                .WithMessage("Geef een reden (toelichting of redencode): opschorten en verlengen vragen er een.");
            RuleFor(c => c.NewDueAt).NotNull().When(c => c.Status == "extended")
                .WithMessage("Kies de nieuwe termijn.");
            RuleFor(c => c.NewDueAt).Must(d => d is null || (d > time.GetUtcNow() && d < time.GetUtcNow() + MaxExtension))
                .When(c => c.Status == "extended")
                .WithMessage("De nieuwe termijn ligt in de toekomst en binnen een jaar.");
            RuleFor(c => c.NewDueAt).Null().When(c => c.Status != "extended")
                .WithMessage("Een nieuwe termijn hoort alleen bij verlengen.");
        }
    }

    /// <summary>One applied change, as the history lists it.</summary>
    public sealed record StatusChange(
        Guid Id, Guid RequestId, int Version, string Change, string? FromStatus, string ToStatus, string? Note,
        string? ReasonCode, DateTimeOffset DueAt, Guid? ChangedBy, DateTimeOffset ChangedAt);

    /// <summary>Who may apply a change, and from which statuses.</summary>
    internal sealed record Rule(string Actor, IReadOnlySet<string> From);

    internal static class Lifecycle
    {
        public const string BackOffice = "back-office";
        public const string Coach = "coach";

        private static HashSet<string> From(params string[] statuses) => new(statuses, StringComparer.Ordinal);

        public static readonly IReadOnlyDictionary<string, Rule> Changes = new Dictionary<string, Rule>(StringComparer.Ordinal)
        {
            ["acknowledged"] = new(BackOffice, From(RequestStatus.Sent)),
            ["answered"] = new(BackOffice, From(RequestStatus.Acknowledged)),
            ["declined"] = new(BackOffice, From(RequestStatus.Acknowledged)),
            ["withdrawn"] = new(Coach, From(RequestStatus.Sent, RequestStatus.Acknowledged)),
            ["suspended"] = new(BackOffice, From(RequestStatus.Sent, RequestStatus.Acknowledged)),
            ["resumed"] = new(BackOffice, From(RequestStatus.Suspended)),
            ["extended"] = new(BackOffice, From(RequestStatus.Sent, RequestStatus.Acknowledged)),
        };
    }

    // The deadline bookkeeping (reminded_at, overdue_at, escalation_level) belongs to the deadline sweep, which
    // changes it without a new version (it is not a status change: versions number the status history). So a change
    // must never write back the values it read: the sweep may have marked the request overdue or escalated it since
    // (a lost update, and the next sweep would notify the overdue and the escalation again). The UPDATE keeps them as
    // they are in the row when it takes the row lock, and resets them only when this change sets a new due date
    // (resumed, extended). PostgreSQL's READ COMMITTED evaluates these expressions on the newest committed row, also
    // after waiting for a sweep's uncommitted update; SQLite has one writer at a time.
    internal const string UpdateSql = """
        UPDATE requests
        SET status = @status, status_before_suspension = @statusBeforeSuspension, version = version + 1,
            due_at = @dueAt, suspended_at = @suspendedAt, answer = @answer, decline_reason_code = @declineReasonCode,
            closed_at = @closedAt, updated_at = @now,
            reminded_at = CASE WHEN @rescheduled = 1 THEN NULL ELSE reminded_at END,
            overdue_at = CASE WHEN @rescheduled = 1 THEN NULL ELSE overdue_at END,
            escalation_level = CASE WHEN @rescheduled = 1 THEN 0 ELSE escalation_level END
        WHERE id = @id AND version = @expectedVersion
        """;

    /// <summary>The changes that set a new due date and so restart the reminder, overdue and escalation ladder.</summary>
    internal static bool Reschedules(string change) => change is "resumed" or "extended";

    internal sealed class Handler(CurrentUser user, RequestAccess access, RequestStatusChanger changer)
        : ICommandHandler<Command, StatusChange>
    {
        public async ValueTask<StatusChange> Handle(Command command, CancellationToken ct)
        {
            var change = command.Status!;
            var expectedVersion = command.ExpectedVersion!.Value;
            var row = await access.FindAsync(command.RequestId, null, ct);
            var rule = Lifecycle.Changes[change];
            var isBackOffice = access.IsAddressee(row);
            var isCoach = user.IsInRole(Roles.Coach) && user.Id == row.CoachConcerned;
            if (rule.Actor == Lifecycle.BackOffice && !isBackOffice)
            {
                throw ProblemException.Forbidden($"Alleen de organisatie waaraan het verzoek is gericht, kan het op '{change}' zetten.");
            }
            if (rule.Actor == Lifecycle.Coach && !isCoach)
            {
                throw ProblemException.Forbidden("Alleen de coach van het huishouden kan een verzoek intrekken.");
            }
            if (row.Version != expectedVersion)
            {
                throw RequestStatusChanger.Stale(row.Version);
            }
            if (!rule.From.Contains(row.Status))
            {
                throw ProblemException.Conflict(
                    $"Een verzoek met status '{row.Status}' kan niet naar '{change}'; dat kan alleen vanuit {string.Join(" of ", rule.From.Select(s => $"'{s}'"))}.");
            }
            return await changer.ApplyAsync(row, command, isBackOffice, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/requests/{id:guid}/status-changes", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var change = await mediator.Send(new Command(id, body.Status, body.Note, body.ReasonCode, body.Answer, body.NewDueAt,
                body.ExpectedVersion), ct);
            return TypedResults.Created($"/api/v1/requests/{id}/status-changes", change);
        })
        .RequireAuthorization(Policies.CoachOrBackOffice)
        .WithName("changeRequestStatus")
        .WithSummary("Status van een verzoek wijzigen (back office; intrekken: coach), met expectedVersion")
        .WithTags("Verzoeken");
}

/// <summary>
/// Applies one status change that its caller has already allowed: the versioned UPDATE, the history row, the access
/// log, the involvement of a handling back office, the notification and the webhook event. One code path for every
/// change, whoever causes it — the coach, the back office, or the closure of the household (which withdraws every open
/// request with reason code <c>household-closed</c>, exactly as a coach's withdrawal).
/// </summary>
public sealed class RequestStatusChanger(
    DbSession db, CurrentUser user, AccessLogWriter log, Notifier notifier, WebhookOutbox webhooks,
    InvolvementRecorder involvements, WorkingDays calendar, TimeProvider time)
{
    /// <summary>Why the closure withdrew a request (the status change's reason code).</summary>
    public const string HouseholdClosed = "household-closed";

    // Every open request: running ones and suspended ones (their clock has stopped, but they are not done).
    internal const string OpenOfHouseholdSql = RequestAccess.Select + "\n" + """
        WHERE r.household_id = @householdId AND r.status IN ('sent', 'acknowledged', 'suspended')
        ORDER BY r.sent_at, r.id
        """;

    /// <summary>
    /// The closure of a household withdraws each of its open requests (<c>household-closed</c>) as the coach would:
    /// version +1, a history row, the back office notified, the webhook event. The caller holds the household's lock,
    /// so no request of it changes meanwhile. Returns how many were withdrawn.
    /// </summary>
    public async Task<int> WithdrawOpenForClosureAsync(Guid householdId, string note, CancellationToken ct)
    {
        var open = (await db.QueryAsync<RequestRow>(OpenOfHouseholdSql, new { householdId }, ct)).ToList();
        var count = 0;
        foreach (var row in open)
        {
            await ApplyAsync(row, new ChangeRequestStatus.Command(row.Id, RequestStatus.Withdrawn, note, HouseholdClosed, null, null,
                row.Version), isBackOffice: false, ct);
            count++;
        }
        return count;
    }

    internal async Task<ChangeRequestStatus.StatusChange> ApplyAsync(
        RequestRow row, ChangeRequestStatus.Command command, bool isBackOffice, CancellationToken ct)
    {
        var change = command.Status!;
        var expectedVersion = command.ExpectedVersion!.Value;
        var rule = ChangeRequestStatus.Lifecycle.Changes[change];
        // A back office's handling may record an involvement and refresh the household's summary: the household's row
        // lock first, before the request's (the closure's order: household, its requests, involvements, summary).
        if (isBackOffice) await Households.HouseholdAccess.HoldAsync(db, row.HouseholdId, ct);
        var now = time.GetUtcNow();
        var next = Apply(row, change, command, now);
        // Nobody is signed in when an organisation answers through its reply link: the history then names no user
        // (changed_by NULL) and the access log names the organisation (AccessLogWriter.ActingOrganisationId).
        Guid? actor = user.IsKnown ? user.Id : null;
        var changed = await db.ExecuteAsync(ChangeRequestStatus.UpdateSql, new
        {
            id = row.Id, expectedVersion, next.Status, next.StatusBeforeSuspension, next.DueAt, next.SuspendedAt, next.Answer,
            next.DeclineReasonCode, next.ClosedAt, now, rescheduled = ChangeRequestStatus.Reschedules(change) ? 1 : 0,
        }, ct);
        if (changed == 0)
        {
            // Someone changed it between our read and our write: their change stands, ours is refused.
            throw Stale(null);
        }
        var result = new ChangeRequestStatus.StatusChange(Guid.CreateVersion7(now), row.Id, expectedVersion + 1, change, row.Status,
            next.Status, command.Note, command.ReasonCode, next.DueAt, actor, now);
        await db.ExecuteAsync(SendRequest.InsertHistorySql, new
        {
            result.Id, requestId = row.Id, result.Version, changeKind = change, fromStatus = row.Status, toStatus = next.Status,
            result.Note, result.ReasonCode, dueAt = next.DueAt, changedBy = actor, now,
        }, ct);
        await log.WriteAsync("update", "request", row.Id, row.HouseholdId, ct);
        if (isBackOffice)
        {
            await involvements.RecordHandlingAsync(row.HouseholdId, row.OrganisationId, actor, ct);
        }

        var type = RequestEventTypes.Of(change);
        if (rule.Actor == ChangeRequestStatus.Lifecycle.Coach)
        {
            await notifier.NotifyBackOfficeAsync(row.OrganisationId, type, Title(change, row.ServiceName), row.HouseholdId, row.Id, ct);
        }
        else
        {
            await notifier.NotifyAsync([row.CoachConcerned], type, Title(change, row.ServiceName), row.HouseholdId, row.Id, ct);
        }
        await webhooks.EnqueueAsync(row.OrganisationId, type, row.Id, row.EventData(next.Status, result.Version, next.DueAt), ct);
        return result with { DueAt = WorkingDays.InAmsterdam(result.DueAt), ChangedAt = WorkingDays.InAmsterdam(now) };
    }

    private RequestRow Apply(RequestRow row, string change, ChangeRequestStatus.Command command, DateTimeOffset now)
    {
        // A new due date restarts the deadline bookkeeping: reminder, overdue and escalation apply to the new date
        // (the UPDATE does the reset itself, see UpdateSql and Reschedules, so that it never writes back stale values).
        RequestRow Rescheduled(RequestRow r, DateTimeOffset dueAt) =>
            r with { DueAt = dueAt, RemindedAt = null, OverdueAt = null, EscalationLevel = 0 };
        switch (change)
        {
            case "acknowledged":
                return row with { Status = RequestStatus.Acknowledged };
            case "answered":
                return row with { Status = RequestStatus.Answered, Answer = command.Answer, ClosedAt = now };
            case "declined":
                return row with { Status = RequestStatus.Declined, DeclineReasonCode = command.ReasonCode, ClosedAt = now };
            case "withdrawn":
                return row with { Status = RequestStatus.Withdrawn, ClosedAt = now };
            case "suspended":
                return row with { Status = RequestStatus.Suspended, StatusBeforeSuspension = row.Status, SuspendedAt = now };
            case "resumed":
                return Rescheduled(row, calendar.ExtendBySuspension(row.DueAt, row.SuspendedAt ?? now, now)) with
                {
                    Status = row.StatusBeforeSuspension ?? RequestStatus.Sent, StatusBeforeSuspension = null, SuspendedAt = null,
                };
            case "extended":
                var newDueAt = WorkingDays.EndOfDay(WorkingDays.LocalDate(command.NewDueAt!.Value));
                if (newDueAt <= row.DueAt)
                {
                    throw new ValidationException([new("newDueAt",
                        $"De nieuwe termijn moet na de huidige liggen ({WorkingDays.LocalDate(row.DueAt).ToString("d-M-yyyy", System.Globalization.CultureInfo.InvariantCulture)}).")]);
                }
                return Rescheduled(row, newDueAt);
            default:
                throw new InvalidOperationException($"No rule for '{change}'.");
        }
    }

    internal static ProblemException Stale(int? current) => new(409, "Conflict",
        "Het verzoek is intussen door iemand anders gewijzigd; u zag een oudere versie. Haal het verzoek opnieuw op en probeer het nog eens.")
    {
        Extensions = current is { } v ? new Dictionary<string, object?> { ["currentVersion"] = v } : null,
    };

    private static string Title(string change, string service) => change switch
    {
        "acknowledged" => $"Verzoek in behandeling genomen: {service}",
        "answered" => $"Verzoek beantwoord: {service}",
        "declined" => $"Verzoek afgewezen: {service}",
        "withdrawn" => $"Verzoek ingetrokken: {service}",
        "suspended" => $"Verzoek opgeschort: {service}",
        "resumed" => $"Verzoek hervat: {service}",
        "extended" => $"Termijn van verzoek verlengd: {service}",
        _ => $"Verzoek gewijzigd: {service}",
    };
}
