using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Plans;

/// <summary>
/// The family plan (één plan): goals per ZRM life domain, actions with an owner and a due date, and the date of the
/// next review. One plan per household; it exists from the first goal on. <c>reviewOn</c> is null until then.
/// </summary>
public sealed record FamilyPlan(Guid HouseholdId, DateOnly? ReviewOn, DateTimeOffset? LastReviewedAt, IReadOnlyList<PlanGoal> Goals);

/// <param name="Domain">A ZRM domain code (<see cref="Assessments.Zrm.DomainCodes"/>).</param>
/// <param name="Status">open, achieved or dropped.</param>
/// <param name="ClosedOn">The day the goal was achieved or dropped; null while open.</param>
public sealed record PlanGoal(
    Guid Id, string Domain, string Description, string Status, DateTimeOffset CreatedAt, DateOnly? ClosedOn,
    IReadOnlyList<PlanAction> Actions);

public sealed record PlanGoalList(IReadOnlyList<PlanGoal> Items);

public sealed record PlanAction(
    Guid Id, Guid GoalId, string Description, PlanActionOwner Owner, DateOnly DueOn, DateOnly? DoneOn, DateTimeOffset CreatedAt);

/// <param name="Kind">coach (the household's coach) or organisation.</param>
public sealed record PlanActionOwner(string Kind, Guid? OrganisationId, string? OrganisationName);

public static class GoalStatus
{
    public const string Open = "open";
    public const string Achieved = "achieved";
    public const string Dropped = "dropped";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Open, Achieved, Dropped };
}

public static class ActionOwnerKind
{
    public const string Coach = "coach";
    public const string Organisation = "organisation";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Coach, Organisation };
}

/// <summary>Notification types of the family plan (also what a SignalR client receives as <c>type</c>).</summary>
public static class PlanNotificationTypes
{
    public const string ReviewDue = "nl.frontlijn.plan.review-due";
}

/// <summary>
/// <c>Plans:ReviewIntervalMonths</c> (default 6): when a new plan, or a review without a date, is reviewed next.
/// <c>Plans:ReviewReminderDays</c> (default 14): how many days before the review date the coach is reminded.
/// </summary>
public sealed record PlanSettings(int ReviewIntervalMonths, int ReviewReminderDays)
{
    public static PlanSettings FromConfiguration(IConfiguration configuration)
    {
        var settings = new PlanSettings(
            configuration.GetValue("Plans:ReviewIntervalMonths", 6),
            configuration.GetValue("Plans:ReviewReminderDays", 14));
        if (settings.ReviewIntervalMonths is < 1 or > 24)
        {
            throw new InvalidOperationException("Plans:ReviewIntervalMonths must be between 1 and 24.");
        }
        if (settings.ReviewReminderDays is < 0 or > 90)
        {
            throw new InvalidOperationException("Plans:ReviewReminderDays must be between 0 and 90.");
        }
        return settings;
    }
}

/// <summary>
/// Who may do what with a family plan. The SPEC: the coach keeps the family plan. So the household's own coach changes
/// it; the coaches and the team lead of its team read it (need-to-know as for the household itself); anyone else gets
/// 404. A closed household's plan is history: no more changes (409).
/// </summary>
public sealed class PlanAccess(HouseholdAccess households, CurrentUser user)
{
    /// <summary>For queries: logs the read as <paramref name="objectType"/>; 404 outside need-to-know.</summary>
    internal Task<HouseholdRow> ReadAsync(Guid householdId, string objectType, CancellationToken ct) =>
        households.ReadAsync(householdId, objectType, ct);

    /// <summary>For commands: locks the household row (serialising every change of its plan), then checks who asks.</summary>
    internal async Task<HouseholdRow> ChangeAsync(Guid householdId, CancellationToken ct)
    {
        var household = await households.LockForChangeAsync(householdId, ct);
        if (household.Status == HouseholdStatus.Closed)
        {
            throw ProblemException.Conflict("Dit huishouden is afgesloten; het gezinsplan kan niet meer worden gewijzigd.");
        }
        if (household.CoachId != user.Id)
        {
            throw ProblemException.Forbidden("Alleen de coach van dit huishouden houdt het gezinsplan bij.");
        }
        return household;
    }
}

/// <summary>Reads a plan and its goals with their actions, as every plan endpoint answers.</summary>
internal static class PlanReader
{
    internal const string PlanSql = """
        SELECT household_id, review_on, last_reviewed_at
        FROM family_plans
        WHERE household_id = @householdId
        """;

    internal const string GoalsSql = """
        SELECT id, domain, description, status, created_at, closed_on
        FROM plan_goals
        WHERE household_id = @householdId
        ORDER BY created_at, id
        """;

    internal const string GoalSql = """
        SELECT id, domain, description, status, created_at, closed_on
        FROM plan_goals
        WHERE id = @goalId AND household_id = @householdId
        """;

    internal const string ActionsSql = """
        SELECT a.id, a.goal_id, a.description, a.owner_kind, a.owner_organisation_id, o.name AS owner_organisation_name,
               a.due_on, a.done_on, a.created_at
        FROM plan_actions a
        LEFT JOIN organisations o ON o.id = a.owner_organisation_id
        WHERE a.household_id = @householdId
        ORDER BY a.due_on, a.created_at, a.id
        """;

    internal const string GoalActionsSql = """
        SELECT a.id, a.goal_id, a.description, a.owner_kind, a.owner_organisation_id, o.name AS owner_organisation_name,
               a.due_on, a.done_on, a.created_at
        FROM plan_actions a
        LEFT JOIN organisations o ON o.id = a.owner_organisation_id
        WHERE a.goal_id = @goalId AND a.household_id = @householdId
        ORDER BY a.due_on, a.created_at, a.id
        """;

    internal sealed record PlanRow
    {
        public Guid HouseholdId { get; init; }
        public DateOnly ReviewOn { get; init; }
        public DateTimeOffset? LastReviewedAt { get; init; }
    }

    internal sealed record GoalRow
    {
        public Guid Id { get; init; }
        public string Domain { get; init; } = "";
        public string Description { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateOnly? ClosedOn { get; init; }

        public PlanGoal ToGoal(IEnumerable<ActionRow> actions) =>
            new(Id, Domain, Description, Status, CreatedAt, ClosedOn, actions.Select(a => a.ToAction()).ToList());
    }

    internal sealed record ActionRow
    {
        public Guid Id { get; init; }
        public Guid GoalId { get; init; }
        public string Description { get; init; } = "";
        public string OwnerKind { get; init; } = "";
        public Guid? OwnerOrganisationId { get; init; }
        public string? OwnerOrganisationName { get; init; }
        public DateOnly DueOn { get; init; }
        public DateOnly? DoneOn { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public PlanAction ToAction() =>
            new(Id, GoalId, Description, new PlanActionOwner(OwnerKind, OwnerOrganisationId, OwnerOrganisationName), DueOn, DoneOn, CreatedAt);
    }

    public static async Task<FamilyPlan> PlanAsync(DbSession db, Guid householdId, CancellationToken ct)
    {
        var plan = await db.QuerySingleOrDefaultAsync<PlanRow>(PlanSql, new { householdId }, ct);
        return new FamilyPlan(householdId, plan?.ReviewOn, plan?.LastReviewedAt, await GoalsAsync(db, householdId, ct));
    }

    public static async Task<IReadOnlyList<PlanGoal>> GoalsAsync(DbSession db, Guid householdId, CancellationToken ct)
    {
        var goals = await db.QueryAsync<GoalRow>(GoalsSql, new { householdId }, ct);
        var actions = (await db.QueryAsync<ActionRow>(ActionsSql, new { householdId }, ct)).ToLookup(a => a.GoalId);
        return goals.Select(g => g.ToGoal(actions[g.Id])).ToList();
    }

    /// <summary>One goal of this household with its actions; 404 when the goal is not of this household.</summary>
    public static async Task<PlanGoal> GoalAsync(DbSession db, Guid householdId, Guid goalId, CancellationToken ct)
    {
        var goal = await db.QuerySingleOrDefaultAsync<GoalRow>(GoalSql, new { householdId, goalId }, ct)
                   ?? throw ProblemException.NotFound("Dit doel");
        return goal.ToGoal(await db.QueryAsync<ActionRow>(GoalActionsSql, new { householdId, goalId }, ct));
    }

    /// <summary>Today in Amsterdam: the day a coach means by "today", whatever the server's time zone.</summary>
    public static DateOnly Today(TimeProvider time) => WorkingDays.LocalDate(time.GetUtcNow());
}
