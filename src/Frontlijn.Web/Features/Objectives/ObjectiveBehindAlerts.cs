using System.Globalization;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Data;
using Hangfire;
using Mediator;

namespace Frontlijn.Web.Features.Objectives;

public static class ObjectiveNotificationTypes
{
    public const string Behind = "nl.frontlijn.team.objective-behind";
}

/// <summary>
/// The daily Act-prompt (Hangfire): for every objective whose period covers the latest complete month, computes that
/// month's value; when it is behind the target, the team leads of the team get one notification. Once per objective
/// per month: the row in <c>team_objective_alerts</c> is claimed in the same transaction as the notification, so a
/// second run (or a second node) sends nothing. A month that is on track, or has no value, is not claimed: nothing is
/// sent, and a later run looks again (a value can still change, e.g. an answer registered late).
/// </summary>
public sealed class ObjectiveBehindAlerts(DbSession db, IServiceScopeFactory scopes, TimeProvider time)
{
    public const string RecurringJobId = "team-objectives-behind";

    internal const string CandidatesSql = """
        SELECT o.id FROM team_objectives o
        WHERE o.from_on <= @monthLast AND o.to_on >= @monthStart
          AND NOT EXISTS (SELECT 1 FROM team_objective_alerts a WHERE a.objective_id = o.id AND a.month_on = @monthStart)
        ORDER BY o.id
        """;

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Teamdoelen: melden wat achterloopt")]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var today = ObjectiveProgress.Today(time);
        var monthStart = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var monthLast = monthStart.AddMonths(1).AddDays(-1);
        var candidates = await db.QueryAsync<Guid>(CandidatesSql, new { monthStart, monthLast }, ct);
        var sent = 0;
        foreach (var objectiveId in candidates)
        {
            // One unit of work per objective: a failure (or a lost race) affects only that one.
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            if (await mediator.Send(new AlertObjectiveBehind.Command(objectiveId, monthStart), ct)) sent++;
        }
        return sent;
    }
}

/// <summary>One objective, one month: notify the team leads when it is behind; false when not (or already) sent.</summary>
public static class AlertObjectiveBehind
{
    public sealed record Command(Guid ObjectiveId, DateOnly Month) : ICommand<bool>;

    internal const string FindSql = """
        SELECT id, team_id, metric, target, from_on, to_on, created_at FROM team_objectives WHERE id = @objectiveId
        """;

    // The claim: the primary key (objective_id, month_on) admits one row; the NOT EXISTS makes a repeat a no-op
    // instead of a key violation, and a concurrent insert that slips past it fails the unit of work (409), not twice.
    internal const string ClaimSql = """
        INSERT INTO team_objective_alerts (objective_id, month_on, created_at)
        SELECT @objectiveId, @month, @now
        WHERE NOT EXISTS (SELECT 1 FROM team_objective_alerts WHERE objective_id = @objectiveId AND month_on = @month)
        """;

    internal const string LeadsSql = """
        SELECT id FROM users WHERE team_id = @teamId AND role = 'team-lead' AND deactivated_at IS NULL
        """;

    internal sealed class Handler(DbSession db, ObjectiveProgress progress, Notifier notifier, TimeProvider time)
        : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var objective = await db.QuerySingleOrDefaultAsync<ObjectiveRow>(FindSql, new { command.ObjectiveId }, ct);
            if (objective is null) return false;
            var value = await progress.ValueAsync(objective.TeamId, objective.Metric, command.Month, ct);
            if (ObjectiveMetrics.OnTrack(objective.Metric, objective.Target, value) is not false) return false;
            var leads = (await db.QueryAsync<Guid>(LeadsSql, new { objective.TeamId }, ct)).ToList();
            // Nobody to tell: not claimed, so that a team lead appointed later still hears of it.
            if (leads.Count == 0) return false;
            if (await db.ExecuteAsync(ClaimSql, new { command.ObjectiveId, command.Month, now = time.GetUtcNow() }, ct) != 1) return false;
            var month = command.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var shown = value!.Value.ToString("0.###", CultureInfo.GetCultureInfo("nl-NL"));
            var goal = objective.Target.ToString("0.###", CultureInfo.GetCultureInfo("nl-NL"));
            var title = $"Teamdoel loopt achter in {month}: {ObjectiveMetrics.Label(objective.Metric)} {shown} (doel {goal})";
            await notifier.NotifyAsync(leads, ObjectiveNotificationTypes.Behind, title, null, null, ct);
            return true;
        }
    }
}
