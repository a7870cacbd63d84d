using System.Globalization;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Data;
using Hangfire;
using Mediator;

namespace Frontlijn.Web.Features.Plans;

/// <summary>
/// The review sweep (Hangfire, daily): reminds the household's current coach when the plan's review date is within
/// <c>Plans:ReviewReminderDays</c> (default 14), or already past, once per review date. Households without a current
/// coach (waiting for one, or closed) are not reminded; a coach assigned later is reminded at the next run. A closed
/// household is skipped by its status as well, not only by its ended coach assignment: reopening gives it a coach
/// again, and its reminders then resume.
/// <para>
/// Safe to run on two nodes at once and to run again: each plan is claimed by a conditional UPDATE of
/// <c>reminded_for_review</c> in the same transaction as the notification. Whoever loses that race does nothing.
/// </para>
/// </summary>
public sealed class PlanReviewReminders(DbSession db, IServiceScopeFactory scopes, PlanSettings settings, TimeProvider time)
{
    public const string RecurringJobId = "plans-review-reminders";

    // Candidates only; the decision per plan is made again, atomically, by RemindPlanReview's UPDATE.
    internal const string CandidatesSql = """
        SELECT p.household_id, p.review_on
        FROM family_plans p
        JOIN coach_assignments a ON a.household_id = p.household_id AND a.to_at IS NULL
        JOIN households h ON h.id = p.household_id AND h.status <> 'closed'
        WHERE p.review_on <= @horizon
          AND (p.reminded_for_review IS NULL OR p.reminded_for_review <> p.review_on)
        ORDER BY p.review_on, p.household_id
        """;

    internal sealed record Candidate
    {
        public Guid HouseholdId { get; init; }
        public DateOnly ReviewOn { get; init; }
    }

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Herinneren aan evaluaties van gezinsplannen")]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var horizon = PlanReader.Today(time).AddDays(settings.ReviewReminderDays);
        var candidates = await db.QueryAsync<Candidate>(CandidatesSql, new { horizon }, ct);
        var reminded = 0;
        foreach (var candidate in candidates)
        {
            // One unit of work per plan: a failure (or a lost race) affects only that plan.
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            if (await mediator.Send(new RemindPlanReview.Command(candidate.HouseholdId, candidate.ReviewOn), ct))
            {
                reminded++;
            }
        }
        return reminded;
    }
}

/// <summary>One review reminder for one plan, in its own unit of work; false when it was not (or no longer) due.</summary>
public static class RemindPlanReview
{
    public sealed record Command(Guid HouseholdId, DateOnly ReviewOn) : ICommand<bool>;

    // review_on = @reviewOn: a review recorded since the sweep read its candidates moved the date, and this reminder
    // is then no longer the right one. The coach condition keeps the claim for a coach who can receive it.
    internal const string ClaimSql = """
        UPDATE family_plans SET reminded_for_review = @reviewOn
        WHERE household_id = @householdId AND review_on = @reviewOn
          AND (reminded_for_review IS NULL OR reminded_for_review <> @reviewOn)
          AND EXISTS (SELECT 1 FROM coach_assignments a WHERE a.household_id = family_plans.household_id AND a.to_at IS NULL)
          AND EXISTS (SELECT 1 FROM households h WHERE h.id = family_plans.household_id AND h.status <> 'closed')
        """;

    internal const string CoachSql = "SELECT coach_id FROM coach_assignments WHERE household_id = @householdId AND to_at IS NULL";

    internal sealed class Handler(DbSession db, Notifier notifier) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var parameters = new { command.HouseholdId, command.ReviewOn };
            if (await db.ExecuteAsync(ClaimSql, parameters, ct) != 1) return false;
            var coachId = await db.QuerySingleOrDefaultAsync<Guid?>(CoachSql, parameters, ct);
            // Closed between the claim and this read: nobody to remind, and no review to do any more.
            if (coachId is null) return false;
            // No names of household members: titles show on lock screens and in logs. The household id leads there.
            var title = $"Evaluatie van het gezinsplan gepland op {command.ReviewOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            await notifier.NotifyAsync([coachId.Value], PlanNotificationTypes.ReviewDue, title, command.HouseholdId, null, ct);
            return true;
        }
    }
}
