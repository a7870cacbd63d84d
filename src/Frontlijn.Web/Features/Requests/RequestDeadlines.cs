using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Data;
using Hangfire;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>
/// <c>Requests:EscalateToContactAfterWorkingDays</c> (default 1) and <c>Requests:EscalateToTeamLeadAfterWorkingDays</c>
/// (default 3): how many working days after the due date silence is escalated to the organisation's escalation contact,
/// and then to the coach's team lead. <c>Requests:ReminderHours</c> (default 24): how long before the due date the back
/// office is reminded.
/// </summary>
public sealed record RequestSettings(int EscalateToContactAfterWorkingDays, int EscalateToTeamLeadAfterWorkingDays, TimeSpan Reminder)
{
    public static RequestSettings FromConfiguration(IConfiguration configuration)
    {
        var settings = new RequestSettings(
            configuration.GetValue("Requests:EscalateToContactAfterWorkingDays", 1),
            configuration.GetValue("Requests:EscalateToTeamLeadAfterWorkingDays", 3),
            TimeSpan.FromHours(configuration.GetValue("Requests:ReminderHours", 24)));
        if (settings.EscalateToContactAfterWorkingDays < 0 ||
            settings.EscalateToTeamLeadAfterWorkingDays <= settings.EscalateToContactAfterWorkingDays)
        {
            throw new InvalidOperationException(
                "Requests:EscalateToTeamLeadAfterWorkingDays must be later than Requests:EscalateToContactAfterWorkingDays (>= 0).");
        }
        return settings;
    }
}

/// <summary>
/// The deadline sweep (Hangfire, every minute): reminds the back office before the due date, marks requests overdue
/// on it, and escalates silence — first to the organisation's escalation contact, then to the team lead. Only running
/// requests count (sent, acknowledged): a suspended request's clock has stopped, a closed one is done. Nor does any
/// request of a closed household: its closure withdrew them, and even one left open (e.g. from before that rule) must
/// not keep escalating to a former coach and team lead about care that has ended.
/// <para>
/// Safe to run on two nodes at once and to run again: each step is a conditional UPDATE that only the first run can
/// make (e.g. <c>overdue_at IS NULL</c>, <c>escalation_level = 0</c>), in the same transaction as the notifications
/// and webhook events it causes. Whoever loses that race does nothing.
/// </para>
/// </summary>
public sealed class RequestDeadlines(
    DbSession db, IServiceScopeFactory scopes, WorkingDays calendar, RequestSettings settings, TimeProvider time)
{
    public const string RecurringJobId = "requests-deadlines";

    public enum DeadlineStep
    {
        Reminder,
        Overdue,
        EscalateToContact,
        EscalateToTeamLead,
    }

    public sealed record RunResult(int Reminded, int Overdue, int EscalatedToContact, int EscalatedToTeamLead);

    // Candidates only; the decision per row is made again, atomically, by the step's UPDATE.
    internal const string CandidatesSql = """
        SELECT r.id, r.due_at, r.reminded_at, r.overdue_at, r.escalation_level
        FROM requests r
        JOIN households h ON h.id = r.household_id
        WHERE r.status IN ('sent', 'acknowledged')
          AND h.status <> 'closed'
          AND r.due_at <= @horizon
          AND (r.reminded_at IS NULL OR r.overdue_at IS NULL OR r.escalation_level < 2)
        ORDER BY r.due_at, r.id
        """;

    internal sealed record Candidate
    {
        public Guid Id { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public DateTimeOffset? RemindedAt { get; init; }
        public DateTimeOffset? OverdueAt { get; init; }
        public int EscalationLevel { get; init; }
    }

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Termijnen van verzoeken bewaken")]
    public async Task<RunResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var candidates = await db.QueryAsync<Candidate>(CandidatesSql, new { horizon = now + settings.Reminder }, ct);
        var counts = new Dictionary<DeadlineStep, int>();
        foreach (var candidate in candidates)
        {
            foreach (var step in StepsDue(candidate, now))
            {
                // One unit of work per step: a failure (or a lost race) affects only that step of that request.
                await using var scope = scopes.CreateAsyncScope();
                var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
                if (await mediator.Send(new ApplyDeadlineStep.Command(candidate.Id, step, candidate.DueAt, now), ct))
                {
                    counts[step] = counts.GetValueOrDefault(step) + 1;
                }
            }
        }
        return new RunResult(counts.GetValueOrDefault(DeadlineStep.Reminder), counts.GetValueOrDefault(DeadlineStep.Overdue),
            counts.GetValueOrDefault(DeadlineStep.EscalateToContact), counts.GetValueOrDefault(DeadlineStep.EscalateToTeamLead));
    }

    /// <summary>What is due for one request now, in order (a sweep that did not run for days catches up in one go).</summary>
    internal IEnumerable<DeadlineStep> StepsDue(Candidate c, DateTimeOffset now)
    {
        if (now <= c.DueAt)
        {
            if (c.RemindedAt is null && now >= c.DueAt - settings.Reminder) yield return DeadlineStep.Reminder;
            yield break;
        }
        if (c.OverdueAt is null) yield return DeadlineStep.Overdue;
        var dueDay = WorkingDays.LocalDate(c.DueAt);
        // Escalation after N working days of silence past the due day: when the N-th working day after it has ended.
        if (c.EscalationLevel < 1 && now > WorkingDays.EndOfDay(calendar.AddWorkingDays(dueDay, settings.EscalateToContactAfterWorkingDays)))
        {
            yield return DeadlineStep.EscalateToContact;
        }
        if (c.EscalationLevel < 2 && now > WorkingDays.EndOfDay(calendar.AddWorkingDays(dueDay, settings.EscalateToTeamLeadAfterWorkingDays)))
        {
            yield return DeadlineStep.EscalateToTeamLead;
        }
    }
}

/// <summary>One deadline step for one request, in its own unit of work; false when it was not (or no longer) due.</summary>
public static class ApplyDeadlineStep
{
    public sealed record Command(Guid RequestId, RequestDeadlines.DeadlineStep DeadlineStep, DateTimeOffset DueAt, DateTimeOffset Now) : ICommand<bool>;

    internal const string RemindSql = """
        UPDATE requests SET reminded_at = @now
        WHERE id = @id AND reminded_at IS NULL AND due_at = @dueAt AND status IN ('sent', 'acknowledged')
          AND household_id IN (SELECT h.id FROM households h WHERE h.status <> 'closed')
        """;

    internal const string OverdueSql = """
        UPDATE requests SET overdue_at = @now
        WHERE id = @id AND overdue_at IS NULL AND due_at = @dueAt AND due_at < @now AND status IN ('sent', 'acknowledged')
          AND household_id IN (SELECT h.id FROM households h WHERE h.status <> 'closed')
        """;

    internal const string EscalateSql = """
        UPDATE requests SET escalation_level = @level, escalated_at = @now
        WHERE id = @id AND escalation_level < @level AND overdue_at IS NOT NULL AND due_at = @dueAt
          AND status IN ('sent', 'acknowledged')
          AND household_id IN (SELECT h.id FROM households h WHERE h.status <> 'closed')
        """;

    internal sealed class Handler(DbSession db, Notifier notifier, WebhookOutbox webhooks) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var parameters = new { id = command.RequestId, now = command.Now, dueAt = command.DueAt };
            var claimed = command.DeadlineStep switch
            {
                RequestDeadlines.DeadlineStep.Reminder => await db.ExecuteAsync(RemindSql, parameters, ct),
                RequestDeadlines.DeadlineStep.Overdue => await db.ExecuteAsync(OverdueSql, parameters, ct),
                RequestDeadlines.DeadlineStep.EscalateToContact => await db.ExecuteAsync(EscalateSql, new { parameters.id, parameters.now, parameters.dueAt, level = 1 }, ct),
                _ => await db.ExecuteAsync(EscalateSql, new { parameters.id, parameters.now, parameters.dueAt, level = 2 }, ct),
            };
            if (claimed != 1) return false;

            var row = await db.QuerySingleOrDefaultAsync<RequestRow>(RequestAccess.FindSql, new { id = command.RequestId }, ct)
                      ?? throw new InvalidOperationException($"Request {command.RequestId} vanished inside its own transaction.");
            var due = WorkingDays.InAmsterdam(row.DueAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var (type, title, recipients) = command.DeadlineStep switch
            {
                RequestDeadlines.DeadlineStep.Reminder => (RequestEventTypes.Reminder, $"Herinnering: verzoek {row.ServiceName} verloopt op {due}",
                    await RequestRecipients.BackOfficeAsync(db, row.OrganisationId, ct)),
                RequestDeadlines.DeadlineStep.Overdue => (RequestEventTypes.Overdue, $"Termijn verstreken: verzoek {row.ServiceName} (uiterlijk {due})",
                    [.. await RequestRecipients.BackOfficeAsync(db, row.OrganisationId, ct), row.CoachConcerned]),
                RequestDeadlines.DeadlineStep.EscalateToContact => (RequestEventTypes.Escalated,
                    $"Escalatie: verzoek {row.ServiceName} is over de termijn ({due})",
                    await RequestRecipients.EscalationContactAsync(db, row.OrganisationId, ct)),
                _ => (RequestEventTypes.Escalated,
                    $"Escalatie naar teamleider: verzoek {row.ServiceName} bij {row.OrganisationName} is over de termijn ({due})",
                    await RequestRecipients.TeamLeadsAsync(db, row.TeamId, ct)),
            };
            await notifier.NotifyAsync(recipients, type, title, row.HouseholdId, row.Id, ct);
            await webhooks.EnqueueAsync(row.OrganisationId, type, row.Id, new
            {
                requestId = row.Id, organisationId = row.OrganisationId, status = row.Status, version = row.Version,
                dueAt = WorkingDays.InAmsterdam(row.DueAt), escalationLevel = row.EscalationLevel,
            }, ct);
            return true;
        }
    }
}
